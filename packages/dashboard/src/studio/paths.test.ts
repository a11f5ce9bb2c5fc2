import { describe, expect, it } from 'vitest';
import { copyItem, getAt, move, removeItem, setAt } from './edit.js';
import { anyUnder, fieldId, formatPath, parsePath, place, problemsAt } from './paths.js';

describe('paths as validate prints them', () => {
  it('parse back what formatPath writes', () => {
    for (const p of [['slots', 0, 'variants', 1, 'content', 'title'], ['sites', 'demo', 'writeKey'], ['recommendations', 'strategies', 'a b', 'type'], ['x', 'with"quote'], []])
      expect(parsePath(formatPath(p))).toEqual(p);
    expect(parsePath('segments[2].rule.any[0].segment')).toEqual(['segments', 2, 'rule', 'any', 0, 'segment']);
  });
  it('field ids are unique per path and free of spaces', () => {
    expect(fieldId(['slots', 0, 'id'])).toBe('f-slots[0].id');
    expect(fieldId(['a', 'b c'])).not.toMatch(/\s/);
    expect(fieldId(['slots', 0])).not.toBe(fieldId(['slots', 1]));
  });
});

describe('a problem is shown at the deepest field drawn on its path', () => {
  const placed = place([
    { path: 'slots[0].variants[1].content.title', message: 'is empty' },
    { path: 'slots[0].variants[1]', message: 'duplicate id' },
    { path: 'slots[0].variants[1].colour', message: 'unknown key "colour"' },
    { path: '(the whole file)', message: 'broken' },
  ]);
  it('at its exact path', () => {
    expect(problemsAt(placed, ['slots', 0, 'variants', 1, 'content', 'title']).map((p) => p.message)).toEqual(['is empty']);
  });
  it('a group keeps what none of its children draws, and not what they do', () => {
    const variant = ['slots', 0, 'variants', 1];
    expect(problemsAt(placed, variant, ['id', 'audience', 'content']).map((p) => p.message)).toEqual(['duplicate id', 'unknown key "colour"']);
    expect(problemsAt(placed, variant, 'all').map((p) => p.message)).toEqual(['is empty', 'duplicate id', 'unknown key "colour"']);
    expect(problemsAt(placed, [], ['slots'])).toHaveLength(1);
    expect(problemsAt(placed, ['slots', 0, 'variants'], [0])).toHaveLength(3);
    expect(problemsAt(placed, ['slots', 0, 'variants'], [0, 1])).toHaveLength(0);
  });
  it('marks where problems lie below', () => {
    expect(anyUnder(placed, ['slots', 0, 'variants', 1])).toBe(true);
    expect(anyUnder(placed, ['slots', 1])).toBe(false);
  });
});

describe('immutable edits', () => {
  const cfg = { slots: [{ id: 'a', variants: [{ id: 'v' }, { id: 'w' }] }] };
  it('sets and removes by path without touching the original', () => {
    const next = setAt(cfg, ['slots', 0, 'variants', 0, 'content', 'title'], 'Hi');
    expect(getAt(next, ['slots', 0, 'variants', 0, 'content'])).toEqual({ title: 'Hi' });
    expect(cfg.slots[0]!.variants[0]).toEqual({ id: 'v' });
    expect(getAt(setAt(next, ['slots', 0, 'variants', 0, 'content', 'title'], undefined), ['slots', 0, 'variants', 0, 'content'])).toEqual({});
  });
  it('reorders, copies with a free id, removes', () => {
    const list = [{ id: 'a' }, { id: 'b' }, { id: 'a-copy' }];
    expect(move(list, 0, 1).map((x) => x.id)).toEqual(['b', 'a', 'a-copy']);
    expect(move(list, 0, -1)).toEqual(list);
    expect(copyItem(list, 0).map((x) => x.id)).toEqual(['a', 'a-copy-2', 'b', 'a-copy']);
    expect(removeItem(list, 1).map((x) => x.id)).toEqual(['a', 'a-copy']);
  });
});
