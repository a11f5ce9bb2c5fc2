// What the vitest configs put into the test code at build time: the clock the suites start on (test/clock.ts).
export const clockDefine = { __ATTUNE_TEST_CLOCK__: JSON.stringify(process.env.ATTUNE_TEST_CLOCK ?? '') };
