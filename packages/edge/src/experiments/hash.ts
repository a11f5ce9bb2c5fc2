// Deterministic bucketing: the same experiment and id always land in the same place (sticky arms).
import { hash32, hex32 } from '../hash/fast.js';

/** A uniform number in [0, 1) for (namespace, id). */
export const bucket = (namespace: string, id: string) => hash32(`${namespace}\u0000${id}`) / 2 ** 32;

/** The arm whose cumulative weight (out of 100) covers the bucket. */
export function pickArm<A extends { id: string; weight: number }>(arms: readonly A[], u: number): A {
  let edge = 0;
  for (const arm of arms) {
    edge += arm.weight / 100;
    if (u < edge) return arm;
  }
  return arms[arms.length - 1]!;
}

/** A short, stable version of a JSON value (keys sorted), e.g. for the config that made a decision. */
export function versionOf(value: unknown): string {
  const canonical = JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
  return hex32(hash32(canonical)) + hex32(hash32(canonical, 0x9747b28c));
}
