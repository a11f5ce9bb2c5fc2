// Triggers in the marketer config: automated journeys delivered as signed webhooks (triggers/*).
import * as z from './zod.js';

export const TRIGGER_KINDS = [
  'cart-abandoned',
  'browse-abandoned',
  'repurchase-due',
  'birthday',
  'segment-entered',
  'segment-exited',
  'quiz-completed',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

const id = z.string().check(z.regex(/^[A-Za-z0-9][\w.-]{0,79}$/, 'is letters, digits, "-", "_" or "." (at most 80), starting with a letter or digit'));

export const triggerDelaySchema = z
  .union([
    z.strictObject({ minutes: z.int().check(z.gte(1), z.lte(60 * 24 * 30), z.describe('Minutes to wait (at most 30 days).')) }),
    z.strictObject({ days: z.int().check(z.gte(1), z.lte(3650), z.describe('Days to wait.')) }),
  ])
  .check(z.describe('How long to wait: `{"minutes": 30}` or `{"days": 30}`.'));

/**
 * The Worker's own secrets. None may sign a webhook: the receiver would hold signatures made with it over a
 * body it knows, enough to test guesses of the secret offline. Add every new Worker secret here.
 */
export const WORKER_SECRETS = [
  'ATTUNE_ADMIN_TOKEN',
  'ATTUNE_COOKIE_SECRET',
  'ATTUNE_IDENTITY_SECRET',
  'ATTUNE_PREVIEW_KEY',
  'ATTUNE_SERVER_KEY',
  'ATTUNE_WRITE_KEY',
] as const;
/** Families of the Worker's own secrets a site's config names (`identitySecretEnv`, `serverKeyEnv`): the base name and any `_SUFFIX`. */
export const WORKER_SECRET_FAMILIES = ['ATTUNE_IDENTITY_SECRET', 'ATTUNE_SERVER_KEY'] as const;
/** Whether `name` is one of the Worker's own secrets, by name or by family. */
export const isWorkerSecret = (name: string) =>
  (WORKER_SECRETS as readonly string[]).includes(name) || WORKER_SECRET_FAMILIES.some((f) => name.startsWith(`${f}_`));
/** A webhook's secret is a name of its own: a secret the Worker adds later cannot be named by mistake. */
export const WEBHOOK_SECRET_PREFIX = 'ATTUNE_WEBHOOK_';

/** Why `name` may not be a webhook's `secretEnv`, or null. Checked by the config and again at delivery. */
export function secretEnvProblem(name: string): string | null {
  if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(name)) return `is the NAME of a Worker secret, in capitals, e.g. ${WEBHOOK_SECRET_PREFIX}SECRET`;
  if ((WORKER_SECRETS as readonly string[]).includes(name))
    return `is the NAME of a Worker secret of its own, not ${name}: the Worker uses that one itself, and a receiver must never get signatures made with it`;
  if (!name.startsWith(WEBHOOK_SECRET_PREFIX) || name.length === WEBHOOK_SECRET_PREFIX.length)
    return `is the NAME of a Worker secret starting with ${WEBHOOK_SECRET_PREFIX} (e.g. ${WEBHOOK_SECRET_PREFIX}SECRET), so it can never be one of the Worker's own secrets`;
  return null;
}

export const webhookSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, message: 'is an http(s) URL such as https://hooks.example.com/attune' })
      .check(
        z.describe(
          'Where the signed POST goes: https on a public host. Loopback, private, link-local and metadata addresses and local names are refused; ' +
            'http://localhost (any port) only in local development (ATTUNE_ENV=development). Redirects are followed only to such URLs.',
        ),
      ),
    secretEnv: z.string().check(
      z.superRefine((name, ctx) => {
        const problem = secretEnvProblem(name);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      z.meta({ pattern: `^${WEBHOOK_SECRET_PREFIX}[A-Z0-9_]{1,49}$` }),
      z.describe(
        `The name of the Worker secret (\`wrangler secret put ${WEBHOOK_SECRET_PREFIX}…\`) holding the HMAC key; never the key itself. ` +
          `It starts with ${WEBHOOK_SECRET_PREFIX}, so none of the Worker's own secrets can sign a request to a third party.`,
      ),
    ),
  })
  .check(z.describe('The receiver: an HTTPS endpoint and the secret its signature is made with.'));

export const triggerSchema = z
  .strictObject({
    id: id.check(z.describe('Names the trigger in the webhook payload, the log and the idempotency key.')),
    description: z.optional(z.string()),
    on: z
      .enum(TRIGGER_KINDS)
      .check(
        z.describe(
          'cart-abandoned: cart not empty and no order within `after`; browse-abandoned: products viewed, none added within `after`; ' +
            "repurchase-due: `after.days` (or the product's `attributes.replenishDays`) after an order; birthday: on `traits.birthday`; " +
            'segment-entered / segment-exited: when the visitor enters or leaves `segment`; quiz-completed: when `quiz` (or any quiz) is finished.',
        ),
      ),
    after: z
      .optional(triggerDelaySchema)
      .check(z.describe('The wait before firing. Default: 30 minutes for the abandonment kinds, 30 days for repurchase-due, none otherwise.')),
    segment: z.optional(z.string()).check(z.describe('segment-entered / segment-exited: the segment id.')),
    quiz: z.optional(z.string()).check(z.describe('quiz-completed: the quiz id; leave out for any quiz.')),
    webhook: webhookSchema,
    consent: z
      ._default(z.enum(['analytics', 'personalization']), 'personalization')
      .check(z.describe('The consent purpose the visitor must have granted; without it nothing is scheduled or sent.')),
  })
  .check(
    z.superRefine((t, ctx) => {
      if ((t.on === 'segment-entered' || t.on === 'segment-exited') && !t.segment)
        ctx.addIssue({ code: 'custom', path: ['segment'], message: `"${t.on}" needs the segment it watches` });
      if (t.segment && !(t.on === 'segment-entered' || t.on === 'segment-exited'))
        ctx.addIssue({ code: 'custom', path: ['segment'], message: `only segment-entered / segment-exited use a segment, not "${t.on}"` });
      if (t.quiz && t.on !== 'quiz-completed') ctx.addIssue({ code: 'custom', path: ['quiz'], message: `only quiz-completed uses a quiz, not "${t.on}"` });
    }),
  )
  .register(z.globalRegistry, { id: 'Trigger', description: 'An automated journey: when the condition holds, a signed webhook POST (see docs/triggers.md).' });

export type Trigger = z.infer<typeof triggerSchema>;
