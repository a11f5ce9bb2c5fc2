// A customers row keeps every extra column as a trait, whatever the column is called.
import { describe, expect, it } from 'vitest';
import { customerRow } from './import-customers.js';

describe('customerRow', () => {
  it('keeps extra columns named like Object members ("constructor", "toString") as traits', () => {
    const r = customerRow(2, ['c-1', 'gold', 'yes'], { customer_id: 0 }, [
      { index: 1, trait: 'constructor' },
      { index: 2, trait: 'toString' },
    ], {});
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.customerId).toBe('c-1');
    expect(Object.hasOwn(r.value.traits, 'constructor')).toBe(true);
    expect(r.value.traits.constructor).toBe('gold');
    expect(r.value.traits.toString).toBe('yes');
  });
});
