// The single writer of one profile (a Durable Object per site + profile key, SQLite-backed).
// Batches are applied one at a time in arrival order; repeated messageIds are dropped; the result is
// committed to the object's storage before the call returns (so ingest acknowledges only durable data),
// then written to KV, the read model. A profile merged into another becomes a forwarder to it, for as long
// as the merged profile lives (lifetimes.ts).
import { DurableObject } from 'cloudflare:workers';
import type { ConsentState, Profile } from '../contract/index.js';
import { PROFILE_BOUNDS } from '../contract/index.js';
import type { Flag } from '../ingest/clean.js';
import type { Rule } from '../contract/rules.js';
import type { Trigger } from '../contract/triggers.js';
import { tombstone } from '../archive/tombstones.js';
import { eraseEventsOf } from '../log/event-log.js';
import { recomputeSegments } from '../segments/membership.js';
import { emailKey } from '../hash/email-key.js';
import { addFlags, applyEvent, emptyProfile } from './apply.js';
import type { AcceptedEvent } from '../contract/events.js';
import { kvId, kvProfile, writer } from './keys.js';
import { linkPlan } from './linking.js';
import { alarmAction, idKeys, idsDue } from './lifetimes.js';
import { mergeProfiles } from './merge.js';
import { ReadModel } from './read-model.js';
import { parseProfile } from './revive.js';
import { eraseTriggerLog } from '../triggers/log.js';
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
interface Absorbed {
  profile: Profile | null;
  seen: string[];
  /** set when that id already belongs to another profile */
  mergedInto?: string;
}

type Env = Cloudflare.Env;

