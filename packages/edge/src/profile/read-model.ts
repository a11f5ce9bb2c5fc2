// A profile writer's read model in KV: the profile JSON and its id → profile mappings. One loop writes the
// newest profile: concurrent batches share a KV write (a hot profile would otherwise queue one per batch) and
// an older profile never overwrites a newer one. Each publish resolves once KV holds its profile or a newer one.
import type { Profile } from '../contract/index.js';
import { kvId, kvProfile } from './keys.js';
import { idTtl, profileTtl } from './lifetimes.js';

type Waiter = { version: number; resolve: () => void; reject: (e: unknown) => void };

export class ReadModel {
  private version = 0;
  private latest: { p: Profile; retentionDays: number; ids: Set<string>; gone: Set<string> } | null = null;
  private waiters: Waiter[] = [];
  private writing = false;

  /**
   * @param kv the PROFILES namespace
   * @param publishable whether the object still holds a profile of its own (not absorbed or erased meanwhile)
   */
  constructor(
    private readonly kv: () => KVNamespace,
    private readonly publishable: () => boolean,
  ) {}

  /** Resolves once KV holds this profile (or a newer one), so a 200 from ingest means decide can read it. */
  publish(p: Profile, retentionDays: number, newIds: string[], absorbedKeys: string[]): Promise<void> {
    const version = ++this.version;
    const l = (this.latest ??= { p, retentionDays, ids: new Set(), gone: new Set() });
    l.p = p;
    l.retentionDays = retentionDays;
    for (const k of newIds) l.ids.add(k);
    for (const k of absorbedKeys) l.gone.add(k);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ version, resolve, reject }));
    if (!this.writing) void this.writeLoop();
    return done;
  }

  private async writeLoop() {
    this.writing = true;
    while (this.latest) {
      const { p, retentionDays, ids, gone } = this.latest;
      const version = this.version;
      this.latest = null;
      try {
        // A profile absorbed meanwhile is the merged one's to publish.
        if (this.publishable()) {
          const kv = this.kv();
          await Promise.all([
            kv.put(kvProfile(p.site, p.id), JSON.stringify(p), { expirationTtl: profileTtl(retentionDays) }),
            // Rewritten with every id now and then (writer.ts, lifetimes.ts): they live as long as the profile.
            ...[...ids].filter((k) => k !== p.id).map((k) => kv.put(kvId(p.site, k), p.id, { expirationTtl: idTtl(retentionDays) })),
            ...[...gone].map((k) => kv.delete(kvProfile(p.site, k))),
          ]);
        }
        this.settle((w) => w.version <= version, (w) => w.resolve());
      } catch (e) {
        this.settle((w) => w.version <= version, (w) => w.reject(e));
      }
    }
    this.writing = false;
  }

  private settle(match: (w: Waiter) => boolean, act: (w: Waiter) => void) {
    const due = this.waiters.filter(match);
    this.waiters = this.waiters.filter((w) => !match(w));
    due.forEach(act);
  }
}
