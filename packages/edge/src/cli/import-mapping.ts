// Which CSV column feeds which field of an import. Pure. Defaults recognise the names CRM and point-of-sale
// exports commonly use ("Email Address", "E-mail", "mobile", "Given name", "created_at", "amount"…), compared
// without case, spaces or punctuation; `--map field=column` and `--mapping file.json` override them.

export type Kind = 'customers' | 'orders';

export const FIELDS = {
  customer_id: 'the customer id (becomes the userId)',
  email: 'email address',
  phone: 'phone number',
  first_name: 'first name',
  last_name: 'last name',
  name: 'full name',
  birthday: 'date of birth',
  country: 'country (two letters), to read national phone numbers',
  order_id: 'order id (orders: required)',
  order_date: 'order date (orders)',
  total: 'order total (orders: required, or price)',
  currency: 'currency code (orders)',
  sku: 'product id or SKU of an order line',
  quantity: 'quantity of an order line',
  price: 'unit price of an order line',
} as const;
export type Field = keyof typeof FIELDS;

/** Normalized header names (see `norm`) each field is found under by default, in order of preference. */
const DEFAULTS: Record<Field, string[]> = {
  customer_id: ['customerid', 'customer', 'customerno', 'customernumber', 'clientid', 'userid', 'memberid', 'loyaltyid'],
  email: ['email', 'emailaddress', 'mail'],
  phone: ['phone', 'mobile', 'phonenumber', 'mobilephone', 'mobilenumber', 'cell', 'tel', 'telephone'],
  first_name: ['firstname', 'givenname', 'first', 'forename'],
  last_name: ['lastname', 'surname', 'familyname', 'last'],
  name: ['name', 'fullname', 'customername'],
  birthday: ['birthday', 'dateofbirth', 'dob', 'birthdate'],
  country: ['country', 'countrycode'],
  order_id: ['orderid', 'order', 'ordernumber', 'orderno', 'ordernr', 'receipt', 'receiptid', 'transactionid'],
  order_date: ['orderdate', 'createdat', 'date', 'orderedat', 'purchasedate', 'purchasedat', 'timestamp'],
  total: ['total', 'amount', 'revenue', 'ordertotal', 'totalamount', 'grandtotal'],
  currency: ['currency', 'currencycode'],
  sku: ['sku', 'productid', 'product', 'itemid', 'articleid', 'ean'],
  quantity: ['quantity', 'qty', 'units'],
  price: ['price', 'unitprice', 'itemprice'],
};
/** A bare `id` is the customer's in a customers file; in an orders file it is too ambiguous to guess. */
const KIND_DEFAULTS: Record<Kind, Partial<Record<Field, string[]>>> = { customers: { customer_id: ['id'] }, orders: {} };
const FOR: Record<Kind, Field[]> = {
  customers: ['customer_id', 'email', 'phone', 'first_name', 'last_name', 'name', 'birthday', 'country'],
  orders: ['order_id', 'order_date', 'total', 'currency', 'sku', 'quantity', 'price', 'customer_id', 'email', 'phone', 'country'],
};

export const norm = (h: string) => h.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

export type Mapping = Partial<Record<Field, number>>;
export type MappingResult =
  | { ok: true; mapping: Mapping; extra: { index: number; trait: string }[]; used: string[] }
  | { ok: false; message: string };

/** A trait name for a column no field uses: `Loyalty Tier` → `loyalty_tier`. */
export const traitName = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '');

/**
 * Resolves the mapping against a header. `overrides` maps fields to column names (exact, then normalized);
 * an empty column name unmaps a field. Errors name the field or column and list what the header holds.
 */
export function resolveMapping(kind: Kind, header: string[], overrides: Record<string, string> = {}): MappingResult {
  const mapping: Mapping = {};
  const columns = header.map((h) => h.trim());
  const list = `the header has: ${columns.map((c) => JSON.stringify(c)).join(', ')}`;
  for (const [field, column] of Object.entries(overrides)) {
    if (!(field in FIELDS)) return { ok: false, message: `--map ${field}=…: unknown field "${field}" (fields: ${Object.keys(FIELDS).join(', ')})` };
    if (!FOR[kind].includes(field as Field)) return { ok: false, message: `--map ${field}=…: ${kind} imports do not use "${field}"` };
    if (column === '') continue;
    let i = columns.indexOf(column);
    if (i < 0) i = columns.findIndex((c) => norm(c) === norm(column));
    if (i < 0) return { ok: false, message: `--map ${field}=${column}: no column "${column}"; ${list}` };
    mapping[field as Field] = i;
  }
  const normalized = columns.map(norm);
  const taken = new Set(Object.values(mapping));
  for (const field of FOR[kind]) {
    if (field in overrides) continue;
    for (const name of [...(KIND_DEFAULTS[kind][field] ?? []), ...DEFAULTS[field]]) {
      const i = normalized.indexOf(name);
      if (i >= 0 && !taken.has(i)) {
        mapping[field] = i;
        taken.add(i);
        break;
      }
    }
  }
  if (kind === 'customers' && mapping.customer_id === undefined && mapping.email === undefined && mapping.phone === undefined)
    return { ok: false, message: `no column to identify people by: customers need a customer id, an email or a phone column (map one with --map email=<column>); ${list}` };
  if (kind === 'orders') {
    const missing = [
      mapping.order_id === undefined && 'an order id (--map order_id=<column>)',
      mapping.total === undefined && mapping.price === undefined && 'an amount (--map total=<column>)',
      mapping.customer_id === undefined && mapping.email === undefined && mapping.phone === undefined && 'a customer id, email or phone (--map email=<column>)',
    ].filter(Boolean);
    if (missing.length) return { ok: false, message: `missing required column${missing.length > 1 ? 's' : ''}: orders need ${missing.join(', ')}; ${list}` };
  }
  // Columns no field uses become traits of the customer under their own (snake_case) name.
  const extra = kind === 'customers' ? columns.map((h, index) => ({ index, trait: traitName(h) })).filter((c) => !taken.has(c.index) && c.trait) : [];
  const used = Object.entries(mapping).map(([f, i]) => `${f} ← "${columns[i]}"`);
  return { ok: true, mapping, extra, used };
}

/** `--map field=column` flags and a `--mapping` file's `{ "field": "column" }`, flags winning. */
export function overridesFrom(flags: string[], file?: unknown): { ok: true; overrides: Record<string, string> } | { ok: false; message: string } {
  const overrides: Record<string, string> = {};
  if (file !== undefined) {
    if (!file || typeof file !== 'object' || Array.isArray(file)) return { ok: false, message: '--mapping: the file must hold a JSON object like {"email": "E-mail"}' };
    for (const [k, v] of Object.entries(file)) {
      if (typeof v !== 'string') return { ok: false, message: `--mapping: "${k}" must name a column (a string)` };
      overrides[k] = v;
    }
  }
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) return { ok: false, message: `--map ${f}: expected field=column, e.g. --map email="E-mail address"` };
    overrides[f.slice(0, eq).trim()] = f.slice(eq + 1).trim();
  }
  return { ok: true, overrides };
}