/** 20 days: under the 2^31 ms (24.8 days) a timer can hold. */
const ALARM_MAX_MS = 20 * 86_400_000;

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
      if (target) {
        // Events this object applied before the merge are already in the merged profile.
        const seen = this.seenOf(call.events.map((e) => e.messageId));
        const keep = call.events.map((e, i) => [e, call.flags[i] ?? []] as const).filter(([e]) => !seen.has(e.messageId));
        const done = await writer(this.env.PROFILE_WRITER, call.site, target).ingest({ ...call, key: target, events: keep.map((x) => x[0]), flags: keep.map((x) => x[1]) });
        // The RPC type of free-form event properties collapses to never; the shape is ingest()'s own.
        return { kind: 'forwarded' as const, done: done as unknown as IngestResult };
      }

      // Ids this batch links to this profile (identify/any event with both ids, alias): absorb their profiles.
      const before = this.profile();
      const known = new Set([call.key, ...(before?.ids.merged ?? []), ...(before?.ids.anonymousIds ?? []).map((a) => `a:${a}`)]);
      const links = new Set<string>();
      // Any await below lets other calls reach this object (an absorbInto from another writer among them).
      let awaited = false;
      // Which ids link is the policy of linking.ts (verified ids only); absorbing them is this object's job.
      const plan = linkPlan(call.key, call.events);
      for (const k of plan.keys) if (!known.has(k)) links.add(k);
      for (const email of plan.emails) {
        awaited = true;
        const k = await emailKey(email);
        if (!known.has(k)) links.add(k);
      }
      const absorbed: [string, Absorbed][] = [];
      for (const k of links) {
        const a = (await writer(this.env.PROFILE_WRITER, call.site, k).absorbInto(call.key)) as unknown as Absorbed; // RPC types collapse the profile
        absorbed.push([k, a]);
        // The email's key already forwards to another profile (imported under a customer id): absorb that one.
        const to = a.mergedInto;
        if (to && k.startsWith('u:sha256:') && to !== call.key && !known.has(to) && !links.has(to))
          absorbed.push([to, await writer(this.env.PROFILE_WRITER, call.site, to).absorbInto(call.key)]);
      }

      // From here to the commit nothing awaits, so the read-merge-write below is atomic: one SQLite transaction.
      return this.atomically(() => {
        const now = new Date().toISOString();
        // Re-read after any await: meanwhile this object may itself have been absorbed. When it took nothing from
        // others yet, the batch is refused (ingest answers 5xx; the retry is forwarded to the merged profile, once).
        if ((awaited || links.size) && !absorbed.some(([, a]) => a.profile) && this.mergedInto())
          throw new Error('this profile was merged into another while the batch was applied; retry');
        let p = (awaited || links.size ? this.profile() : before) ?? emptyProfile(call.site, call.key, call.events[0]?.timestamp ?? now);
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
        const seen = this.seenOf(call.events.map((e) => e.messageId));
        const history = historyOfProfile(p); // before this batch: what its products pair with
        const freshEvents: AcceptedEvent[] = [];
        call.events.forEach((e, i) => {
          if (seen.has(e.messageId)) return;
          seen.add(e.messageId); // a repeat inside the same batch counts once too
          freshEvents.push(e);
          applyEvent(p, e);
          addFlags(p, call.flags[i] ?? [], e.timestamp);
        });
        const fresh = freshEvents.map((e) => e.messageId);
        this.remember(fresh);
        const applied = fresh.length;
        for (const a of p.ids.anonymousIds) if (!had.has(a)) newIds.push(`a:${a}`);
        if (p.ids.userId) newIds.push(`u:${p.ids.userId}`);
        // The sender's count of dropped events is cumulative: keep the highest reported.
        p.quality.droppedByClient = Math.max(p.quality.droppedByClient, call.dropped || 0);
        const membership = applied || absorbed.length ? this.segmentsOf(p, call.segments) : [];
        this.timers.afterMerge(p, call.triggers, call.events, fresh, membership, call.replenishDays);
        const increments = recIncrements(p.id, history, freshEvents);
        const recs: RecDerivation[] = increments.items.length ? [{ claim: `${call.key}|${fresh[0]}`, ...increments }] : [];
        // A retried batch hands back what its first delivery derived, for the log that may have missed it.
        const replayed = this.derived.of(call.events.map((e) => e.messageId).filter((id) => !fresh.includes(id)));
        this.derived.remember(fresh[0], { events: membership, recs });
        newIds.push(...this.commit(p, call.retentionDays));
        return {
          kind: 'applied' as const,
          p,
          applied,
          newIds,
          membership: [...membership, ...replayed.events],
          recs: [...recs, ...replayed.recs],
          absorbedKeys: absorbed.filter(([, a]) => a.profile).map(([k]) => k),
        };
      });
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

  /** Recomputes segment membership in place; returns the entries and exits as events to log. */
  private segmentsOf(p: Profile, rules: [string, Rule][] | undefined): AcceptedEvent[] {
    if (!rules) return [];
    const now = Date.now();
    const at = new Date(now).toISOString();
    const { segments, entered, exited } = recomputeSegments(p, new Map(rules), now);
    p.segments = segments;
    const event = (name: 'Segment Entered' | 'Segment Exited', id: string): AcceptedEvent => ({
      type: 'track',
      event: name,
      messageId: `segment:${p.id}:${id}:${name === 'Segment Entered' ? 'in' : 'out'}:${at}`,
      anonymousId: p.ids.anonymousIds[0],
      userId: p.ids.userId,
      timestamp: at,
      receivedAt: at,
      properties: { segment_id: id },
    });
    return [...entered.map((id) => event('Segment Entered', id)), ...exited.map((id) => event('Segment Exited', id))];
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

  private alarmAt = 0;
  /**
   * Expire when not seen for the retention period (the alarm re-checks lastSeen). The alarm is never set
   * further than ALARM_MAX_MS ahead: local runtimes keep alarms in timers, and a delay past 2^31 ms fires at
   * once — an alarm that re-arms itself then spins and starves the object. Set only when it moves, not per batch.
   */
  private scheduleExpiry(due: number) {
    // The one alarm also serves trigger timers, which must fire on time: only a move later by under an hour is skipped.
    const at = Math.min(due, Date.now() + ALARM_MAX_MS, this.timers.earliest());
    if (at >= this.alarmAt && at - this.alarmAt < 3_600_000) return;
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
      const keys = new Set([p.id, ...idKeys(p)]); // and so every forwarder to it (lifetimes.ts)
      const userIds = [...keys].filter((k) => k.startsWith('u:')).map((k) => k.slice(2));
      const events = await eraseEventsOf(this.env.EVENTS, site, p.ids.anonymousIds, userIds);
      // The archive's files cannot be edited in place: the tombstone hides the person from every read at once,
      // and the next compaction rewrites the days that hold them (archive/tombstones.ts).
      await tombstone(this.env.EVENTS, site, p.ids.anonymousIds, userIds, Date.now());
      await eraseTriggerLog(this.env.EVENTS, site, [...keys]);
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
