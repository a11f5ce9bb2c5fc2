// The single writer of one profile (a Durable Object per site + profile key, SQLite-backed).
// Batches are applied one at a time in arrival order; repeated messageIds are dropped; the result is
// committed to the object's storage before the call returns (so ingest acknowledges only durable data),
// then written to KV, the read model. A profile merged into another becomes a forwarder to it.
import { DurableObject } from 'cloudflare:workers';
import type { ConsentState, Profile } from '../contract/index.js';
import { PROFILE_BOUNDS } from '../contract/index.js';
import type { Flag } from '../ingest/clean.js';
import { eraseEventsOf } from '../log/event-log.js';
import { addFlags, applyEvent, emptyProfile, type AcceptedEvent } from './apply.js';
import { kvId, kvProfile, writer } from './keys.js';
import { mergeProfiles } from './merge.js';

export interface IngestCall {
  site: string;
  key: string;
  retentionDays: number;
  events: AcceptedEvent[];
  /** cleaning findings, per event (same order) */
  flags: Flag[][];
  /** events the sender reports it had to drop so far */
  dropped: number;
}
export interface IngestResult {
  profileId: string;
  applied: number;
  duplicates: number;
}
interface Absorbed {
  profile: Profile | null;
  seen: string[];
  /** set when that id already belongs to another profile */
  mergedInto?: string;
}

type Env = Cloudflare.Env;

