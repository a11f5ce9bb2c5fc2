// createAttune wires the parts: consent decides whether anything is kept, the outbox keeps it,
// the transport sends it. Every public method is guarded: nothing here throws into the host page.
import { pageContext, parseCampaign } from './capture/context.js';
import { watchNavigation } from './capture/navigation.js';
import { anyGranted, mergeConsent, sameConsent } from './consent/resolve.js';
import type { ConsentSignal } from './consent/signals.js';
import { createOutbox } from './outbox/outbox.js';
import { createTransport, post } from './transport/transport.js';
import type { LIMITS } from '@attune/edge/contract';
import type { Attune, AttuneEvent, AttuneOptions, ConsentState, Properties } from './types.js';
import { afterLoad, byteLength, debug, guard, isObject, iso, uuid, warn } from './util.js';

declare const __ATTUNE_VERSION__: string;

/**
 * The edge's limit for one event. Typed by the contract's literal (LIMITS.eventBytes), so when the edge changes it
 * this line stops compiling until it follows; the type costs the script tag no bytes, an import of LIMITS would.
 */
const EVENT_BYTES: (typeof LIMITS)['eventBytes'] = 32_768;
const BUFFER_BEFORE_CONSENT = 100;
/** Events the outbox holds at most; past it the oldest are dropped, and counted. */
const MAX_QUEUE = 1000;
const BATCH_SIZE = 100;
/** ms to gather events before a batch goes out */
const FLUSH_INTERVAL = 1000;
/**
 * The one localStorage key, written only once the visitor decided (a refusal too, so it is not asked
 * again). `id` is the anonymous id the edge knows — kept after a withdrawal until the edge erased it —
 * `uid` the user id, and `s` says the edge acknowledged this decision.
 */
const KEY = 'attune';

type Record_ = ConsentState & { id?: string; uid?: string | null; s?: 1 };

