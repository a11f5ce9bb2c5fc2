// Hashes whose values outlive a deploy, pinned: each was computed by the code before the hashes were gathered
// into src/hash/ (issue 22) and must never change. A changed bucket moves visitors to another experiment arm, a
// changed contentId makes a client's retry count twice, a changed email key splits an imported customer from
// their online profile, a changed KV key or archive name orphans what is stored under the old one.
import { describe, expect, it } from 'vitest';
import { idsDigest } from '../archive/merge.js';
import { catalogVersion } from '../catalog/compile.js';
import type { Catalog } from '../contract/catalog.js';
import { bucket, versionOf } from '../experiments/hash.js';
import { clientOf } from '../http/rate-limit.js';
import { contentId } from '../ingest/validate.js';
import type { AcceptedEvent } from '../contract/events.js';
import { linkPlan } from '../profile/linking.js';
import { keyPart } from '../recs/kv-layout.js';
import { EMAIL_KEYS } from './email-key-samples.js';
import { emailKey } from './email-key.js';

const TEXTS = ['', 'a', 'visitor-1', 'crème brûlée', '🙂 emoji', 'x'.repeat(300), 'lone \ud800 surrogate'];

describe('values that are stored or sent stay what they were', () => {
  it('experiment buckets (sticky arms) and config versions', () => {
    const pairs = [['hero-test', 'user-1'], ['exp-a', 'visitor-1'], ['e', 'crème'], ['', '']] as const;
    expect(pairs.map(([e, id]) => bucket(e, id))).toEqual([0.6827230707276613, 0.7303303100634366, 0.7064594069961458, 0.02137250336818397]);
    expect([{ a: 1, b: { c: 2 } }, [1, 'x'], 'crème', null].map((v) => versionOf(v))).toEqual(['b24558caef56c77c', '4d065f672123d250', '5adeda9d31efb6a8', 'a881327704b13782']);
  });

  it('catalog versions', () => {
    const catalogs = [{ products: [] }, { products: [{ id: 'p1', name: 'Crème' }] }] as unknown as Catalog[];
    expect(catalogs.map((c) => catalogVersion(c))).toEqual(['741638a5648b2a49', '7f24e4ff7430dc45']);
  });

  it('rate-limit client keys (the binding counts per key)', () => {
    const ctx = (ip: string) => ({ req: { header: (n: string) => (n === 'cf-connecting-ip' ? ip : undefined) } }) as unknown as Parameters<typeof clientOf>[0];
    expect(['203.0.113.7', '2001:db8:1:2:3:4:5:6', '::ffff:203.0.113.7', ''].map((ip) => clientOf(ctx(ip)))).toEqual(['13whbkw', '1qkkev8', '13whbkw', 'ztntfp']);
  });

  it('messageIds derived from an event without one (a retry must match its first copy)', () => {
    expect(TEXTS.map(contentId)).toEqual([
      'auto-488bdcb81aee8d83-0',
      'auto-501c2ba782c97901-1',
      'auto-4a58df1575e4ad31-9',
      'auto-d9ff63f54272236d-12',
      'auto-3a692901b1a8ee83-8',
      'auto-e4dbe5fd38e74463-300',
      'auto-83bcb9a0467142d6-16',
    ]);
  });

  it('recommendation KV key parts and compacted archive file names', async () => {
    expect(await Promise.all(['p1', 'a b/c', 'x'.repeat(250), 'ü'.repeat(100)].map(keyPart))).toEqual([
      'p1',
      'a%20b%2Fc',
      '#086d4a1c293bde318dc1fec9a21b9d828ba7637bcbdc5cdb42662fd84b733e9f',
      '#83af2e24c464bea3ce77f43643ef76b5726234733b89415dc66f1aa37bfeb283',
    ]);
    expect(await Promise.all([[], ['m2', 'm1'], ['crème']].map((ids) => idsDigest(ids)))).toEqual([
      '2d27fbdf4e8ca207afbfa388ca9172fb',
      '598d679aff7b42d855c9df958bc631ae',
      '0c92f655d7e2270170212adc26091a64',
    ]);
  });
});

describe('the profile key of a person known by email', () => {
  it('is what the Worker gave each messy address before: linkPlan cleans it, emailKey hashes it', async () => {
    for (const [raw, key] of EMAIL_KEYS) {
      const event = { type: 'identify', messageId: 'm', userId: 'x', traits: { email: raw }, timestamp: 't', receivedAt: 't', trust: 'server' } as AcceptedEvent;
      const { emails } = linkPlan('u:x', [event]);
      expect(await Promise.all(emails.map(emailKey)), JSON.stringify(raw)).toEqual([key]);
    }
  });
});
