// The studio's admin API (issue 21): what its routes answer. One file, one section per owner; each section is
// written by the engineer who owns those routes, and the dashboard imports the types from here (`import type`).
// Routes parse their own answers with these schemas in tests, so the two never drift apart.
import * as z from './zod.js';

// ─── Versions and publishing ([V]: packages/edge/src/config/versions*, drafts*) ──────────────────────────────

/** A config problem as `npx attune validate` prints it (config/problems.ts ConfigProblem). */
export const configProblemSchema = z.object({
  path: z.string(),
  message: z.string(),
  found: z.optional(z.string()),
  expected: z.optional(z.string()),
  severity: z.enum(['error', 'warning']),
});
export type ConfigProblemBody = z.infer<typeof configProblemSchema>;

/** One published version, without its config (GET /v1/config/versions). */
export const configVersionSchema = z.object({
  /** 1, 2, 3…: version 1 is the seed when nothing was ever published */
  version: z.int().check(z.positive()),
  /** The compiled config's content version (compile.ts versionOf) */
  hash: z.string(),
  publishedBy: z.string(),
  role: z.string(),
  publishedAt: z.string(),
  comment: z.string(),
  /** Set when this version is a restore of an older one */
  restoredFrom: z.optional(z.int().check(z.positive())),
});
export type ConfigVersion = z.infer<typeof configVersionSchema>;

/** GET /v1/config/versions/:version */
export const configVersionWithConfigSchema = z.extend(configVersionSchema, { config: z.unknown() });

/** GET /v1/config/versions (newest first; ?limit, ?before=<version>) */
export const configVersionsSchema = z.object({ versions: z.array(configVersionSchema) });

/** GET /v1/config (header ETag: "<version>") */
export const currentConfigSchema = z.object({
  version: z.int().check(z.positive()),
  hash: z.string(),
  publishedBy: z.string(),
  publishedAt: z.string(),
  comment: z.string(),
  config: z.unknown(),
});

/** PUT /v1/config and POST /v1/config/versions/:version/restore, 200 */
export const publishedSchema = z.object({
  success: z.literal(true),
  version: z.int().check(z.positive()),
  warnings: z.array(configProblemSchema),
});

/** PUT /v1/config, 400: the config has errors and is not published */
export const publishRefusedSchema = z.object({
  success: z.literal(false),
  error: z.string(),
  errors: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});

/** PUT /v1/config and restore, 409: someone published since the version the client named in If-Match */
export const publishConflictSchema = z.object({
  success: z.literal(false),
  error: z.string(),
  current: z.object({ version: z.int().check(z.positive()), publishedBy: z.string(), publishedAt: z.string() }),
});

/** POST /v1/config/validate: always 200, an invalid config is an answer, not an error */
export const validateAnswerSchema = z.object({
  ok: z.boolean(),
  errors: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});

export const diffChangeSchema = z.object({
  /** Where, as validate names paths: slots[0].variants[1].content.title (indexes of the newer side) */
  path: z.string(),
  kind: z.enum(['added', 'removed', 'changed', 'moved']),
  before: z.optional(z.unknown()),
  after: z.optional(z.unknown()),
});
export type DiffChange = z.infer<typeof diffChangeSchema>;

/** GET /v1/config/versions/:version/diff?against=<other>: the changes from `from` to `to` */
export const configDiffSchema = z.object({
  from: z.int().check(z.positive()),
  to: z.int().check(z.positive()),
  changes: z.array(diffChangeSchema),
});

