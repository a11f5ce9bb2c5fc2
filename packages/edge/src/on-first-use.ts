// What the Workers' entries share (visitor.ts, workplace.ts, and the one-Worker composition index.ts): the app made on
// the isolate's first use. Imports nothing: the visitor Worker's bundle must not take in the workplace's modules
// (worker-size.test.ts), and esbuild keeps a module an import reaches when it has top-level code.

/**
 * The app made on the isolate's first request or cron, from the seed the build wrote (seed.ts). Requests arriving
 * before it is made each make their own, and the first to finish is kept: a request never waits on another's
 * stream, which workerd would cancel with that request.
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: T | undefined;
  return async () => {
    if (made) return made;
    const fresh = await make();
    return (made ??= fresh);
  };
}
