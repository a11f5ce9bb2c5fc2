// Where a preview link may point: a path on the site, with its query, never another origin, never an old token.
import { describe, expect, it } from 'vitest';
import { linkTo, previewPath } from './preview-create.js';

describe('previewPath', () => {
  it('keeps a path with its query and fragment, defaults to the home page, drops an old link token', () => {
    expect(previewPath(undefined)).toBe('/');
    expect(previewPath('/products/hydra-serum?ref=studio#reviews')).toBe('/products/hydra-serum?ref=studio#reviews');
    expect(previewPath('/c/serums?attune_preview=old.token&skin=dry')).toBe('/c/serums?skin=dry');
  });

  it('refuses another origin, a relative path, spaces and backslashes, with a 400 naming the field', () => {
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'products', '/a b', '/a\nb', 42, '/' + 'x'.repeat(2000)])
      expect(() => previewPath(bad), String(bad)).toThrow(/^path: a path on this site/);
  });
});

describe('linkTo', () => {
  it('adds the token as the preview parameter, after the query the page already has', () => {
    expect(linkTo('/', 'abc.def')).toBe('/?attune_preview=abc.def');
    expect(linkTo('/c/serums?skin=dry#top', 'abc.def')).toBe('/c/serums?skin=dry&attune_preview=abc.def#top');
  });
});
