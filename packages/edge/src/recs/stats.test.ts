// Product ids are data (docs/security.md): whatever a shopper's events call a product — `__proto__`, `a|b` —
// its statistics are its own, never split into or merged with another product's.
import { describe, expect, it } from 'vitest';
import { MemoryStats, recIncrements, type EventLike } from './stats.js';

const at = (min: number) => new Date(Date.UTC(2026, 10, 2, 12, min)).toISOString();
let n = 0;
const order = (ids: string[], min: number): EventLike => ({ type: 'track', event: 'Order Completed', messageId: `o${n++}`, anonymousId: 'a', timestamp: at(min), properties: { products: ids.map((product_id) => ({ product_id })) } });
const view = (id: string, min: number): EventLike => ({ type: 'track', event: 'Product Viewed', messageId: `v${n++}`, anonymousId: 'a', timestamp: at(min), properties: { product_id: id } });

describe('recommendation statistics by product id', () => {
  it('keep ids with "|" and names like "__proto__" whole, in the increments the writer hands to D1', () => {
    const ids = ['a|b', '__proto__', 'constructor'];
    const inc = recIncrements('a:a', [], [order(ids, 0)]);
    expect(inc.items.map(([id, popular]) => [id, popular])).toEqual(ids.map((id) => [id, 5]));
    const pairs = inc.pairs.map(([kind, a, b, k]) => `${kind} ${a} ${b} ${k}`).sort();
    expect(pairs).toEqual(
      ['a|b __proto__', 'a|b constructor', '__proto__ constructor'].flatMap((p) => {
        const [a, b] = p.split(' ');
        return [`bought ${a} ${b} 1`, `bought ${b} ${a} 1`];
      }).sort(),
    );
  });

  it('find the partners of such a product in memory as in D1', () => {
    const s = new MemoryStats().add([view('a|b', 0), view('__proto__', 1), view('toString', 2)]);
    expect(s.together('viewed', 'a|b').map(([id]) => id)).toEqual(['__proto__', 'toString']);
    expect(s.together('viewed', '__proto__').map(([id]) => id)).toEqual(['a|b', 'toString']);
    expect(s.popular.get('__proto__')).toBe(1);
    expect(s.together('viewed', 'a')).toEqual([]);
  });
});
