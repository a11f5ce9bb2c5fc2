// The proxy's target URL keeps ORIGIN's scheme, host and port for every path an attacker can send.
import { describe, expect, it } from 'vitest';
import { upstreamUrl } from './upstream-url.js';

const ORIGIN = 'https://shop.example';
// As the Worker sees them: the request URL is absolute, its path whatever the request line carried.
const ATTACKS: [string, string][] = [
  ['protocol-relative path', 'https://edge.example//attacker.example/x'],
  ['backslash path', 'https://edge.example/\\attacker.example/x'],
  ['encoded slashes', 'https://edge.example/%2F%2Fattacker.example/x'],
  ['encoded backslash', 'https://edge.example/%5Cattacker.example/x'],
  ['userinfo-looking path', 'https://edge.example/@attacker.example/x'],
  ['dot segments to a double slash', 'https://edge.example/..//attacker.example/x'],
  ['tab and newline inside the path', 'https://edge.example/\t/\n/attacker.example/x'],
  ['another host in the request URL (absolute-form request line)', 'http://attacker.example:8080/x'],
  ['a query that looks like a URL', 'https://edge.example/x?next=//attacker.example/'],
  ['port and credentials in the path', 'https://edge.example//user:pw@attacker.example:444/x'],
];

describe('upstreamUrl', () => {
  it.each(ATTACKS)('stays on the origin for a %s', (_, requestUrl) => {
    const target = upstreamUrl(requestUrl, ORIGIN);
    expect(target.origin).toBe(ORIGIN);
    // fetch() serializes the URL and parses it again: the host must survive that round trip too.
    expect(new URL(target.href).host).toBe('shop.example');
    expect(target.username + target.password).toBe('');
  });

  it("keeps the request's path and query, and ORIGIN's scheme and port", () => {
    expect(upstreamUrl('https://edge.example/products/a?utm_source=news&x=1', 'http://127.0.0.1:8788').href).toBe('http://127.0.0.1:8788/products/a?utm_source=news&x=1');
    expect(upstreamUrl('https://edge.example//attacker.example/x?q=1', ORIGIN).href).toBe('https://shop.example//attacker.example/x?q=1');
    expect(upstreamUrl('https://edge.example/x#frag', ORIGIN).hash).toBe('');
  });

  it('replaces the path of an ORIGIN that has one, as proxy mode always did', () => {
    expect(upstreamUrl('https://edge.example/store/cart', 'https://shop.example/store/').href).toBe('https://shop.example/store/cart');
    expect(upstreamUrl('https://edge.example//attacker.example/', 'https://shop.example/store/').origin).toBe(ORIGIN);
  });

  it('refuses an ORIGIN setting that is not an absolute http(s) URL, saying so', () => {
    expect(() => upstreamUrl('https://edge.example/', 'shop.example')).toThrow(/ORIGIN setting is not an absolute URL/);
    expect(() => upstreamUrl('https://edge.example/', 'file:///etc/')).toThrow(/must be an http\(s\) URL, not file:/);
  });
});
