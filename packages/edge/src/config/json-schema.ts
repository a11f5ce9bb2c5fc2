// The config's JSON Schema, generated from the zod schema (the single source) so editors complete and check
// attune.config.json. Draft 7: the draft every editor's JSON support understands fully.
import * as z from '../contract/zod.js';
import { configSchema } from '../contract/config.js';

export const configJsonSchema = () => z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;

/** Where the generated schema is kept, relative to packages/edge; attune.config.json's "$schema" points here. */
export const SCHEMA_FILE = 'attune.config.schema.json';
