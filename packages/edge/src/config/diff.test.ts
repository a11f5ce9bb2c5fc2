import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { configDiffSchema } from '../contract/studio.js';
import { diffConfigs } from './diff.js';

/** The demo config, loosely typed: its variants differ in shape, and the tests edit them freely. */
type Loose = { slots: { variants: { id: string; priority: number; content: Record<string, unknown> }[] }[]; segments: unknown[] };
const clone = () => structuredClone(config) as unknown as Loose;
const demo = config as unknown as Loose;

describe('diffConfigs', () => {
  it('finds nothing between a config and its copy', () => {
    expect(diffConfigs(config, clone())).toEqual([]);
  });

  it('names a changed field by the path validate uses, with both values', () => {
    const next = clone();
    const before = next.slots[0]!.variants[1]!.content.title;
    next.slots[0]!.variants[1]!.content.title = 'New title';
    expect(diffConfigs(config, next)).toEqual([{ path: 'slots[0].variants[1].content.title', kind: 'changed', before, after: 'New title' }]);
  });

  it('reads a reorder of items with ids as moved, not as every field changed', () => {
    const next = clone();
    const variants = next.slots[0]!.variants;
    expect(variants.length).toBeGreaterThanOrEqual(3);
    const [first] = variants.splice(0, 1);
    variants.push(first!);
    const changes = diffConfigs(config, next);
    expect(changes).toEqual([{ path: `slots[0].variants[${variants.length - 1}]`, kind: 'moved', before: 'slots[0].variants[0]', after: `slots[0].variants[${variants.length - 1}]` }]);
  });

  it('reports a change inside a moved item at its new index', () => {
    const next = clone();
    const variants = next.slots[0]!.variants;
    [variants[0], variants[1]] = [variants[1]!, variants[0]!];
    variants[0]!.priority += 1;
    const changes = diffConfigs(config, next);
    // One of the two swapped reads as moved (the other kept its order relative to the rest); the edit is at index 0.
    expect(changes.filter((c) => c.kind === 'moved')).toHaveLength(1);
    expect(changes).toContainEqual({ path: 'slots[0].variants[0].priority', kind: 'changed', before: demo.slots[0]!.variants[1]!.priority, after: variants[0]!.priority });
  });

  it('adds and removes items by id, removed at their old index and added at their new one', () => {
    const next = clone();
    const removed = next.segments.splice(1, 1)[0]!;
    next.segments.push({ id: 'brand-new', rule: { event: 'Signed Up' } } as never);
    expect(diffConfigs(config, next)).toEqual([
      { path: 'segments[1]', kind: 'removed', before: removed },
      { path: `segments[${next.segments.length - 1}]`, kind: 'added', after: { id: 'brand-new', rule: { event: 'Signed Up' } } },
    ]);
  });

  it('compares arrays without ids index by index, and keys added or removed', () => {
    expect(diffConfigs({ tags: ['a', 'b'], x: 1 }, { tags: ['a', 'c', 'd'], y: 2 })).toEqual([
      { path: 'x', kind: 'removed', before: 1 },
      { path: 'tags[1]', kind: 'changed', before: 'b', after: 'c' },
      { path: 'tags[2]', kind: 'added', after: 'd' },
      { path: 'y', kind: 'added', after: 2 },
    ]);
  });

  it('treats a value changing type as changed at that path', () => {
    expect(diffConfigs({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: 'a', kind: 'changed', before: { b: 1 }, after: [1] }]);
  });

  it('answers in the contract\'s shape', () => {
    const next = clone();
    next.slots.reverse();
    expect(() => configDiffSchema.parse({ from: 1, to: 2, changes: diffConfigs(config, next) })).not.toThrow();
  });
});
