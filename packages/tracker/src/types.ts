import type { AttuneEvent, ConsentState } from '@attune/edge/contract';

export type { AttuneEvent, ConsentState };
export type Properties = Record<string, unknown>;
export type AnswerValue = string | number | boolean | string[];

export interface AttuneOptions {
  /** The site's public write key (like Segment's). */
  writeKey: string;
  /** Base URL of the Attune edge; defaults to this page's origin. */
  api?: string;
  /** Consent before the visitor chooses; both purposes are denied unless the owner says otherwise. */
  consentDefault?: Partial<ConsentState>;
  /** Send a page view on start and on single-page-app navigations (default true). */
  autoPage?: boolean;
}

export interface ConsentApi {
  get(): ConsentState & { decided: boolean };
  set(choice: Partial<ConsentState>): void;
  /** Called with the new state on every change; returns an unsubscribe function. */
  on(cb: (state: ConsentState) => void): () => void;
}

export interface Attune {
  page(name?: string | Properties, properties?: Properties): void;
  track(event: string, properties?: Properties): void;
  /**
   * @param options.userHash the proof of `userId` your backend computes: hex HMAC-SHA-256 of the user id with the
   *   site's identity secret. Without it the edge keeps the user id only as a claim: it links no profiles.
   */
  identify(userId?: string | number | Properties | null, traits?: Properties, options?: { userHash?: string }): void;
  alias(userId: string | number): void;
  /** Forgets the user: a new anonymous id, no user id. */
  reset(): void;
  ready(cb: (attune: Attune) => void): void;
  /** A quiz or survey answer: zero-party data, sent as `Question Answered`. */
  answer(question: string, value: AnswerValue, options?: { quiz?: string }): void;
  /** Sends what is waiting now (once a second has passed since the page loaded); resolves when the attempt is over. */
  flush(): Promise<void>;
  consent: ConsentApi;
}