export function createAttune(o: AttuneOptions): Attune {
  const api = (o.api ?? location.origin).replace(/\/+$/, '');
  let dropped = 0;
  const drop = (n: number, ...why: unknown[]) => warn('dropped', (dropped += n, n), ...why);
  // The page's own start comes first: storage and the network (sends, the consent sync, the Web Lock around them)
  // wait until a batch's time after the load event, out of the work a page does right after loading. Opening
  // IndexedDB at the load event cost a first visit 2–4 ms of main-thread time there (bench/peers.bench.mjs, side
  // by side). What is made before is kept in memory, and a page left meanwhile sends it as it hides (transport.ts).
  const ready = afterLoad(FLUSH_INTERVAL);
  const outbox = createOutbox(MAX_QUEUE, (n) => drop(n, 'outbox full'), ready);
  const transport = createTransport(api, o.writeKey, outbox, BATCH_SIZE, FLUSH_INTERVAL, () => dropped, () => anyGranted(consent), ready);

  // Consent: the visitor's stored decision, else the owner's default (GPC denies personalization).
  // localStorage throws when the visitor blocks storage, and the stored JSON may be anything: both mean "undecided".
  // Nothing stored (a first visit) must not throw: an exception's stack trace costs milliseconds on the main thread.
  let record: Record_ | null | undefined;
  try {
    record = JSON.parse(localStorage[KEY] || 'null');
  } catch {}
  let consent = record
    ? mergeConsent(record, record)
    : mergeConsent(o.consentDefault ?? {}, {}, (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl);
  let decided = !!record;
  let aid = (anyGranted(consent) && record?.id) || uuid();
  let uid = (anyGranted(consent) && record?.uid) || null;
  const buffer: AttuneEvent[] = [];
  const listeners = new Set<(c: ConsentState) => void>();
  let referrer = document.referrer;

  const save = (r: Record_) => {
    try {
      localStorage[KEY] = JSON.stringify((record = r));
    } catch {}
  };
  /** Ids are kept only while a purpose is granted; a change needs no new sync (events carry them). */
  const saveIds = () => anyGranted(consent) && decided && save({ ...record!, id: aid, uid });

  function enqueue(e: AttuneEvent) {
    if (!anyGranted(consent)) {
      // Undecided: wait in memory only. Refused: gone.
      if (!decided && buffer.push(e) > BUFFER_BEFORE_CONSENT) buffer.shift();
      return;
    }
    e.context!.consent = consent;
    // Over the edge's 32 KB per event: dropped, and the warning shows it (no reason in words: bytes are counted).
    if (byteLength(JSON.stringify(e)) > EVENT_BYTES) return drop(1, e);
    outbox.add(e);
    transport.poke();
  }

  function make(type: AttuneEvent['type'], fields: Record<string, unknown>) {
    const e = {
      type,
      messageId: uuid(),
      anonymousId: aid,
      timestamp: iso(),
      context: {
        page: pageContext(referrer),
        campaign: parseCampaign(location.search),
        locale: navigator.language,
        library: { name: 'attune', version: __ATTUNE_VERSION__ },
      },
      ...fields,
    } as AttuneEvent;
    if (uid) e.userId = uid;
    // Stored as the JSON it is sent as: throws on cycles and BigInt, so such a call is refused here, and drops
    // what IndexedDB could not store (functions, symbols, DOM nodes) and JSON would not send anyway.
    enqueue(JSON.parse(JSON.stringify(e)));
  }

  // The edge hears every decision; its answer sets the first-party cookie that edge rendering reads.
  // An unacknowledged decision is sent again on the next page load. No user id: without its proof the edge
  // ignores it (a consent is only ever for the anonymous id this browser holds).
  function syncConsent() {
    const r = record;
    if (!r?.id || r.s) return; // acknowledged already, or the edge never knew this visitor
    const consent = mergeConsent(r, r);
    void post(`${api}/v1/consent`, { writeKey: o.writeKey, anonymousId: r.id, consent }, 'include').then((res) => {
      // Decided again meanwhile: that decision syncs itself.
      if (r != record || !res?.ok) return;
      // After a withdrawal the edge has erased the visitor: keep only the refusal.
      save({ ...(anyGranted(consent) ? r : consent), s: 1 });
    });
  }

  function applyConsent(signal: ConsentSignal) {
    const prev = consent;
    const next = mergeConsent(signal, prev);
    if (decided && sameConsent(prev, next)) return;
    consent = next;
    decided = true;
    if (anyGranted(next)) {
      save({ ...next, id: aid, uid });
      buffer.splice(0).forEach(enqueue);
    } else {
      buffer.length = 0;
      // Withdrawn: forget what this browser holds; the edge erases its side when the sync reaches it.
      if (anyGranted(prev)) void outbox.destroy();
      save({ ...next, id: record?.id });
      aid = uuid();
      uid = null;
    }
    syncConsent();
    listeners.forEach((cb) => guard(cb)({ ...next }));
  }

  /** A bad argument makes the call a no-op with a debug message, never an exception. */
  const bad = (call: string) => debug(call, 'bad arguments');
  const isId = (v: unknown): v is string | number => /^(string|number)$/.test(typeof v) && v !== '';
  const maybe = (v: unknown) => v == null || isObject(v);

  const track = (event: string, properties?: Properties) =>
    typeof event == 'string' && event.trim() && maybe(properties)
      ? make('track', { event, properties: properties ?? {} })
      : bad('track');

  const attune: Attune = {
    page: guard((name?: string | Properties, properties?: Properties) => {
      if (isObject(name)) [name, properties] = [undefined, name];
      (name == null || typeof name == 'string') && maybe(properties) ? make('page', { name, properties: properties ?? {} }) : bad('page');
    }),
    track: guard(track),
    identify: guard((userId?: string | number | Properties | null, traits?: Properties, o?: { userHash?: string }) => {
      if (isObject(userId)) [userId, traits] = [undefined, userId];
      if ((userId != null && !isId(userId)) || !maybe(traits)) return bad('identify');
      if (userId != null) uid = String(userId);
      saveIds();
      // The proof goes with this one event: it links the user id once, later events follow the linked anonymous id.
      make('identify', { traits: traits ?? {}, userHash: o?.userHash });
    }),
    alias: guard((userId: string | number) => {
      if (!isId(userId)) return bad('alias');
      const previousId = uid ?? aid;
      uid = String(userId);
      saveIds();
      make('alias', { previousId });
    }),
    reset: guard(() => {
      uid = null;
      aid = uuid();
      saveIds();
    }),
    ready: (cb) => void guard(cb)(attune),
    answer: guard((question, answer, opts) =>
      question && typeof question == 'string' && answer != null && typeof answer != 'function'
        ? track('Question Answered', { quiz: opts?.quiz, question, answer })
        : bad('answer'),
    ),
    flush: transport.flush,
    consent: {
      get: () => ({ ...consent, decided }),
      set: guard((c) => (isObject(c) ? applyConsent(c) : bad('consent.set'))),
      on: (cb) => (listeners.add(cb), () => listeners.delete(cb)),
    },
  } as Attune;

  guard(() => {
    if (o.autoPage !== false) {
      // After the calls the snippet queued, which run synchronously right after creation.
      setTimeout(attune.page);
      watchNavigation((previous) => {
        referrer = previous;
        attune.page();
      });
    }
    // Outside opt-in jurisdictions the owner may grant by default: the edge still needs to hear it once
    // (held in memory until acknowledged, so this is not taken for the visitor's decision meanwhile).
    if (!record && anyGranted(consent)) record = { ...consent, id: aid };
    // What earlier pages left in the outbox goes with this page's first batch (one timer with its page view).
    anyGranted(consent) && transport.poke();
    void ready.then(syncConsent);
  })();
  return attune;
}
