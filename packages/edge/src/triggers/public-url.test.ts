// Where a webhook may go, as the runtime's own URL parser reads each address (these tests run in workerd):
// every way of naming this machine, a private network or a metadata service is refused, with the reason.
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl } from './public-url.js';

const reasonOf = (url: string, allowLocal = false) => {
  const v = checkWebhookUrl(url, { allowLocal });
  return v.ok ? null : v.reason;
};

describe('webhook URLs: accepted', () => {
  it.each([
    'https://hooks.example.com/attune',
    'https://hooks.zapier.com/hooks/catch/1/abc/?x=1',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://[::ffff:8.8.8.8]/hook', // mapped, but a public address
    'https://crm.example.com:8443/hook',
  ])('%s', (url) => {
    expect(checkWebhookUrl(url)).toMatchObject({ ok: true, local: false });
  });
});

describe('webhook URLs: refused, with the reason', () => {
  it.each<[string, RegExp]>([
    // not https, not a URL, credentials
    ['http://hooks.example.com/attune', /is http: — .*https only/],
    ['ftp://hooks.example.com/x', /is ftp: — a webhook goes over https/],
    ['hooks.example.com/attune', /not an absolute URL/],
    ['https://user:pw@hooks.example.com/', /user name or password/],
    // loopback, every spelling
    ['https://localhost/hook', /localhost is a loopback name/],
    ['https://LOCALHOST./hook', /localhost is a loopback name/],
    ['https://api.localhost/hook', /api\.localhost is a loopback name/],
    ['https://127.0.0.1/hook', /127\.0\.0\.1 is a loopback address/],
    ['https://127.8.9.10:9000/hook', /127\.8\.9\.10 is a loopback address/],
    ['https://[::1]/hook', /\[::1\] is the loopback address/],
    ['https://2130706433/hook', /127\.0\.0\.1 is a loopback address/], // decimal
    ['https://0x7f.1/hook', /127\.0\.0\.1 is a loopback address/], // hex
    ['https://0177.0.0.1/hook', /127\.0\.0\.1 is a loopback address/], // octal
    ['https://127.1/hook', /127\.0\.0\.1 is a loopback address/], // short form
    ['https://%31%32%37.0.0.1/hook', /127\.0\.0\.1 is a loopback address/], // percent-encoded
    ['https://[::ffff:127.0.0.1]/hook', /IPv4-mapped IPv6 address of 127\.0\.0\.1 is a loopback address/],
    ['https://[::127.0.0.1]/hook', /deprecated IPv4-compatible/],
    ['https://example.com:443@127.0.0.1/hook', /user name or password/], // looks like example.com
    // private ranges
    ['https://10.1.2.3/hook', /10\.1\.2\.3 is a private network address \(10\.0\.0\.0\/8\)/],
    ['https://172.16.0.1/hook', /private network address \(172\.16\.0\.0\/12\)/],
    ['https://172.31.255.255/hook', /private network address \(172\.16\.0\.0\/12\)/],
    ['https://192.168.1.1/hook', /private network address \(192\.168\.0\.0\/16\)/],
    ['https://100.64.0.1/hook', /carrier-grade NAT address \(100\.64\.0\.0\/10\)/],
    ['https://100.100.100.200/hook', /carrier-grade NAT/], // Alibaba Cloud's metadata address
    ['https://[fd00:ec2::254]/hook', /unique-local \(private\) address \(fc00::\/7\)/], // AWS's IPv6 metadata address
    ['https://[fc00::1]/hook', /unique-local/],
    ['https://[::ffff:10.0.0.1]/hook', /IPv4-mapped IPv6 address of 10\.0\.0\.1 is a private network address/],
    ['https://[::ffff:192.168.0.1]/hook', /IPv4-mapped .* 192\.168\.0\.1 is a private/],
    ['https://[64:ff9b::a00:1]/hook', /NAT64 address of 10\.0\.0\.1 is a private/],
    ['https://[2002:c0a8:101::1]/hook', /6to4 address of 192\.168\.1\.1 is a private/],
    // link-local and metadata
    ['https://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is the cloud metadata address/],
    ['https://169.254.10.20/hook', /link-local address \(169\.254\.0\.0\/16\)/],
    ['https://[::ffff:169.254.169.254]/hook', /IPv4-mapped .* the cloud metadata address/],
    ['https://[fe80::1]/hook', /link-local address \(fe80::\/10\)/],
    ['https://metadata.google.internal/computeMetadata/v1/', /metadata\.google\.internal is the cloud metadata service/],
    ['https://metadata/computeMetadata/v1/', /metadata is a single-label name/],
    // unspecified, multicast, broadcast, reserved
    ['https://0.0.0.0/hook', /0\.0\.0\.0 is the unspecified "this network" range/],
    ['https://0/hook', /0\.0\.0\.0 is the unspecified/],
    ['https://[::]/hook', /\[::\] is the unspecified address/],
    ['https://224.0.0.1/hook', /multicast address \(224\.0\.0\.0\/4\)/],
    ['https://[ff02::1]/hook', /multicast address \(ff00::\/8\)/],
    ['https://255.255.255.255/hook', /broadcast address/],
    ['https://240.0.0.1/hook', /reserved address/],
    ['https://192.0.2.10/hook', /documentation address/],
    // local-network names
    ['https://printer.local/hook', /printer\.local is a local-network \(mDNS\) name/],
    ['https://crm.internal/hook', /crm\.internal is a private-network name/],
    ['https://nas.home.arpa/hook', /home-network name/],
    ['https://crm/hook', /crm is a single-label name, resolved on the local network/],
    ['https://hooks.test/hook', /reserved for testing/],
  ])('%s', (url, reason) => {
    const r = reasonOf(url);
    expect(r, `${url} was accepted`).not.toBeNull();
    expect(r).toMatch(reason);
  });
});

describe('webhook URLs: local development', () => {
  it.each(['http://localhost:8788/hooks/attune', 'http://127.0.0.1:3000/x', 'http://[::1]:9000/x', 'https://localhost/x'])(
    'accepts %s only when local receivers are allowed, and says so',
    (url) => {
      expect(checkWebhookUrl(url, { allowLocal: true })).toMatchObject({ ok: true, local: true });
      expect(reasonOf(url)).toMatch(/loopback .*: accepted only in local development \(ATTUNE_ENV=development, or `attune validate --dev`\)/);
    },
  );

  it('still refuses private ranges, metadata and plain http to public hosts in development', () => {
    expect(reasonOf('http://169.254.169.254/', true)).toMatch(/cloud metadata address/);
    expect(reasonOf('http://10.0.0.1:8080/', true)).toMatch(/private network address/);
    expect(reasonOf('http://[::ffff:127.0.0.1]/', true)).toMatch(/IPv4-mapped/);
    expect(reasonOf('http://hooks.example.com/', true)).toMatch(/is http:/);
  });
});
