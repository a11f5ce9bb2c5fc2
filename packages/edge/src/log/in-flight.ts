// Log messages this isolate sent and has not yet seen consumed. Only meaningful where producer and consumer
// share an isolate — the Worker test pool — where it lets a test wait for the log instead of sleeping.
let pending = 0;

export function sent(n: number) {
  pending += n;
}

export function consumed(n: number) {
  pending -= n;
}

/**
 * Resolves once every message this isolate enqueued has been acknowledged by its consumer. Polls: the consumer
 * runs in another request's context, and workerd does not deliver a promise resolved across request contexts.
 */
export async function logSettled(): Promise<void> {
  while (pending > 0) await new Promise((r) => setTimeout(r, 5));
}
