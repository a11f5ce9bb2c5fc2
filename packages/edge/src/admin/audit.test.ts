import { describe, expect, it } from 'vitest';
import { auditDetailJson } from './audit.js';

describe('auditDetailJson', () => {
  it('drops secrets, whatever their case, and keeps the rest', () => {
    expect(JSON.parse(auditDetailJson({ name: 'ana', password: 'x', Token: 'y', newPassword: 'z', version: 3 }))).toEqual({ name: 'ana', version: 3 });
  });
  it('cuts long strings and an oversized whole', () => {
    expect(JSON.parse(auditDetailJson({ comment: 'a'.repeat(600) })).comment).toHaveLength(501);
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'b'.repeat(400)]));
    expect(JSON.parse(auditDetailJson(big))).toEqual({ truncated: true, keys: Object.keys(big) });
  });
  it('stores no detail as an empty object', () => expect(auditDetailJson(undefined)).toBe('{}'));
});