/** Drafts: named work in progress, saved even when invalid. Names: [a-z0-9._-]{1,60} */
export const draftNameSchema = z.string().check(z.regex(/^[a-z0-9._-]{1,60}$/));
export const draftSummarySchema = z.object({
  name: z.string(),
  baseVersion: z.int().check(z.positive()),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
/** GET /v1/config/drafts */
export const draftsSchema = z.object({ drafts: z.array(draftSummarySchema) });
/** GET /v1/config/drafts/:name */
export const draftSchema = z.extend(draftSummarySchema, {
  config: z.unknown(),
  errors: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});
/** PUT /v1/config/drafts/:name body */
export const draftBodySchema = z.object({ baseVersion: z.int().check(z.positive()), config: z.unknown() });
/** PUT /v1/config/drafts/:name answer */
export const draftSavedSchema = z.object({
  success: z.literal(true),
  errors: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});

// ─── end of [V] ─────────────────────────────────────────────────────────────────────────────────────────────

// ─── Accounts, roles, audit ([A]: packages/edge/src/admin/accounts*, audit*, session*) ───────────────────────

/** Roles a named account may hold (the owner is the admin token, never an account). */
export const accountRoleSchema = z.enum(['viewer', 'editor', 'publisher']);
/** Account names: lower case, so "Ana" and "ana" are never two accounts; "owner" is the admin token's. */
export const accountNameSchema = z.string().check(
  z.regex(/^[a-z0-9._-]{2,40}$/, 'expected 2-40 characters of a-z, 0-9, ".", "_" or "-"'),
  z.refine((n) => n !== 'owner', '"owner" is the admin token\'s name'),
);
/** POST /v1/admin/accounts body (the password: 12-200 characters, admin/passwords.ts) */
export const accountCreateSchema = z.strictObject({ name: accountNameSchema, role: accountRoleSchema, password: z.string() });
/** PATCH /v1/admin/accounts/:name body: a new role, a new password, or both; either ends the account's sessions */
export const accountPatchSchema = z
  .strictObject({ role: z.optional(accountRoleSchema), password: z.optional(z.string()) })
  .check(z.refine((p) => p.role !== undefined || p.password !== undefined, 'expected "role", "password" or both'));
/** An account as the API shows it (never its password hash) */
export const accountSchema = z.object({ name: z.string(), role: accountRoleSchema, createdAt: z.string(), updatedAt: z.string() });
export type AccountBody = z.infer<typeof accountSchema>;
/** GET /v1/admin/accounts */
export const accountsSchema = z.object({ accounts: z.array(accountSchema) });
/** POST/PATCH /v1/admin/accounts… answer */
export const accountSavedSchema = z.object({ success: z.literal(true), account: accountSchema });

export const auditEntrySchema = z.object({
  id: z.int().check(z.positive()),
  at: z.string(),
  /** The account name, "owner" for the admin token, or the name a failed sign-in tried */
  actor: z.string(),
  /** null for a failed sign-in (no one was signed in) */
  role: z.nullable(z.enum(['viewer', 'editor', 'publisher', 'owner'])),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntryBody = z.infer<typeof auditEntrySchema>;
/** GET /v1/admin/audit?limit=&before=<id> (newest first) */
export const auditSchema = z.object({ entries: z.array(auditEntrySchema) });

/** POST /v1/admin/session body: the admin token (the owner) or an account's name and password */
export const signInSchema = z.union([z.strictObject({ token: z.string() }), z.strictObject({ name: z.string(), password: z.string() })]);
/** GET /v1/admin/session */
export const sessionStateSchema = z.object({
  success: z.literal(true),
  session: z.nullable(z.object({ expires: z.string(), name: z.string(), role: z.enum(['viewer', 'editor', 'publisher', 'owner']) })),
});

// ─── end of [A] ─────────────────────────────────────────────────────────────────────────────────────────────

// ─── Previews and schedules ([P]: packages/edge/src/decide/preview*, config/schedule*) ─────────────────────────

/** POST /v1/preview body: who to preview as, for how long, which page, and (from the studio) the draft to render. */
export const previewRequestSchema = z.object({
  /** Act as a member of exactly these segments */
  segments: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(50))),
  /** Force a variant (or "default") per slot */
  variants: z.optional(z.record(z.string(), z.string())),
  /** 1 to 10,080 (a week); default 60 */
  minutes: z.optional(z.number().check(z.gte(1), z.lte(7 * 24 * 60))),
  /** The page, a path on the site ("/products/hydra-serum"); default "/" */
  path: z.optional(z.string()),
  /** A draft config: validated as PUT /v1/config validates; the link renders with it */
  config: z.optional(z.unknown()),
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

/** POST /v1/preview, 200. `url` opens the preview; with a draft, `draftUrl` (= url) and `liveUrl` show the same page and segments side by side. */
export const previewCreatedSchema = z.object({
  id: z.string(),
  token: z.string(),
  url: z.string(),
  path: z.string(),
  expires: z.string(),
  draftUrl: z.optional(z.string()),
  liveUrl: z.optional(z.string()),
  /** The draft's warnings (it has no errors, or there would be no link) */
  warnings: z.optional(z.array(configProblemSchema)),
});

/** POST /v1/preview, 400 for a broken draft: the same problems PUT /v1/config names */
export const previewRefusedSchema = publishRefusedSchema;

/** GET /v1/previews: the live links, soonest to expire first */
export const previewLinksSchema = z.object({
  previews: z.array(
    z.object({
      id: z.string(),
      segments: z.optional(z.array(z.string())),
      variants: z.optional(z.record(z.string(), z.string())),
      draft: z.optional(z.literal(true)),
      path: z.optional(z.string()),
      createdAt: z.string(),
      expires: z.string(),
    }),
  ),
});

/** DELETE /v1/preview/:id */
export const previewRevokedSchema = z.object({ success: z.literal(true), revoked: z.string(), expires: z.string() });

export const scheduleItemSchema = z.object({
  kind: z.enum(['variant', 'experiment']),
  /** The slot a variant belongs to, or an experiment runs on */
  slot: z.string(),
  id: z.string(),
  status: z.enum(['live', 'next', 'ended', 'always']),
  /** Bounds as instants (ISO, UTC) */
  from: z.optional(z.string()),
  until: z.optional(z.string()),
  /** The same bounds on the site's wall clock (2026-10-25T02:30:00), for showing in local time */
  fromLocal: z.optional(z.string()),
  untilLocal: z.optional(z.string()),
  /** Experiments only: draft/paused/completed ones are not shown whatever `status` their dates give */
  experimentStatus: z.optional(z.enum(['draft', 'running', 'paused', 'completed'])),
});
export type ScheduleItemBody = z.infer<typeof scheduleItemSchema>;

/** GET /v1/config/schedule?at=<ISO>&site=<id> (both optional: now, the first site) */
export const configScheduleSchema = z.object({
  site: z.string(),
  /** IANA zone local schedule times are read in */
  timeZone: z.string(),
  at: z.string(),
  items: z.array(scheduleItemSchema),
});

// ─── end of [P] ─────────────────────────────────────────────────────────────────────────────────────────────
