// PUT /v1/config checks webhooks by the Worker's environment: a deployed Worker (ATTUNE_ENV=production)
// refuses every receiver on the inside and the Worker's own secrets, with the path; local development
// accepts http://localhost only, and says so.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { createApp } from '../../src/index.js';
import { ORIGIN } from './helpers.js';

const TOKEN = 'config-webhooks-token';
const production = { ATTUNE_ENV: 'production', ATTUNE_ADMIN_TOKEN: TOKEN };
const development = { ATTUNE_ENV: 'development', ATTUNE_ADMIN_TOKEN: TOKEN };

const withWebhook = (webhook: Record<string, string>) => ({
  ...config,
  triggers: config.triggers.map((t, i) => (i === 0 ? { ...t, webhook: { ...t.webhook, ...webhook } } : t)),
});

interface Answer { success: boolean; errors?: { path: string; message: string }[]; warnings: { path: string; message: string }[] }
async function put(body: unknown, vars: Record<string, string>): Promise<{ status: number; json: Answer }> {
  const app = createApp(config, catalog);
  const ctx = createExecutionContext();
  const req = new Request(`${ORIGIN}/v1/config`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const res = await app.fetch(req, { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, json: await res.json() };
}

describe('PUT /v1/config: webhooks', () => {
  it.each<[string, Record<string, string>, string, RegExp]>([
    ['the metadata address', { url: 'http://169.254.169.254/latest/meta-data/' }, 'triggers[0].webhook.url', /cloud metadata address/],
    ['loopback by a hex spelling', { url: 'https://0x7f.1/v1/config' }, 'triggers[0].webhook.url', /127\.0\.0\.1 is a loopback address/],
    ['a private network', { url: 'https://192.168.1.20/hook' }, 'triggers[0].webhook.url', /private network address/],
    ['the admin token as the signing secret', { secretEnv: 'ATTUNE_ADMIN_TOKEN' }, 'triggers[0].webhook.secretEnv', /not ATTUNE_ADMIN_TOKEN/],
  ])('refuses %s in production, naming the path', async (_, webhook, path, message) => {
    const { status, json } = await put(withWebhook(webhook), production);
    expect(status).toBe(400);
    expect(json.errors?.find((e) => e.path === path)?.message).toMatch(message);
  });

  it('refuses http://localhost in production and takes it in local development, with a warning', async () => {
    const local = withWebhook({ url: 'http://localhost:8788/hooks/attune' });
    const refused = await put(local, production);
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toContainEqual(expect.objectContaining({ path: 'triggers[0].webhook.url', message: expect.stringMatching(/accepted only in local development/) }));
    const taken = await put(local, development);
    expect(taken.status).toBe(200);
    expect(taken.json.warnings).toContainEqual(expect.objectContaining({ path: 'triggers[0].webhook.url', message: expect.stringMatching(/^reaches this machine/) }));
  });
});