export class ProfileWriter extends DurableObject<Env> {
  private sql: SqlStorage;
  /** Serializes the calls that change the profile (awaits inside one must not interleave with another). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.init();
  }

  private init() {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS state (k TEXT PRIMARY KEY, v TEXT NOT NULL);`);
  }

  /** Deletes everything this object holds; it may be used again afterwards (ids can come back). */
  private async wipe() {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.init();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private read(k: string): string | undefined {
    return this.sql.exec<{ v: string }>('SELECT v FROM state WHERE k = ?', k).toArray()[0]?.v;
  }
  private write(k: string, v: string) {
    this.sql.exec('INSERT INTO state (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v', k, v);
  }
  private profile(): Profile | null {
    const v = this.read('profile');
    return v ? (JSON.parse(v) as Profile) : null;
  }
  private mergedInto(): string | undefined {
    return this.read('mergedInto');
  }
  private isSeen(id: string): boolean {
    return this.sql.exec('SELECT 1 FROM seen WHERE message_id = ?', id).toArray().length > 0;
  }
  private remember(ids: string[]) {
    for (const id of ids) this.sql.exec('INSERT OR IGNORE INTO seen (message_id) VALUES (?)', id);
    // A bounded window: forget the oldest beyond it (rowid grows with insertion).
    this.sql.exec('DELETE FROM seen WHERE rowid <= (SELECT max(rowid) FROM seen) - ?', PROFILE_BOUNDS.dedupWindow);
  }

  /** Applies a batch of one profile's events. */
  ingest(call: IngestCall): Promise<IngestResult> {
    return this.serial(async () => {
      const target = this.mergedInto();
      if (target) {
        // Events this object applied before the merge are already in the merged profile.
        const keep = call.events.map((e, i) => [e, call.flags[i] ?? []] as const).filter(([e]) => !this.isSeen(e.messageId));
        return writer(this.env.PROFILE_WRITER, call.site, target).ingest({ ...call, key: target, events: keep.map((x) => x[0]), flags: keep.map((x) => x[1]) });
      }

      // Ids this batch links to this profile (identify/any event with both ids, alias): absorb their profiles.
      const before = this.profile();
      const known = new Set([call.key, ...(before?.ids.merged ?? []), ...(before?.ids.anonymousIds ?? []).map((a) => `a:${a}`)]);
      const links = new Set<string>();
      if (call.key.startsWith('u:')) {
        for (const e of call.events) {
          if (e.anonymousId && !known.has(`a:${e.anonymousId}`)) links.add(`a:${e.anonymousId}`);
          if (e.type === 'alias') for (const k of [`a:${e.previousId}`, `u:${e.previousId}`]) if (!known.has(k)) links.add(k);
        }
      }
      const absorbed: [string, Absorbed][] = [];
      for (const k of links) absorbed.push([k, await writer(this.env.PROFILE_WRITER, call.site, k).absorbInto(call.key)]);

      // From here to the commit nothing awaits, so the read-merge-write below is atomic.
      const now = new Date().toISOString();
      let p = this.profile() ?? emptyProfile(call.site, call.key, call.events[0]?.timestamp ?? now);
      const newIds: string[] = [];
      for (const [k, a] of absorbed) {
        if (a.profile) p = mergeProfiles(p, a.profile);
        if (!a.mergedInto) {
          if (!a.profile && !p.ids.merged.includes(k)) p.ids.merged.push(k);
          newIds.push(k, ...(a.profile ? [...a.profile.ids.merged, ...a.profile.ids.anonymousIds.map((x) => `a:${x}`)] : []));
        }
        this.remember(a.seen);
      }
      const had = new Set(p.ids.anonymousIds);
      let applied = 0;
      call.events.forEach((e, i) => {
        if (this.isSeen(e.messageId)) return;
        this.remember([e.messageId]);
        applyEvent(p, e);
        addFlags(p, call.flags[i] ?? [], e.timestamp);
        applied++;
      });
      for (const a of p.ids.anonymousIds) if (!had.has(a)) newIds.push(`a:${a}`);
      if (p.ids.userId) newIds.push(`u:${p.ids.userId}`);
      // The sender's count of dropped events is cumulative: keep the highest reported.
      p.quality.droppedByClient = Math.max(p.quality.droppedByClient, call.dropped || 0);
      this.commit(p, call.retentionDays);

      await this.publish(p, call.retentionDays, newIds, absorbed.filter(([, a]) => a.profile).map(([k]) => k));
      return { profileId: p.id, applied, duplicates: call.events.length - applied };
    });
  }

  private commit(p: Profile, retentionDays: number) {
    this.write('profile', JSON.stringify(p));
    this.write('retentionDays', String(retentionDays));
    // Expire when not seen for the retention period (the alarm re-checks lastSeen).
    void this.ctx.storage.setAlarm(Date.parse(p.lastSeen) + retentionDays * 86_400_000);
  }

  /** Writes the read model: the profile and the id → profile mappings that changed. */
  private async publish(p: Profile, retentionDays: number, newIds: string[], absorbedKeys: string[]) {
    const ttl = { expirationTtl: Math.max(60, retentionDays * 86_400) };
    const kv = this.env.PROFILES;
    await Promise.all([
      kv.put(kvProfile(p.site, p.id), JSON.stringify(p), ttl),
      ...[...new Set(newIds)].filter((k) => k !== p.id).map((k) => kv.put(kvId(p.site, k), p.id, ttl)),
      ...absorbedKeys.map((k) => kv.delete(kvProfile(p.site, k))),
    ]);
  }

  /**
   * Hands this profile to `target` and becomes a forwarder to it. Synchronous on purpose: it never
   * waits on another object (no deadlock when two profiles absorb each other) and is atomic.
   */
  absorbInto(target: string): Absorbed {
    const seen = this.sql.exec<{ message_id: string }>('SELECT message_id FROM seen').toArray().map((r) => r.message_id);
    const already = this.mergedInto();
    if (already && already !== target) return { profile: null, seen, mergedInto: already };
    const profile = already ? null : this.profile();
    this.write('mergedInto', target);
    this.sql.exec("DELETE FROM state WHERE k = 'profile'");
    return { profile, seen };
  }

  /** The profile, or where this id now resolves to. */
  get(): { profile: Profile | null; mergedInto?: string } {
    const mergedInto = this.mergedInto();
    return mergedInto ? { profile: null, mergedInto } : { profile: this.profile() };
  }

  /** Records the visitor's own consent choice (POST /v1/consent). */
  setConsent(site: string, key: string, consent: ConsentState, at: string, anonymousId: string, retentionDays: number): Promise<string> {
    return this.serial(async () => {
      const target = this.mergedInto();
      if (target) return writer(this.env.PROFILE_WRITER, site, target).setConsent(site, target, consent, at, anonymousId, retentionDays);
      const p = this.profile() ?? emptyProfile(site, key, at);
      if (!p.ids.anonymousIds.includes(anonymousId)) p.ids.anonymousIds.push(anonymousId);
      p.consent = { ...consent, updatedAt: at };
      this.commit(p, retentionDays);
      await this.publish(p, retentionDays, [`a:${anonymousId}`], []);
      return p.id;
    });
  }

  /**
   * Erases the profile everywhere: the event log rows of all its ids, the KV profile and mappings, the
   * objects merged into it, and this object's storage. Answers only when all of it is gone.
   */
  erase(site: string): Promise<{ erased: string | null; events: number }> {
    return this.serial(async () => {
      const target = this.mergedInto();
      if (target) return writer(this.env.PROFILE_WRITER, site, target).erase(site);
      const p = this.profile();
      if (!p) {
        await this.wipe();
        return { erased: null, events: 0 };
      }
      const anonymousIds = p.ids.anonymousIds;
      const keys = new Set([p.id, ...p.ids.merged, ...anonymousIds.map((a) => `a:${a}`), ...(p.ids.userId ? [`u:${p.ids.userId}`] : [])]);
      const userIds = [...keys].filter((k) => k.startsWith('u:')).map((k) => k.slice(2));
      const events = await eraseEventsOf(this.env.EVENTS, site, anonymousIds, userIds);
      await Promise.all(
        [...keys].flatMap((k) => [this.env.PROFILES.delete(kvId(site, k)), this.env.PROFILES.delete(kvProfile(site, k))]),
      );
      for (const k of keys) if (k !== p.id) await writer(this.env.PROFILE_WRITER, site, k).forget();
      await this.wipe();
      return { erased: p.id, events };
    });
  }

  /** Drops a forwarder's storage (its profile was erased). */
  forget(): Promise<void> {
    return this.wipe();
  }

  /** Retention: a profile not seen for the retention period is erased. */
  override async alarm(): Promise<void> {
    const p = this.profile();
    if (!p) return void (await this.forget());
    const days = Number(this.read('retentionDays') ?? 395);
    const due = Date.parse(p.lastSeen) + days * 86_400_000;
    if (due > Date.now()) return void (await this.ctx.storage.setAlarm(due));
    await this.erase(p.site);
  }
}
