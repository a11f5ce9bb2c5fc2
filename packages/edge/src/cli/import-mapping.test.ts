import { describe, expect, it } from 'vitest';
import { overridesFrom, resolveMapping } from './import-mapping.js';

const mapped = (kind: 'customers' | 'orders', header: string[], overrides = {}) => {
  const r = resolveMapping(kind, header, overrides);
  if (!r.ok) throw new Error(r.message);
  return Object.fromEntries(Object.entries(r.mapping).map(([f, i]) => [f, header[i]]));
};

describe('column mapping', () => {
  it('finds common column names whatever their case, spaces or punctuation', () => {
    expect(mapped('customers', ['ID', 'Email Address', 'Mobile', 'Given name', 'Surname', 'Date of Birth'])).toEqual({
      customer_id: 'ID', email: 'Email Address', phone: 'Mobile', first_name: 'Given name', last_name: 'Surname', birthday: 'Date of Birth',
    });
    expect(mapped('customers', ['customer_id', 'E-mail', 'phone', 'firstname', 'last_name', 'name', 'birthday'])).toMatchObject({ email: 'E-mail', first_name: 'firstname', name: 'name' });
    expect(mapped('orders', ['order_id', 'created_at', 'amount', 'currency', 'product_id', 'quantity', 'price', 'email'])).toEqual({
      order_id: 'order_id', order_date: 'created_at', total: 'amount', currency: 'currency', sku: 'product_id', quantity: 'quantity', price: 'price', email: 'email',
    });
  });

  it('keeps columns no field uses as traits of the customer', () => {
    const r = resolveMapping('customers', ['email', 'Loyalty Tier'], {});
    expect(r.ok && r.extra).toEqual([{ index: 1, trait: 'loyalty_tier' }]);
  });

  it('lets --map and a mapping file override the defaults, flags winning', () => {
    const ov = overridesFrom(['email=Contact'], { email: 'mail', phone: 'Handy' });
    expect(ov).toEqual({ ok: true, overrides: { email: 'Contact', phone: 'Handy' } });
    expect(mapped('customers', ['email', 'Contact', 'Handy'], ov.ok ? ov.overrides : {})).toEqual({ email: 'Contact', phone: 'Handy' });
  });

  it('says which column is missing and what the header holds', () => {
    const r = resolveMapping('orders', ['order_id', 'email', 'when'], {});
    expect(r).toEqual({ ok: false, message: 'missing required column: orders need an amount (--map total=<column>); the header has: "order_id", "email", "when"' });
    expect(resolveMapping('customers', ['email'], { phone: 'Handy' })).toMatchObject({ ok: false, message: expect.stringContaining('no column "Handy"') });
    expect(resolveMapping('customers', ['email'], { mail: 'email' })).toMatchObject({ ok: false, message: expect.stringContaining('unknown field "mail"') });
  });
});
