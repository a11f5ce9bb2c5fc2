// Which config is version 1, and when a deploy's seed becomes a version (config/publish.ts ensureSeedVersion): each
// app made here stands for a deploy's isolate.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { compileConfig } from '../../src/config/compile.js';
import { CONFIG_KEY } from '../../src/config/store.js';
import { validateConfig } from '../../src/config/validate.js';
import { configVersionsSchema, currentConfigSchema } from '../../src/contract/studio.js';
import { createApp } from '../../src/index.js';
import { ORIGIN } from './helpers.js';

type Config = typeof config & { slots: { default: Record<string, unknown> }[]; holdout: { percent: number; salt: string } };
const hashOf = (c: unknown) => {
  const r = validateConfig(c, { allowLocalWebhooks: true });
  if (!r.ok) throw new Error('invalid test config');
  return compileConfig(r.config).version;
};
const withTitle = (title: string) => {
  const c = structuredClone(config) as Config;
  c.slots[0]!.default.title = title;
  return c;
};

async function call(app: ReturnType<typeof createApp>, path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const init = { method, headers: { authorization: 'Bearer dev-admin', 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };
  const res = await app.fetch(new Request(`${ORIGIN}${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
const live = async (app: ReturnType<typeof createApp>) => currentConfigSchema.parse(await (await call(app, '/v1/config')).json());
const versions = async (app: ReturnType<typeof createApp>) => configVersionsSchema.parse(await (await call(app, '/v1/config/versions')).json()).versions;

describe('the first versions', () => {
  // One story, in order: the suite's D1 starts empty and is shared by its tests. (With nothing ever stored, the
  // seed is version 1: config-versions.test.ts.)
  it('a config stored before versions is version 1; a deploy with a new seed is the next; its other isolates add none', async () => {
    await env.PROFILES.put(CONFIG_KEY, JSON.stringify({ config: withTitle('Published before versions'), seed: hashOf(config) }));
    const app = createApp(config);
    expect(await live(app)).toMatchObject({ version: 1, publishedBy: 'before versions', hash: hashOf(withTitle('Published before versions')) });
    expect((await call(app, '/v1/config', 'PUT', withTitle('After'), { 'if-match': '"1"' })).status).toBe(200);
    expect((await versions(app)).map((x) => [x.version, x.publishedBy])).toEqual([
      [2, 'owner'],
      [1, 'before versions'],
    ]);

    const next = structuredClone(config) as Config;
    next.holdout = { percent: 3, salt: 'next-deploy' };
    const deployed = createApp(next);
    expect(await live(deployed)).toMatchObject({ version: 3, publishedBy: 'seed', hash: hashOf(next) });
    expect((await versions(createApp(next))).map((x) => x.version)).toEqual([3, 2, 1]);
    // The old deploy's isolate, still alive, does not record its seed again over the new one.
    expect((await versions(app)).map((x) => x.version)).toEqual([3, 2, 1]);
  });
});
