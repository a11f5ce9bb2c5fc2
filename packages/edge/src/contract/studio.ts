// The studio's admin API (issue 21): what its routes answer. One file, one section per owner; each section is
// written by the engineer who owns those routes, and the dashboard imports the types from here (`import type`).
// Routes parse their own answers with these schemas in tests, so the two never drift apart.
import * as z from 'zod';

// ─── Versions and publishing ([V]: packages/edge/src/config/versions*, drafts*) ──────────────────────────────

/** A config problem as `npx attune validate` prints it (config/problems.ts ConfigProblem). */
export const configProblemSchema = z.object({
  path: z.string(),
  message: z.string(),
  found: z.string().optional(),
  expected: z.string().optional(),
  severity: z.enum(['error', 'warning']),
});
export type ConfigProblemBody = z.infer<typeof configProblemSchema>;

/** One published version, without its config (GET /v1/config/versions). */
export const configVersionSchema = z.object({
  /** 1, 2, 3…: version 1 is the seed when nothing was ever published */
  version: z.number().int().positive(),
  /** The compiled config's content version (compile.ts versionOf) */
  hash: z.string(),
  publishedBy: z.string(),
  role: z.string(),
  publishedAt: z.string(),
  comment: z.string(),
  /** Set when this version is a restore of an older one */
  restoredFrom: z.number().int().positive().optional(),
});
export type ConfigVersion = z.infer<typeof configVersionSchema>;

/** GET /v1/config/versions/:version */
export const configVersionWithConfigSchema = configVersionSchema.extend({ config: z.unknown() });

/** GET /v1/config/versions (newest first; ?limit, ?before=<version>) */
export const configVersionsSchema = z.object({ versions: z.array(configVersionSchema) });

/** GET /v1/config (header ETag: "<version>") */
export const currentConfigSchema = z.object({
  version: z.number().int().positive(),
  hash: z.string(),
  publishedBy: z.string(),
  publishedAt: z.string(),
  comment: z.string(),
  config: z.unknown(),
});

/** PUT /v1/config and POST /v1/config/versions/:version/restore, 200 */
export const publishedSchema = z.object({
  success: z.literal(true),
  version: z.number().int().positive(),
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
  current: z.object({ version: z.number().int().positive(), publishedBy: z.string(), publishedAt: z.string() }),
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
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type DiffChange = z.infer<typeof diffChangeSchema>;

/** GET /v1/config/versions/:version/diff?against=<other>: the changes from `from` to `to` */
export const configDiffSchema = z.object({
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  changes: z.array(diffChangeSchema),
});

/** Drafts: named work in progress, saved even when invalid. Names: [a-z0-9._-]{1,60} */
export const draftNameSchema = z.string().regex(/^[a-z0-9._-]{1,60}$/);
export const draftSummarySchema = z.object({
  name: z.string(),
  baseVersion: z.number().int().positive(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
/** GET /v1/config/drafts */
export const draftsSchema = z.object({ drafts: z.array(draftSummarySchema) });
/** GET /v1/config/drafts/:name */
export const draftSchema = draftSummarySchema.extend({
  config: z.unknown(),
  errors: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});
/** PUT /v1/config/drafts/:name body */
export const draftBodySchema = z.object({ baseVersion: z.number().int().positive(), config: z.unknown() });
/** PUT /v1/config/drafts/:name answer */
export const draftSavedSchema = z.object({
  success: z.literal(true),
  errors: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});

// ─── end of [V] ─────────────────────────────────────────────────────────────────────────────────────────────
