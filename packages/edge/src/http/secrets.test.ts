import { describe, expect, it } from 'vitest';
import { sameSecret, workerSecret } from './secrets.js';

describe('workerSecret', () => {
  it('is the secret when set, the stand-in only in local development, and nothing in a deployment', () => {
    expect(workerSecret({ X: 's3cret', ATTUNE_ENV: 'production' }, 'X', 'dev-x')).toBe('s3cret');
    expect(workerSecret({ ATTUNE_ENV: 'development' }, 'X', 'dev-x')).toBe('dev-x');
    expect(workerSecret({ ATTUNE_ENV: 'production' }, 'X', 'dev-x')).toBeNull();
    expect(workerSecret({ X: '', ATTUNE_ENV: 'production' }, 'X', 'dev-x')).toBeNull();
  });

  it('reads only the env object’s own values: a name like toString is not Object’s member', () => {
    expect(workerSecret({ ATTUNE_ENV: 'production' }, 'toString', 'dev-x')).toBeNull();
  });
});

describe('sameSecret', () => {
  it('is true only for the same string, whatever the lengths', async () => {
    expect(await sameSecret('dev-admin', 'dev-admin')).toBe(true);
    expect(await sameSecret('dev-admin', 'dev-admiN')).toBe(false);
    expect(await sameSecret('dev-admin', 'dev-admin ')).toBe(false);
    expect(await sameSecret('', 'x')).toBe(false);
  });
});
