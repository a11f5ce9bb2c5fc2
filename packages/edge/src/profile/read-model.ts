// A profile writer's read model in KV: the profile JSON and its id → profile mappings. One loop writes the
// newest profile: concurrent batches share a KV write (a hot profile would otherwise queue one per batch) and
// an older profile never overwrites a newer one. Each publish resolves once KV holds its profile or a newer one.
import type { Profile } from '../contract/index.js';
import { kvId, kvProfile } from './keys.js';

type Waiter = { version: number; resolve: () => void; reject: (e: unknown) => void };

export class ReadModel {
  private version = 0;
  private latest: { p: Profile; ttl: number; ids: Set<string>; gone: Set<string> } | null = null;
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
    const l = (this.latest ??= { p, ttl: 0, ids: new Set(), gone: new Set() });
    l.p = p;
    l.ttl = Math.max(60, retentionDays * 86_400);
    for (const k of newIds) l.ids.add(k);
    for (const k of absorbedKeys) l.gone.add(k);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ version, resolve, reject }));
    if (!this.writing) void this.writeLoop();
    return done;
  }

  private async writeLoop() {
    this.writing = true;
    while (this.latest) {
      const { p, ttl, ids, gone } = this.latest;
      const version = this.version;
      this.latest = null;
      try {
        // A profile absorbed meanwhile is the merged one's to publish.
        if (this.publishable()) {
          const kv = this.kv();
          await Promise.all([
            kv.put(kvProfile(p.site, p.id), JSON.stringify(p), { expirationTtl: ttl }),
            ...[...ids].filter((k) => k !== p.id).map((k) => kv.put(kvId(p.site, k), p.id, { expirationTtl: ttl })),
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
