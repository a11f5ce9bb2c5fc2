// Which triggers a profile change schedules or cancels, and whether a due one still holds. Pure: the
// writer's timers (profile/timers.ts) store the plans and fire them from the object's alarm.
import { has, own } from '../contract/dict.js';
import type { Profile } from '../contract/profile.js';
import type { Trigger } from '../contract/triggers.js';
import type { AcceptedEvent } from '../contract/events.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** One timer to (re)arm. Same `key` = the same occurrence: re-planning it moves it, never doubles it. */
export interface TimerPlan {
  trigger: string;
  /** The occurrence: also the webhook's idempotency key (with site and profile). */
  key: string;
  due: number;
  data: Record<string, unknown>;
  /** Key prefix of the occurrences this one supersedes: their pending timers are cancelled (a newer order of the product). */
  supersedes?: string;
}
export interface Plan {
  schedule: TimerPlan[];
  /** trigger ids whose pending timers are void (the order came in, the cart emptied) */
  cancel: string[];
}

export const delayMs = (t: Trigger): number => {
  if (t.after && 'minutes' in t.after) return t.after.minutes * MINUTE;
  if (t.after && 'days' in t.after) return t.after.days * DAY;
  if (t.on === 'cart-abandoned' || t.on === 'browse-abandoned') return 30 * MINUTE;
  if (t.on === 'repurchase-due') return 30 * DAY;
  return 0;
};

/** Consent is default-deny: no recorded choice means no purpose granted. */
export const consentAllows = (p: Profile, t: Trigger) => !!p.consent?.[t.consent];

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);
const track = (events: AcceptedEvent[], name: string) => events.filter((e) => e.type === 'track' && e.event === name) as (AcceptedEvent & { properties?: Record<string, unknown> })[];
const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);

/** The next `traits.birthday` (YYYY-MM-DD or MM-DD) at or after `now`, at 09:00 UTC. */
export function nextBirthday(birthday: unknown, now: number): number | undefined {
  const m = typeof birthday === 'string' ? /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec(birthday.slice(0, 10)) : null;
  if (!m) return undefined;
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const year = new Date(now).getUTCFullYear();
  for (const y of [year, year + 1, year + 2, year + 3, year + 4]) {
    const at = Date.UTC(y, month - 1, day, 9);
    // 29 February only in leap years: Date.UTC would roll it to 1 March.
    if (new Date(at).getUTCMonth() === month - 1 && at >= now - DAY / 2) return at;
  }
  return undefined;
}

/**
 * What a batch changes, given the profile after the merge and the batch's events (including the segment
 * entries/exits the writer computed). `replenishDays` comes from the catalog (`attributes.replenishDays`).
 */
