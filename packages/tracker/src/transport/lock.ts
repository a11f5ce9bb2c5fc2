// One tab flushes at a time, so two tabs never send the same stored event at once.
import { now, store } from '../util.js';

const LEASE_MS = 30_000;
const tab = Math.random().toString(36).slice(2);

/** Runs `fn` if no other tab holds the lock; resolves to false when it did not run. */
export async function withLock(name: string, fn: () => Promise<void>): Promise<boolean> {
  const locks = navigator.locks;
  if (locks) return locks.request(name, { ifAvailable: true }, async (l) => !!l && (await fn(), true));
  // No Web Locks (older WebKit): a lease in localStorage, taken only when free or expired.
  const [owner, until] = (store.get(name) ?? '').split(' ');
  if (owner && owner !== tab && +until! > now()) return false;
  store.set(name, `${tab} ${now() + LEASE_MS}`);
  try {
    await fn();
  } finally {
    store.set(name, null);
  }
  return true;
}
