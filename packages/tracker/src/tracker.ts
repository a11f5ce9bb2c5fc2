// createAttune wires the parts: consent decides whether anything is kept, the outbox keeps it,
// the transport sends it. Every public method is guarded: nothing here throws into the host page.
import { parseCampaign, pageContext } from './capture/context.js';
import { watchNavigation } from './capture/navigation.js';
import { anyGranted, initialConsent, sameConsent, DENIED } from './consent/resolve.js';
import { watchConsentPlatforms, type ConsentSignal } from './consent/signals.js';
import { createOutbox } from './outbox/outbox.js';
import { backoffMs } from './transport/policy.js';
import { createTransport, post } from './transport/transport.js';
import type { Attune, AttuneEvent, AttuneOptions, ConsentState, Properties } from './types.js';
import { byteLength, debug, guard, isObject, iso, setDebug, store, uuid, warn } from './util.js';

declare const __ATTUNE_VERSION__: string;

const EVENT_BYTES = 32 * 1024; // LIMITS.eventBytes in @attune/edge/contract
const BUFFER_BEFORE_CONSENT = 100;
/** localStorage keys, written only once a purpose is granted (the visitor's own refusal excepted) */
const KEY_CHOICE = 'attune:consent';
const KEY_EDGE = 'attune:edge';
const KEY_AID = 'attune:aid';
const KEY_UID = 'attune:uid';

const readJson = <T>(k: string): T | undefined => {
  try {
    return JSON.parse(store.get(k)!) ?? undefined;
  } catch {}
};