export function planTriggers(
  triggers: readonly Trigger[],
  p: Profile,
  events: AcceptedEvent[],
  now: number,
  replenishDays: Readonly<Record<string, number>> = {},
): Plan {
  const plan: Plan = { schedule: [], cancel: [] };
  for (const t of triggers) {
    if (!consentAllows(p, t)) {
      plan.cancel.push(t.id); // consent withdrawn or never given: nothing pending may fire
      continue;
    }
    const wait = delayMs(t);
    switch (t.on) {
      case 'cart-abandoned': {
        const c = p.commerce;
        const ordered = track(events, 'Order Completed').length > 0;
        const cartChanged = events.some((e) => e.type === 'track' && /^Product (Added|Removed)$/.test(e.event));
        if (!c.cart.length || ordered) plan.cancel.push(t.id);
        // Re-anchored on every cart change (the visitor is still shopping), unless an order came after it.
        if (c.cart.length && cartChanged && c.cartUpdatedAt && !(c.lastOrder && c.lastOrder.at >= c.cartUpdatedAt)) {
          plan.cancel.push(t.id);
          plan.schedule.push({ trigger: t.id, key: `${t.id}:${c.cartUpdatedAt}`, due: ms(c.cartUpdatedAt) + wait, data: { cart: c.cart, cartValue: c.cartValue, cartUpdatedAt: c.cartUpdatedAt } });
        }
        break;
      }
      case 'browse-abandoned': {
        const viewed = own(p.counters, 'Product Viewed')?.lastAt;
        if (track(events, 'Product Added').length || track(events, 'Order Completed').length) plan.cancel.push(t.id);
        else if (viewed && track(events, 'Product Viewed').length) {
          plan.cancel.push(t.id);
          plan.schedule.push({ trigger: t.id, key: `${t.id}:${viewed}`, due: ms(viewed) + wait, data: { viewedAt: viewed, recent: p.recent.slice(-5) } });
        }
        break;
      }
      case 'repurchase-due':
        for (const e of track(events, 'Order Completed')) {
          const products = Array.isArray(e.properties?.products) ? (e.properties.products as Record<string, unknown>[]) : [];
          for (const item of products) {
            const productId = str(item?.product_id) ?? str(item?.sku) ?? str(item?.id);
            if (!productId) continue;
            const days = own(replenishDays, productId);
            const due = ms(e.timestamp) + (days ? days * DAY : wait);
            // One pending reminder per product: a newer order of it supersedes the earlier one. The id is encoded
            // (`:` → %3A): product "a" must not supersede the reminders of product "a:b".
            const id = encodeURIComponent(productId);
            plan.schedule.push({ trigger: t.id, key: `${t.id}:${id}:${e.timestamp}`, supersedes: `${t.id}:${id}:`, due, data: { productId, orderedAt: e.timestamp, orderId: str(e.properties?.order_id) } });
          }
        }
        break;
      case 'birthday': {
        const due = nextBirthday(p.traits.birthday, now);
        if (due === undefined) plan.cancel.push(t.id);
        else {
          const year = new Date(due).getUTCFullYear();
          plan.schedule.push({ trigger: t.id, key: `${t.id}:${year}`, due: due + wait, data: { birthday: p.traits.birthday, year } });
        }
        break;
      }
      case 'segment-entered':
      case 'segment-exited': {
        const name = t.on === 'segment-entered' ? 'Segment Entered' : 'Segment Exited';
        for (const e of track(events, name))
          if (e.properties?.segment_id === t.segment)
            plan.schedule.push({ trigger: t.id, key: `${t.id}:${e.messageId}`, due: ms(e.timestamp) + wait, data: { segment: t.segment, at: e.timestamp } });
        break;
      }
      case 'quiz-completed':
        for (const e of track(events, 'Quiz Completed')) {
          const quiz = str(e.properties?.quiz) ?? str(e.properties?.quiz_id);
          if (t.quiz && quiz !== t.quiz) continue;
          const answers = Object.fromEntries(Object.entries(p.answers).filter(([, a]) => !quiz || a.quiz === quiz).map(([k, a]) => [k, a.value]));
          plan.schedule.push({ trigger: t.id, key: `${t.id}:${e.messageId}`, due: ms(e.timestamp) + wait, data: { quiz, answers } });
        }
        break;
    }
  }
  // Repeated keys (the same product twice in a batch): the latest plan wins.
  const byKey = new Map(plan.schedule.filter((s) => Number.isFinite(s.due)).map((s) => [s.key, s]));
  plan.schedule = [...byKey.values()];
  return plan;
}

/** Re-checked when a timer is due: the profile may have moved on since it was scheduled. */
export function stillHolds(t: Trigger, p: Profile, scheduledAt: string | undefined, data: Record<string, unknown>): boolean {
  if (!consentAllows(p, t)) return false;
  switch (t.on) {
    case 'cart-abandoned': {
      const since = typeof data.cartUpdatedAt === 'string' ? data.cartUpdatedAt : scheduledAt;
      const order = p.commerce.lastOrder?.at;
      return p.commerce.cart.length > 0 && !(order && since && order >= since);
    }
    case 'browse-abandoned': {
      const since = typeof data.viewedAt === 'string' ? data.viewedAt : scheduledAt;
      const added = own(p.counters, 'Product Added')?.lastAt;
      const order = p.commerce.lastOrder?.at;
      return !(since && ((added && added >= since) || (order && order >= since)));
    }
    case 'segment-entered':
      return !!t.segment && has(p.segments, t.segment);
    case 'segment-exited':
      return !!t.segment && !has(p.segments, t.segment);
    case 'birthday':
      return p.traits.birthday === data.birthday;
    default:
      return true;
  }
}
