// The single writer of one profile (a Durable Object per site + profile key, SQLite-backed).
// Batches are applied one at a time in arrival order; repeated messageIds are dropped; the result is
// committed to the object's storage before the call returns (so ingest acknowledges only durable data),
// then written to KV, the read model. A profile merged into another becomes a forwarder to it, for as long
// as the merged profile lives (lifetimes.ts).
import { DurableObject } from 'cloudflare:workers';
import type { ConsentState, Flag, Profile } from '../contract/index.js';
import { PROFILE_BOUNDS } from '../contract/index.js';
import type { AcceptedEvent } from '../contract/events.js';
import type { Rule } from '../contract/rules.js';
import type { Trigger } from '../contract/triggers.js';
import { emptyProfile } from './apply.js';
import { applyBatch } from './batch.js';
import { eraseElsewhere } from './erase.js';
import { writer } from './keys.js';
import { absorbedKeys, foldAbsorbed, forwardToFollow, knownKeys, newLinks, type Absorbed } from './linking.js';
import { alarmAction, idKeys, idsDue, nextAlarm } from './lifetimes.js';
import { ReadModel } from './read-model.js';
import { parseProfile } from './revive.js';
import { updateMembership } from './segment-events.js';
import { TriggerTimers, type TimerRow } from './timers.js';
import { DerivedEvents } from './derived-events.js';
import { historyOfProfile, recIncrements } from '../recs/stats.js';
import type { RecDerivation } from '../recs/store.js';

export interface IngestCall {
  site: string;
  key: string;
  retentionDays: number;
  events: AcceptedEvent[];
  /** cleaning findings, per event (same order) */
  flags: Flag[][];
  /** events the sender reports it had to drop so far */
  dropped: number;
  /** the config's segment rules, by id: membership is recomputed after every batch */
  segments?: [string, Rule][];
  /** the config's triggers, scheduled and cancelled after every batch (profile/timers.ts) */
  triggers?: Trigger[];
  /** catalog replenishment periods of the products this batch orders, for repurchase-due */
  replenishDays?: Record<string, number>;
}
export interface IngestResult {
  profileId: string;
  applied: number;
  duplicates: number;
  /** segment entries and exits this batch caused, for the caller to log with the batch's events */
  membership: AcceptedEvent[];
  /** the recommendation increments of its new events, for the caller to add in the same D1 batch */
  recs: RecDerivation[];
}
/** The profiles a batch's links absorbed (profile/linking.ts), and whether getting them awaited anything. */
interface Linked {
  absorbed: [string, Absorbed][];
  /** after an await other calls may have reached this object: its state is read again */
  awaited: boolean;
}
/** A batch merged and committed, for the publish after the serial section. */
interface Merged {
  p: Profile;
  applied: number;
  newIds: string[];
  absorbedKeys: string[];
  membership: AcceptedEvent[];
  recs: RecDerivation[];
}

type Env = Cloudflare.Env;

export class ProfileWriter extends DurableObject<Env> {
  private sql: SqlStorage;
  private timers: TriggerTimers;
  private derived: DerivedEvents;
  /** Serializes the calls that change the profile (awaits inside one must not interleave with another). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.timers = new TriggerTimers(ctx.storage.sql);
    this.derived = new DerivedEvents(ctx.storage.sql);
  }

  // Tables are created on the first write only: looking up an unknown id (admin API, consent withdrawal)
  // must not leave an empty object behind.
  // Known after the first look: only init() and wipe() change it, and this object is the only writer.
  private ready: boolean | undefined;
  private exists(): boolean {
    this.ready ??= this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state'").toArray().length > 0;
    return this.ready;
  }
  private init() {
    if (this.exists()) return;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS state (k TEXT PRIMARY KEY, v TEXT NOT NULL);`);
    this.ready = true;
  }

  /** Deletes everything this object holds; it may be used again afterwards (ids can come back). */
  private async wipe() {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.ready = false;
    this.alarmAt = 0;
    this.retention = undefined;
  }

