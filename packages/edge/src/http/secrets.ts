// Worker secrets: the value set with `wrangler secret put`, or a fixed stand-in only where ATTUNE_ENV=development
// (as `dev-admin` is for the admin API), never in a deployment; and the one way to compare a presented secret.

/** The secret `name` of `env`, else `devFallback` in local development, else null (the feature is off). */
export function workerSecret(env: object, name: string, devFallback: string): string | null {
  const e = env as Record<string, unknown>;
  const value = Object.hasOwn(e, name) ? e[name] : undefined;
  if (typeof value === 'string' && value) return value;
  return e.ATTUNE_ENV === 'development' ? devFallback : null;
}

/** Compares SHA-256 digests (equal length) without an early exit, so neither length nor content leaks through timing. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i]! ^ v[i]!;
  return diff === 0;
}
