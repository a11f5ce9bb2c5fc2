import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../contract/config.js';
import { schemaKeys } from './schema-keys.js';

/** The property names of a JSON Schema, as the hints read them before (from z.toJSONSchema). */
function jsonSchemaKeys(node: unknown, out = new Set<string>()): Set<string> {
  if (!node || typeof node !== 'object') return out;
  const props = (node as { properties?: Record<string, unknown> }).properties;
  if (props) for (const k of Object.keys(props)) out.add(k);
  Object.values(node).forEach((v) => jsonSchemaKeys(v, out));
  return out;
}

describe('schemaKeys', () => {
  it("knows exactly the config's property names that its JSON Schema names", () => {
    const want = jsonSchemaKeys(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }));
    expect([...schemaKeys(configSchema)].sort()).toEqual([...want].sort());
    expect(want.size).toBeGreaterThan(40);
  });

  it('reaches keys behind optional, default, union, array, record and lazy schemas', () => {
    const rule: z.ZodType = z.lazy(() => z.union([z.object({ all: z.array(rule) }), z.object({ fact: z.string() })]));
    const s = z.object({ a: z.object({ b: z.number() }).optional(), c: z.array(z.object({ d: z.string().default('x') })), e: z.record(z.string(), z.object({ f: z.boolean() })), r: rule });
    expect([...schemaKeys(s)].sort()).toEqual(['a', 'all', 'b', 'c', 'd', 'e', 'f', 'fact', 'r']);
  });
});