  /**
   * Runs a synchronous section as one SQLite transaction. A throw mid-merge must roll back the messageIds it
   * remembered: kept, they made the client's retry look like a repeat, acknowledged with nothing applied.
   */
  private atomically<T>(fn: () => T): T {
    try {
      return this.ctx.storage.transactionSync(fn);
    } catch (e) {
      this.ready = undefined; // a table created inside the transaction is gone again
      this.retention = undefined;
      throw e;
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private read(k: string): string | undefined {
    if (!this.exists()) return undefined;
    return this.sql.exec<{ v: string }>('SELECT v FROM state WHERE k = ?', k).toArray()[0]?.v;
  }
  private write(k: string, v: string) {
    this.init();
    this.sql.exec('INSERT INTO state (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v', k, v);
  }
  private profile(): Profile | null {
    const v = this.read('profile');
    return v ? parseProfile(v) : null;
  }
  /**
   * The profile for an RPC answer: workerd refuses to serialize the null-prototype maps of a revived profile, so
   * callers get the stored JSON parsed plainly (own keys only) and revive it themselves (resolve.ts, merge.ts).
   */
  private profileForRpc(): Profile | null {
    const v = this.read('profile');
    return v ? (JSON.parse(v) as Profile) : null;
  }
  private mergedInto(): string | undefined {
    return this.read('mergedInto');
  }
  /** The ids among `ids` this object has seen (one query for a whole batch). */
  private seenOf(ids: string[]): Set<string> {
    if (!this.exists()) return new Set();
    const rows = this.sql.exec<{ message_id: string }>('SELECT message_id FROM seen WHERE message_id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    return new Set(rows.toArray().map((r) => r.message_id));
  }
  private remember(ids: string[]) {
    if (!ids.length) return;
    this.init();
    this.sql.exec('INSERT OR IGNORE INTO seen (message_id) SELECT value FROM json_each(?)', JSON.stringify(ids));
    // A bounded window: forget the oldest beyond it (rowid grows with insertion).
    this.sql.exec('DELETE FROM seen WHERE rowid <= (SELECT max(rowid) FROM seen) - ?', PROFILE_BOUNDS.dedupWindow);
  }

  /** Applies a batch of one profile's events. */
  ingest(call: IngestCall): Promise<IngestResult> {
    return this.serial(async () => {
      const target = this.mergedInto();
      if (target) return { kind: 'forwarded' as const, done: await this.forward(call, target) };
      const before = this.profile();
      // Any await in link() lets other calls reach this object (an absorbInto from another writer among them).
      const linked = await this.link(call, before);
      // From here to the commit nothing awaits, so the read-merge-write is atomic: one SQLite transaction.
      return { kind: 'applied' as const, ...this.atomically(() => this.merge(call, before, linked)) };
    }).then(async (r): Promise<IngestResult> => {
      if (r.kind === 'forwarded') return r.done;
      const { p, applied, newIds, absorbedKeys, membership, recs } = r;
      // Outside the serial section: the next batch merges while this one's read model is written.
      // Entries and exits go back to the ingest, which logs them with the batch's events (one shared D1
      // write there; a write shared between objects is not allowed). Their messageIds are derived from the
      // change itself, so a retried batch logs them once.
      await this.publish(p, call.retentionDays, newIds, absorbedKeys);
      return { profileId: p.id, applied, duplicates: call.events.length - applied, membership, recs };
    });
  }

  /** A batch for a profile merged into `target`: sent on there, without the events applied here before the merge. */
  private async forward(call: IngestCall, target: string): Promise<IngestResult> {
    // Events this object applied before the merge are already in the merged profile.
    const seen = this.seenOf(call.events.map((e) => e.messageId));
    const keep = call.events.map((e, i) => [e, call.flags[i] ?? []] as const).filter(([e]) => !seen.has(e.messageId));
    const done = await writer(this.env.PROFILE_WRITER, call.site, target).ingest({ ...call, key: target, events: keep.map((x) => x[0]), flags: keep.map((x) => x[1]) });
    // The RPC type of free-form event properties collapses to never; the shape is ingest()'s own.
    return done as unknown as IngestResult;
  }

  /** Absorbs the profiles of the ids this batch links (identify/any event with both ids, alias, email). */
  private async link(call: IngestCall, before: Profile | null): Promise<Linked> {
    // Which ids link is the policy of linking.ts (verified ids only); absorbing them is this object's job.
    const known = knownKeys(call.key, before);
    const { keys, hashed } = await newLinks(call.key, call.events, known);
    const absorbed: [string, Absorbed][] = [];
    for (const k of keys) {
      const a = await this.absorbFrom(call.site, k, call.key);
      absorbed.push([k, a]);
      const to = forwardToFollow(k, a, call.key, known, keys);
      if (to) absorbed.push([to, await this.absorbFrom(call.site, to, call.key)]);
    }
    return { absorbed, awaited: hashed || keys.size > 0 };
  }

  private async absorbFrom(site: string, key: string, into: string): Promise<Absorbed> {
    return (await writer(this.env.PROFILE_WRITER, site, key).absorbInto(into)) as unknown as Absorbed; // RPC types collapse the profile
  }

  /** Inside the transaction: folds in what the links absorbed, applies the batch, derives and commits. */
  private merge(call: IngestCall, before: Profile | null, { absorbed, awaited }: Linked): Merged {
    const now = new Date().toISOString();
    // Re-read after any await: meanwhile this object may itself have been absorbed. When it took nothing from
    // others yet, the batch is refused (ingest answers 5xx; the retry is forwarded to the merged profile, once).
    if (awaited && !absorbed.some(([, a]) => a.profile) && this.mergedInto())
      throw new Error('this profile was merged into another while the batch was applied; retry');
    const start = (awaited ? this.profile() : before) ?? emptyProfile(call.site, call.key, call.events[0]?.timestamp ?? now);
    for (const [, a] of absorbed) this.remember(a.seen); // their repeats are this batch's repeats too
    const { p, newIds } = foldAbsorbed(start, absorbed);
    const history = historyOfProfile(p); // before this batch: what its products pair with
    const batch = applyBatch(p, call.events, call.flags, this.seenOf(call.events.map((e) => e.messageId)), call.dropped);
    const fresh = batch.fresh.map((e) => e.messageId);
    this.remember(fresh);
    const membership = fresh.length || absorbed.length ? this.segmentsOf(p, call.segments) : [];
    this.timers.afterMerge(p, call.triggers, call.events, fresh, membership, call.replenishDays);
    const derived = this.derive(call, p.id, history, batch.fresh, membership);
    newIds.push(...batch.newIds, ...this.commit(p, call.retentionDays));
    return { p, applied: fresh.length, newIds, absorbedKeys: absorbedKeys(absorbed), ...derived };
  }

  /**
   * The batch's recommendation increments, and what its retry hands back: what the first delivery of its repeated
   * events derived, for the log that may have missed it (derived-events.ts).
   */
  private derive(call: IngestCall, profileId: string, history: ReturnType<typeof historyOfProfile>, freshEvents: AcceptedEvent[], membership: AcceptedEvent[]) {
    const fresh = new Set(freshEvents.map((e) => e.messageId));
    const first = freshEvents[0]?.messageId;
    const increments = recIncrements(profileId, history, freshEvents);
    const recs: RecDerivation[] = increments.items.length ? [{ claim: `${call.key}|${first}`, ...increments }] : [];
    const replayed = this.derived.of(call.events.map((e) => e.messageId).filter((id) => !fresh.has(id)));
    this.derived.remember(first, { events: membership, recs });
    return { membership: [...membership, ...replayed.events], recs: [...recs, ...replayed.recs] };
  }

  /**
   * Segment membership, recomputed in place (segment-events.ts): its entries and exits, to log. A method of its
   * own so the faults suite can make the writer throw here, mid-merge (test/worker/faults.test.ts).
   */
  private segmentsOf(p: Profile, rules: [string, Rule][] | undefined): AcceptedEvent[] {
    return rules ? updateMembership(p, rules, Date.now()) : [];
  }

  /** The retention last stored (it changes only with the config: not rewritten every batch). */
  private retention: string | undefined;
  /** Stores the profile; answers all its ids when their KV mappings are due a rewrite (lifetimes.ts), else none. */
  private commit(p: Profile, retentionDays: number): string[] {
    this.write('profile', JSON.stringify(p));
    this.retention ??= this.read('retentionDays');
    if (this.retention !== String(retentionDays)) this.write('retentionDays', (this.retention = String(retentionDays)));
    this.scheduleExpiry(Date.parse(p.lastSeen) + retentionDays * 86_400_000);
    if (!idsDue(Number(this.read('idsAt')), Date.now())) return [];
    this.write('idsAt', String(Date.now()));
    return idKeys(p);
  }

  /** When the alarm set by this instance fires (0: none set). */
  private alarmAt = 0;
  /** Expire when not seen for the retention period, or run a trigger timer before: nextAlarm (lifetimes.ts) says when. */
  private scheduleExpiry(due: number) {
    const at = nextAlarm({ expiry: due, timers: this.timers.earliest(), set: this.alarmAt, now: Date.now() });
    if (at === undefined) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  // KV, the read model: one loop writes the newest profile (read-model.ts).
  private readModel = new ReadModel(() => this.env.PROFILES, () => this.publishable());
  private publish(p: Profile, retentionDays: number, newIds: string[], absorbedKeys: string[]): Promise<void> {
    return this.readModel.publish(p, retentionDays, newIds, absorbedKeys);
  }

  /** Holds a profile of its own (not absorbed meanwhile, not erased): one lookup, without reading the JSON. */
  private publishable(): boolean {
    if (!this.exists()) return false;
    const ks = this.sql.exec<{ k: string }>("SELECT k FROM state WHERE k IN ('profile', 'mergedInto')").toArray().map((r) => r.k);
    return ks.includes('profile') && !ks.includes('mergedInto');
  }

  /**
   * Hands this profile to `target` and becomes a forwarder to it. Synchronous on purpose: it never
   * waits on another object (no deadlock when two profiles absorb each other) and is atomic.
   */
  absorbInto(target: string): Absorbed {
    this.init();
    const seen = this.sql.exec<{ message_id: string }>('SELECT message_id FROM seen').toArray().map((r) => r.message_id);
    const already = this.mergedInto();
    if (already && already !== target) return { profile: null, seen, mergedInto: already };
    const profile = already ? null : this.profileForRpc();
    this.write('mergedInto', target);
    this.sql.exec("DELETE FROM state WHERE k = 'profile'");
    return { profile, seen };
  }

  /** The profile, or where this id now resolves to. */
  get(): { profile: Profile | null; mergedInto?: string } {
    const mergedInto = this.mergedInto();
    return mergedInto ? { profile: null, mergedInto } : { profile: this.profileForRpc() };
  }

  /** Records the visitor's own consent choice (POST /v1/consent). */
  setConsent(site: string, key: string, consent: ConsentState, at: string, anonymousId: string, retentionDays: number): Promise<string> {
    return this.serial(async () => {
      const target = this.mergedInto();
      if (target) return writer(this.env.PROFILE_WRITER, site, target).setConsent(site, target, consent, at, anonymousId, retentionDays);
      const p = this.profile() ?? emptyProfile(site, key, at);
      if (!p.ids.anonymousIds.includes(anonymousId)) p.ids.anonymousIds.push(anonymousId);
      p.consent = { ...consent, updatedAt: at };
      return { p, ids: this.commit(p, retentionDays) };
    }).then(async (r) => {
      if (typeof r === 'string') return r;
      await this.publish(r.p, retentionDays, [`a:${anonymousId}`, ...r.ids], []);
      return r.p.id;
    });
  }

  /**
   * Erases the profile everywhere: what erase.ts removes (the event log, archive, trigger log, KV, the objects
   * merged into it), then this object's storage. Answers only when all of it is gone.
   */
  erase(site: string): Promise<{ erased: string | null; events: number }> {
    return this.serial(async () => {
      const target = this.mergedInto();
      if (target) return writer(this.env.PROFILE_WRITER, site, target).erase(site);
      const p = this.profile();
      const events = p ? await eraseElsewhere(this.env, site, p) : 0;
      await this.wipe();
      return { erased: p?.id ?? null, events };
    });
  }

  /** Drops a forwarder's storage (its profile was erased). */
  forget(): Promise<void> {
    return this.wipe();
  }

  /** Retention: a profile not seen for the retention period is erased; a forwarder stays (lifetimes.ts). */
  override async alarm(): Promise<void> {
    await this.timers.runDue(this.profile(), this.env as unknown as Parameters<TriggerTimers['runDue']>[1]);
    const p = this.profile();
    this.alarmAt = 0; // this alarm has fired: none is set now
    const act = alarmAction({ forwarding: !!this.mergedInto(), lastSeen: p?.lastSeen, retentionDays: Number(this.read('retentionDays') ?? 395), now: Date.now() });
    if (act.do === 'forget') await this.forget();
    else if (act.do === 'wait') this.scheduleExpiry(act.until);
    else if (act.do === 'expire' && p) await this.erase(p.site);
  }

  /** The trigger timers still to fire, as stored (GET /v1/profiles/:id/export shapes them). */
  pendingTimers(): TimerRow[] {
    return this.timers.rows().filter((r) => r.status === 'pending');
  }
}
