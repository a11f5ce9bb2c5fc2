// The ids an import gives people and events, in one place. A person's userId is the customer id when the file
// has one; otherwise `sha256:<hex>` of the normalized (trimmed, lower-cased) email, or of the E.164 phone when
// there is no email. The Worker links a visitor who later identifies with that email to the same key: both
// hash with hash/email-key.ts, so the address itself need not be stored.
// messageIds are derived from the content, so importing the same file twice sends the same ids and the edge
// drops the repeats (src/cli/import-ids.test.ts pins them).
import { emailUserId, hashedId } from '../hash/email-key.js';
import { sha256Hex } from '../hash/sha256.js';

type Ids = { customerId?: string | undefined; email?: string | undefined; phone?: string | undefined };
export type NamingId = { kind: 'customer' | 'email' | 'phone'; value: string };

/** Which id names a person: the customer id, else the email (cleaned), else the phone (E.164). Before hashing. */
export function namingId(p: Ids): NamingId | undefined {
  if (p.customerId) return { kind: 'customer', value: p.customerId };
  if (p.email) return { kind: 'email', value: p.email };
  if (p.phone) return { kind: 'phone', value: p.phone };
  return undefined;
}

/** The userId a naming id becomes: a customer id as it is, an email or a phone hashed. */
export const userIdOf = async (n: NamingId): Promise<string> => (n.kind === 'customer' ? n.value : n.kind === 'email' ? emailUserId(n.value) : hashedId(n.value));

/** One identify per person and content: a changed row (new traits) is a new event, the same row is not. */
export const customerMessageId = async (userId: string, traits: Record<string, unknown>) => `import:customers:${await sha256Hex(`${userId}\n${JSON.stringify(traits)}`)}`;

/**
 * One Order Completed per order id. Not per line number: an export sorted differently would then count the
 * same order twice.
 */
export const orderMessageId = async (orderId: string) => `import:orders:${orderId.length <= 120 ? orderId : await sha256Hex(orderId)}`;

export const aliasMessageId = async (previousId: string, userId: string) => `import:alias:${await sha256Hex(`${previousId}\n${userId}`)}`;
