// Setup file of the Worker suite: Durable Object alarms keep the suite's clock (test/clock.ts). The Worker and its
// objects read the isolate's Date, which a test may set (ATTUNE_TEST_CLOCK, atTime), but the local runtime schedules
// alarms by the machine's real clock: with ATTUNE_TEST_CLOCK behind the real one, every alarm an object set for "in
// 30 minutes" fired at once. setAlarm and getAlarm translate between the two clocks, so an alarm fires after the delay
// the object meant, whatever day the suite runs on. A no-op while the clocks agree.
import { beforeAll, vi } from 'vitest';

declare const __ATTUNE_TEST_CLOCK__: string;

const PATCHED = Symbol.for('attune.alarm-clock');
type Storage = { setAlarm(at: number | Date, o?: unknown): Promise<void>; getAlarm(o?: unknown): Promise<number | null> };

// Files that mock the app's own modules (security.test.ts) go without: loading the app here would come before their
// mocks apply. They set no alarm whose time matters.
const MOCKS_THE_APP = ['security.test.ts'];

beforeAll(async ({}, suite) => {
  // Only a suite moved off the wall clock needs it; a normal run keeps the runtime as it is.
  if (!__ATTUNE_TEST_CLOCK__ || MOCKS_THE_APP.some((f) => suite.file.filepath.endsWith(f))) return;
  // Imported here, not at the top: importing cloudflare:test loads the app, and a file's vi.mock must come first.
  const { env, runInDurableObject } = await import('cloudflare:test');
  // The storage class is not a global: reach its prototype through a throwaway object.
  const probe = env.PROFILE_WRITER.get(env.PROFILE_WRITER.idFromName('test-alarm-clock-probe'));
  await runInDurableObject(probe, (_, state) => {
    const proto = Object.getPrototypeOf(state.storage) as Storage & { [PATCHED]?: true };
    if (proto[PATCHED]) return;
    const { setAlarm, getAlarm } = proto;
    const offset = () => Date.now() - vi.getRealSystemTime(); // the suite's clock minus the real one
    proto.setAlarm = function (at, o) {
      return setAlarm.call(this, +at - offset(), o);
    };
    proto.getAlarm = async function (o) {
      const at = await getAlarm.call(this, o);
      return at === null ? null : at + offset();
    };
    proto[PATCHED] = true;
  });
});
