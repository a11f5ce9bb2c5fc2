// One tab flushes at a time, so two tabs never send the same stored event at once.

/**
 * Runs `fn` unless another tab holds the lock; resolves to false when it did not run.
 * Without Web Locks (every current engine has them) the tab sends unlocked: at worst two tabs send
 * the same stored event, and the edge drops the second copy by its messageId.
 */
export const withLock = async (name: string, fn: () => Promise<void>): Promise<boolean> =>
  navigator.locks
    ? navigator.locks.request(name, { ifAvailable: true }, async (l) => !!l && (await fn(), true))
    : (await fn(), true);
