// The demo store's stand-in for a shop's backend: once a customer signed in, it proves their user id to Attune
// as a real backend would — userHash = hex HMAC-SHA-256 of the user id with the site's identity secret — so the
// page's `attune.identify(id, traits, { userHash })` links this browser to the customer's profile.
// The demo signs in by email alone, so this signs for whatever email is typed: a real shop signs only the user
// it authenticated. The demo store's Worker (worker.ts) mounts it for local runs; it answers in development only.
import type { SiteWithId } from '../../packages/edge/src/contract/sites.js';
import { identitySecret, userHash } from '../../packages/edge/src/http/identity-proof.js';

/** The customer id of an email, as shop.js derives it: the same on every device. FNV-1a of the trimmed, lower-cased email. */
export function customerId(email: string): string {
  const s = email.trim().toLowerCase();
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return `cust-${h.toString(16).padStart(8, '0')}`;
}

/** POST {"email"} → {"userId", "userHash"}; 404 outside development or without the demo site. */
export async function demoSignIn(request: Request, env: object, site: SiteWithId | undefined): Promise<Response> {
  const secret = site && (env as { ATTUNE_ENV?: string }).ATTUNE_ENV === 'development' ? identitySecret(env, site) : null;
  if (!secret) return Response.json({ success: false, error: 'the demo sign-in runs in local development only' }, { status: 404 });
  const body = (await request.json().catch(() => null)) as { email?: unknown } | null;
  const email = typeof body?.email === 'string' ? body.email.trim() : '';
  if (!email || email.length > 200) return Response.json({ success: false, error: 'email: send the address the customer signed in with' }, { status: 400 });
  const userId = customerId(email);
  return Response.json({ userId, userHash: await userHash(secret, userId) }, { headers: { 'cache-control': 'no-store' } });
}
