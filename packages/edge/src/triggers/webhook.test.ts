// The signature a receiver checks, against a value computed outside this code (Python: hmac.new(key, f"{t}.{body}", sha256)), and the retry schedule.
import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0005_triggers.sql?raw';
import { TRIGGER_LOG_SCHEMA } from './log.js';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, signatureHeader } from './webhook.js';

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', async () => {
    const body = JSON.stringify({ id: 'demo:a:x:cart:1', trigger: 'cart' });
    const expected = '0ab479861714adcb50c7d2982d6b2bc12977a34fda999ae02c77d90e9c519a4f';
    expect(await signatureHeader('whsec_test', 1767225600, body)).toBe(`t=1767225600,v1=${expected}`);
  });
  it('retries after 1, 5, 30 and 120 minutes, five attempts in all', () => {
    expect(RETRY_DELAYS_MS.map((ms) => ms / 60_000)).toEqual([1, 5, 30, 120]);
    expect(MAX_ATTEMPTS).toBe(5);
  });
});

describe('trigger log schema', () => {
  const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();
  it('is the same in the D1 migration and in the Worker', () => {
    expect(migration.split(';').map(norm).filter(Boolean)).toEqual(TRIGGER_LOG_SCHEMA.map(norm));
  });
});
