// Turns one raw event of a request into an accepted event or a rejection that says what and where. Pure.
import type * as z from '../contract/zod.js';
import { eventSchema, LIMITS, type EventContext, type RejectedEvent } from '../contract/index.js';
import { cyrb64, hex32 } from '../hash/fast.js';
import type { AcceptedEvent } from '../contract/events.js';
import { cleanTraits, sanitize, type Flag } from './clean.js';
import { utf8Bytes } from '../contract/utf8.js';

export interface Envelope {
  /** when the edge received the request (ISO) */
  receivedAt: string;
  /** the batch's `sentAt`, used for events without their own */
  sentAt?: string | undefined;
  /** batch-level context, merged under each event's own before the event's limits are checked */
  context?: EventContext | undefined;
  retentionDays: number;
  /** prefix of paths in rejections: `batch[3]` in a batch, `` for a single event */
  path: (index: number) => string;
}

export type Verdict = { ok: true; event: AcceptedEvent; flags: Flag[] } | { ok: false; rejected: RejectedEvent };

/** Events only the edge writes (profile writers log segment changes): a client sending them would forge reports. */
const EDGE_ONLY_EVENTS = new Set(['Segment Entered', 'Segment Exited']);

/** How far ahead of the edge's clock a corrected timestamp may be (client clocks and transit jitter). */
const FUTURE_MS = 10 * 60_000;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Deterministic id for events sent without a messageId, so a retried copy is still recognized. */
export function contentId(text: string): string {
  const [hi, lo] = cyrb64(text);
  return `auto-${hex32(hi)}${hex32(lo)}-${text.length}`;
}

function keepProtoKey(from: Record<string, unknown>, to: object): void {
  if (Object.hasOwn(from, '__proto__') && !Object.hasOwn(to, '__proto__'))
    Object.defineProperty(to, '__proto__', { value: from['__proto__'], enumerable: true, writable: true, configurable: true });
}

export function describeIssues(issues: z.core.$ZodIssue[], prefix: string): { path: string; message: string } {
  const at = (p: PropertyKey[]) => p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), prefix);
  const first = issues[0]!;
  return { path: at(first.path) || prefix || '(body)', message: issues.map((i) => `${at(i.path) || '(event)'}: ${i.message}`).join('; ') };
}

export function acceptEvent(raw: unknown, index: number, env: Envelope): Verdict {
  const prefix = env.path(index);
  const messageId = isObject(raw) && typeof raw.messageId === 'string' ? raw.messageId : undefined;
  const reject = (path: string, message: string): Verdict => ({
    ok: false,
    rejected: { index, ...(messageId !== undefined ? { messageId } : {}), path: path || prefix || '(event)', message },
  });
  if (!isObject(raw)) return reject(prefix, `must be an object (an event), got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);

  const text = JSON.stringify(raw);
  // The batch's context goes under the event's own before any check, so the limits hold for what is stored:
  // a small request must not fan one large or deep context out into every event.
  const own = raw.context;
  const merged = env.context && (own === undefined || isObject(own)) ? { ...raw, context: { ...env.context, ...own } } : raw;
  const bytes = utf8Bytes(merged === raw ? text : JSON.stringify(merged));
  if (bytes > LIMITS.eventBytes)
    return reject(prefix, `is ${bytes} bytes${merged === raw ? '' : " with the batch's context"}, over the limit of ${LIMITS.eventBytes} bytes an event`);

  const flags: Flag[] = [];
  // Flags name paths inside the event (they are kept on the profile); rejections name them in the request.
  const s = sanitize(merged, flags);
  const within = (p: string) => (prefix && p ? (p.startsWith('[') ? prefix + p : `${prefix}.${p}`) : prefix || p);
  if ('problem' in s) return reject(within(s.problem.path), s.problem.message);
  const e = s.value as Record<string, unknown>;
  if (e.messageId === undefined) e.messageId = contentId(text);

  const parsed = eventSchema.safeParse(e);
  if (!parsed.success) {
    const d = describeIssues(parsed.error.issues, prefix);
    return reject(d.path, d.message);
  }
  const event = parsed.data;
  // zod's loose objects keep unknown keys but drop one named `__proto__`: put it back as data, so nothing sent is lost.
  keepProtoKey(e, event);
  if (isObject(e.context) && event.context) keepProtoKey(e.context, event.context);
  if (event.type === 'track' && EDGE_ONLY_EVENTS.has(event.event))
    return reject(within('event'), `"${event.event}" is written by the edge when segment membership changes; it cannot be sent`);

  const consent = event.context?.consent;
  if (consent && !consent.analytics && !consent.personalization)
    return reject(within('context.consent'), 'grants no purpose: nothing is stored without consent');

  // Clock skew, as Segment corrects it: the event happened (sentAt − timestamp) before the edge received it.
  const received = Date.parse(env.receivedAt);
  const stamp = event.timestamp ?? event.originalTimestamp;
  const sentAt = event.sentAt ?? env.sentAt;
  let at = received;
  if (stamp) at = sentAt ? received - (Date.parse(sentAt) - Date.parse(stamp)) : Date.parse(stamp);
  const tsPath = within('timestamp');
  if (at > received + FUTURE_MS) return reject(tsPath, `is ${Math.round((at - received) / 60_000)} minutes in the future`);
  if (at < received - env.retentionDays * 86_400_000) return reject(tsPath, `is older than the site's retention of ${env.retentionDays} days`);

  if (event.type === 'identify' && event.traits) cleanTraits(event.traits, 'traits', flags, event.context?.locale);

  const accepted = {
    ...event,
    ...(stamp ? { originalTimestamp: stamp } : {}),
    timestamp: new Date(at).toISOString(),
    receivedAt: env.receivedAt,
  } as AcceptedEvent;
  return { ok: true, event: accepted, flags };
}
