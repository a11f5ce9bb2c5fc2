// The id of a person known by an email address (or a phone number) alone, in one place: `attune import` sends
// such a person as `sha256:<hex>` (cli/import-ids.ts), and the Worker links a visitor who identifies with that
// address to the profile key `u:sha256:<hex>` (profile/linking.ts). Both call this module, so the two cannot
// drift apart and split imported customers from their online profiles (src/cli/email-key.test.ts).
import { sha256Hex } from './sha256.js';

/** An address as Attune compares it: trimmed and lower-cased, nothing more (plus addressing and dots kept). */
export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();

const EMAIL = /^[^\s@"(),:;<>[\]\\]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * An address normalized, and whether it is one worth keying: ingest cleans traits with it, the writer's linking
 * policy (profile/linking.ts) and `attune import` key only valid ones. Here, below both, so neither imports the other.
 */
export function cleanEmail(raw: string): { value: string; valid: boolean } {
  const value = normalizeEmail(raw);
  return { value, valid: value.length <= 254 && EMAIL.test(value) };
}

/** `sha256:<hex>` of a value already normalized: a cleaned email or an E.164 phone. */
export const hashedId = async (normalized: string): Promise<string> => `sha256:${await sha256Hex(normalized)}`;

/** The user id of a person known by this email; normalizes the address itself. Hash only valid addresses. */
export const emailUserId = (email: string): Promise<string> => hashedId(normalizeEmail(email));

/** The profile key of a person known by this email: `u:sha256:<hex of the normalized address>`. */
export const emailKey = async (email: string): Promise<string> => `u:${await emailUserId(email)}`;
