// Account passwords: PBKDF2-SHA-256 by WebCrypto with a random 16-byte salt per password. 100,000 iterations is
// the most workerd computes (it refuses more), and the floor the studio's contract sets; the count is stored
// beside each hash, so raising it later leaves old hashes readable.
import { b64url, fromB64url } from '../http/hmac-key.js';

export const PBKDF2_ITERATIONS = 100_000;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { hash: b64url(await derive(password, salt, iterations)), salt: b64url(salt), iterations };
}

/** Whether `password` is the one `stored` was made from, compared without an early exit. */
export async function passwordMatches(password: string, stored: PasswordHash): Promise<boolean> {
  const got = await derive(password, fromB64url(stored.salt), stored.iterations);
  const want = fromB64url(stored.hash);
  if (got.length !== want.length) return false;
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff |= got[i]! ^ want[i]!;
  return diff === 0;
}

/**
 * A hash no password matches, made once per isolate: a sign-in with an unknown name derives against it, so it takes
 * as long as one with a known name and a wrong password, and timing does not tell which names exist.
 */
let decoy: Promise<PasswordHash> | undefined;
export const decoyHash = () => (decoy ??= hashPassword(b64url(crypto.getRandomValues(new Uint8Array(32)))));

/** Pure: why a new password is refused, or null. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'password: expected a string';
  if (password.length < MIN_PASSWORD_LENGTH) return `password: at least ${MIN_PASSWORD_LENGTH} characters, got ${password.length}`;
  if (password.length > MAX_PASSWORD_LENGTH) return `password: at most ${MAX_PASSWORD_LENGTH} characters, got ${password.length}`;
  return null;
}
