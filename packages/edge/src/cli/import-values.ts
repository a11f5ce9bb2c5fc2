// Dates and amounts as CRM and point-of-sale exports write them. Pure. A value that cannot be read without
// guessing is refused with a reason (the row is then rejected), never guessed: a day/month swap or a decimal
// comma read as a thousands separator would import wrong revenue silently.

export type DateOrder = 'dmy' | 'mdy';
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function ymd(y: number, m: number, d: number): string | null {
  const t = Date.UTC(y, m - 1, d);
  const dt = new Date(t);
  if (y < 1000 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/**
 * A calendar date (`YYYY-MM-DD`) and, when the value has one, a time (`HH:MM[:SS]`, with an offset or UTC).
 * Accepts ISO 8601 (`2026-03-01`, `2026-03-01T10:00:00Z`, `2026-03-01 10:00`), `DD.MM.YYYY`, and slashed
 * dates (`03/04/2026`) when unambiguous or read in the given order.
 */
export function parseDate(raw: string, order?: DateOrder): Parsed<{ date: string; iso: string }> {
  const s = raw.trim();
  const bad = (why: string): Parsed<never> => ({ ok: false, reason: `"${raw}" is not a date${why}` });
  let y: number, m: number, d: number;
  let rest = '';
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$/.exec(s))) [y, m, d, rest] = [+match[1]!, +match[2]!, +match[3]!, match[4]!];
  else if ((match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(.*)$/.exec(s))) [d, m, y, rest] = [+match[1]!, +match[2]!, +match[3]!, match[4]!];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(.*)$/.exec(s))) {
    const [a, b] = [+match[1]!, +match[2]!];
    rest = match[4]!;
    y = +match[3]!;
    const o: DateOrder | undefined = a > 12 ? 'dmy' : b > 12 ? 'mdy' : a === b ? 'dmy' : order;
    if (!o) return bad(' that can be read one way only: day and month could be swapped (pass --date-order dmy or mdy)');
    [d, m] = o === 'dmy' ? [a, b] : [b, a];
  } else return bad(' (expected e.g. 2026-03-01, 2026-03-01T10:00:00Z, 01.03.2026 or 01/03/2026)');
  const date = ymd(y, m, d);
  if (!date) return bad(': no such day');
  const t = rest.trim();
  if (!t) return { ok: true, value: { date, iso: `${date}T00:00:00.000Z` } };
  const tm = /^(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(rest.trimEnd());
  if (!tm) return bad(` (the time "${t}" is not HH:MM[:SS] with an optional offset)`);
  const [hh, mm, ss] = [+tm[1]!, +tm[2]!, +(tm[3] ?? 0)];
  if (hh > 23 || mm > 59 || ss > 59) return bad(': no such time');
  const ms = (tm[4] ?? '0').padEnd(3, '0');
  const zone = !tm[5] || /^(z|utc)$/i.test(tm[5]) ? 'Z' : tm[5].includes(':') ? tm[5] : `${tm[5].slice(0, 3)}:${tm[5].slice(3)}`;
  const at = Date.parse(`${date}T${pad(hh)}:${pad(mm)}:${pad(ss)}.${ms}${zone}`);
  if (!Number.isFinite(at)) return bad('');
  return { ok: true, value: { date, iso: new Date(at).toISOString() } };
}

/**
 * A money amount: `12.50`, `1,234.50`, `1.234,50`, `12,50`, with an optional currency sign or code around it.
 * A lone comma followed by three digits (`1,234`) is a thousands separator; by one or two, a decimal comma.
 */
export function parseAmount(raw: string): Parsed<number> {
  const s = raw.trim().replace(/^([A-Z]{3}|[$€£¥₹])\s*|\s*([A-Z]{3}|[$€£¥₹])$/g, '').replace(/[\s\u00a0']/g, '');
  const bad: Parsed<number> = { ok: false, reason: `"${raw}" is not an amount (expected e.g. 12.50 or 12,50)` };
  if (!/^-?[\d.,]+$/.test(s) || !/\d/.test(s)) return bad;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let normalized: string;
  if (lastDot >= 0 && lastComma >= 0) {
    const [dec, thou] = lastDot > lastComma ? ['.', ','] : [',', '.'];
    const [int, frac] = [s.slice(0, s.lastIndexOf(dec)), s.slice(s.lastIndexOf(dec) + 1)];
    if (int.includes(dec) || !new RegExp(`^-?\\d{1,3}(\\${thou}\\d{3})*$`).test(int)) return bad;
    normalized = `${int.split(thou).join('')}.${frac}`;
  } else if (lastComma >= 0) {
    if (/^-?\d{1,3}(,\d{3})+$/.test(s)) normalized = s.replace(/,/g, '');
    else if (/^-?\d+,\d{1,2}$/.test(s)) normalized = s.replace(',', '.');
    else return bad;
  } else {
    if (/^-?\d{1,3}(\.\d{3}){2,}$/.test(s)) normalized = s.replace(/\./g, ''); // 1.234.567
    else if (/^-?\d*\.?\d+$/.test(s)) normalized = s;
    else return bad;
  }
  const n = Number(normalized);
  return Number.isFinite(n) ? { ok: true, value: Math.round(n * 100) / 100 } : bad;
}

/** A positive whole quantity; empty means 1. */
export function parseQuantity(raw: string): Parsed<number> {
  const s = raw.trim();
  if (!s) return { ok: true, value: 1 };
  return /^\d+$/.test(s) && +s > 0 ? { ok: true, value: +s } : { ok: false, reason: `quantity "${raw}" is not a positive whole number` };
}

/** An ISO 4217 code (three letters), upper-cased. */
export function parseCurrency(raw: string): Parsed<string> {
  const s = raw.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(s) ? { ok: true, value: s } : { ok: false, reason: `currency "${raw}" is not a three-letter code like EUR` };
}