export function createAttune(options: AttuneOptions): Attune {
  const o = { flushInterval: 1000, batchSize: 100, maxQueue: 1000, autoPage: true, ...options };
  setDebug(!!o.debug);
  const api = (o.api ?? location.origin).replace(/\/+$/, '');
  let dropped = 0;
  const outbox = createOutbox(o.maxQueue, (n) => {
    dropped += n;
    warn(`outbox full: dropped the ${n} oldest events`);
  });
  const transport = createTransport(api, o.writeKey, outbox, o.batchSize, o.flushInterval, () => dropped);

  // Consent: the visitor's stored choice, else the owner's default (GPC denies personalization).
  const choice = readJson<ConsentState>(KEY_CHOICE);
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  let consent: ConsentState = choice ?? initialConsent({ ...DENIED, ...o.consentDefault }, gpc);
  let decided = !!choice;
  let aid = (anyGranted(consent) && store.get(KEY_AID)) || uuid();
  let uid = anyGranted(consent) ? store.get(KEY_UID) : null;
  const buffer: AttuneEvent[] = [];
  const listeners = new Set<(c: ConsentState) => void>();
  let referrer = document.referrer;

  const saveIds = () => {
    if (!anyGranted(consent)) return;
    store.set(KEY_AID, aid);
    store.set(KEY_UID, uid);
  };

  function enqueue(e: AttuneEvent) {
    if (!anyGranted(consent)) {
      // Undecided: wait in memory only; refused: gone.
      if (!decided && buffer.push(e) > BUFFER_BEFORE_CONSENT) buffer.shift();
      return;
    }
    e.context!.consent = { ...consent };
    const bytes = byteLength(JSON.stringify(e));
    if (bytes > EVENT_BYTES) {
      dropped++;
      return warn(`event "${e.type === 'track' ? e.event : e.type}" is ${bytes} bytes, over the 32 KB limit: not sent`);
    }
    void outbox.add(e).then(transport.poke);
  }

  function make(type: AttuneEvent['type'], fields: Record<string, unknown>) {
    const search = location.search;
    const e = {
      type,
      messageId: uuid(),
      anonymousId: aid,
      timestamp: iso(),
      context: {
        page: pageContext(referrer),
        campaign: parseCampaign(search),
        locale: navigator.language,
        library: { name: 'attune', version: __ATTUNE_VERSION__ },
      },
      ...fields,
    } as AttuneEvent;
    if (uid) e.userId = uid;
    // JSON.stringify throws on cycles and BigInt: such arguments are refused here, not in the outbox.
    JSON.stringify(e);
    enqueue(e);
  }

  // The edge learns every change, and answers with the first-party cookie edge rendering reads.
  let syncAttempt = 0;
  function syncConsent() {
    const edge = readJson<ConsentState & { id: string }>(KEY_EDGE);
    const target = consent;
    if (edge ? sameConsent(edge, target) && edge.id === aid : !anyGranted(target)) return;
    const id = anyGranted(target) ? aid : edge!.id;
    void post(`${api}/v1/consent`, { writeKey: o.writeKey, anonymousId: id, userId: uid, consent: target }, true, 'include').then(
      (res) => {
        if (target !== consent) return; // changed again meanwhile: that change syncs itself
        if (res?.ok) {
          syncAttempt = 0;
          store.set(KEY_EDGE, anyGranted(target) ? JSON.stringify({ ...target, id }) : null);
        } else setTimeout(syncConsent, backoffMs(syncAttempt++));
      },
    );
  }

  function applyConsent(signal: ConsentSignal, remember: boolean) {
    const prev = consent;
    const next = {
      analytics: !!(signal.analytics ?? prev.analytics),
      personalization: !!(signal.personalization ?? prev.personalization),
    };
    if (remember) store.set(KEY_CHOICE, JSON.stringify(next));
    if (decided && sameConsent(prev, next)) return;
    consent = next;
    decided = true;
    if (anyGranted(next)) {
      saveIds();
      buffer.splice(0).forEach(enqueue);
    } else {
      buffer.length = 0;
      if (anyGranted(prev)) {
        // Withdrawn: forget everything this browser holds; the edge erases its side on sync.
        void outbox.destroy();
        store.set(KEY_AID, null);
        store.set(KEY_UID, null);
        uid = null;
      }
    }
    syncConsent();
    if (!anyGranted(next) && anyGranted(prev)) aid = uuid();
    listeners.forEach((cb) => guard(cb)({ ...next }));
  }

  /** A bad argument makes the call a no-op with a debug message, never an exception. */
  const bad = (call: string) => debug(call + '(): bad arguments, ignored');
  const isId = (v: unknown): v is string | number => /^(string|number)$/.test(typeof v) && v !== '';
  const maybe = (v: unknown) => v == null || isObject(v);

  const page = (name?: string | Properties, properties?: Properties) => {
    if (isObject(name)) [name, properties] = [undefined, name];
    if ((name != null && typeof name != 'string') || !maybe(properties)) return bad('page');
    make('page', { name, properties: { ...pageContext(referrer), ...properties } });
  };
  const track = (event: string, properties?: Properties) => {
    if (typeof event != 'string' || !event.trim() || !maybe(properties)) return bad('track');
    make('track', { event, properties: properties ?? {} });
  };

  const attune: Attune = {
    page: guard(page),
    track: guard(track),
    identify: guard((userId?: string | number | Properties | null, traits?: Properties) => {
      if (isObject(userId)) [userId, traits] = [undefined, userId];
      if ((userId != null && !isId(userId)) || !maybe(traits)) return bad('identify');
      if (userId != null) uid = String(userId);
      saveIds();
      make('identify', { traits: traits ?? {} });
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
    ready: guard((cb) => void setTimeout(() => guard(cb)(attune))),
    answer: guard((question, value, opts) => {
      if (typeof question != 'string' || !question || !(/^(string|number|boolean)$/.test(typeof value) || Array.isArray(value)))
        return bad('answer');
      track('Question Answered', { quiz: isObject(opts) ? opts.quiz : undefined, question, answer: value });
    }),
    flush: () => transport.flush().catch(debug),
    user: () => ({ anonymousId: aid, userId: uid }),
    consent: {
      get: () => ({ ...consent, decided }),
      set: guard((c) => (isObject(c) ? applyConsent(c, true) : bad('consent.set'))),
      on: (cb) => {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
    },
  } as Attune;

  guard(() => {
    watchConsentPlatforms((s) => applyConsent(s, false));
    addEventListener('online', transport.resume);
    const leaving = () => document.visibilityState == 'hidden' && void transport.flush(true);
    addEventListener('visibilitychange', leaving);
    addEventListener('pagehide', () => void transport.flush(true));
    if (o.autoPage) {
      // After the calls queued by the snippet, which run synchronously right after creation.
      setTimeout(attune.page);
      watchNavigation((previous) => {
        referrer = previous;
        attune.page();
      });
    }
    syncConsent();
    if (anyGranted(consent)) void transport.flush();
  })();
  return attune;
}
