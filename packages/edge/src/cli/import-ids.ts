// The ids an import gives people and events, in one place. A person's userId is the customer id when the file
// has one; otherwise `sha256:<hex>` of the normalized (trimmed, lower-cased) email, or of the E.164 phone when
// there is no email. The Worker links a visitor who later identifies with that email to the same key (the
// profile writer's link step hashes `traits.email` the same way), so the address itself need not be stored.
// messageIds are derived from the content, so importing the same file twice sends the same ids and the edge
// drops the repeats.
import { createHash } from 'node:crypto';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The userId of a person known only by email (already cleaned) or phone (E.164). */
export const hashedId = (normalized: string) => `sha256:${sha256(normalized)}`;

export function userIdOf(p: { customerId?: string | undefined; email?: string | undefined; phone?: string | undefined }): string | undefined {
  if (p.customerId) return p.customerId;
  if (p.email) return hashedId(p.email);
  if (p.phone) return hashedId(p.phone);
  return undefined;
}

/** One identify per person and content: a changed row (new traits) is a new event, the same row is not. */
export const customerMessageId = (userId: string, traits: Record<string, unknown>) => `import:customers:${sha256(`${userId}\n${JSON.stringify(traits)}`)}`;

/**
 * One Order Completed per order id. Not per line number: an export sorted differently would then count the
 * same order twice.
 */
export const orderMessageId = (orderId: string) => `import:orders:${orderId.length <= 120 ? orderId : sha256(orderId)}`;

export const aliasMessageId = (previousId: string, userId: string) => `import:alias:${sha256(`${previousId}\n${userId}`)}`;
