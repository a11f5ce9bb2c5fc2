import { describe, expect, it } from 'vitest';
import { CsvReader, detectDelimiter, parseCsv } from './import-csv.js';
import { parseAmount, parseDate } from './import-values.js';

const fields = (text: string | Uint8Array) => parseCsv(text).map((r) => r.fields);

describe('CSV reading', () => {
  it('reads RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes, empty fields', () => {
    const recs = parseCsv('a,b,c\r\n"x, y","say ""hi""",\r\n"two\r\nlines",,"last"\r\n');
    expect(recs.map((r) => r.fields)).toEqual([['a', 'b', 'c'], ['x, y', 'say "hi"', ''], ['two\nlines', '', 'last']]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3]); // a record is numbered by the line it starts on
  });

  it('drops a UTF-8 BOM, accepts LF or CRLF and a missing final newline, skips blank lines but counts them', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('email\n\na@x.io\r\nb@x.io')]);
    const recs = parseCsv(bom);
    expect(recs.map((r) => [r.line, r.fields[0]])).toEqual([[1, 'email'], [3, 'a@x.io'], [4, 'b@x.io']]);
  });

  it('gives the same records however the bytes are split into chunks (a chunk may end mid-character)', () => {
    const bytes = new TextEncoder().encode('name;city\n"Zoë ""Z""";Köln\n"multi\nline";Zürich\n');
    const whole = parseCsv(bytes).map((r) => r.fields);
    for (let size = 1; size <= 7; size++) {
      const r = new CsvReader();
      const got = [];
      for (let i = 0; i < bytes.length; i += size) got.push(...r.push(bytes.subarray(i, i + size)));
      got.push(...r.end());
      expect(got.map((x) => x.fields)).toEqual(whole);
    }
  });

  it('detects the delimiter from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('email;first name;last name')).toBe(';');
    expect(detectDelimiter('email\tphone')).toBe('\t');
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('email')).toBe(',');
    expect(fields('id\tname\n1\tAda\n')).toEqual([['id', 'name'], ['1', 'Ada']]);
  });

  it('marks a record holding bytes that are not UTF-8 with the line, and reads on', () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('name,city\nAda,K'), 0xf6, ...new TextEncoder().encode('ln\nGrace,Paris\n')]);
    const recs = parseCsv(latin1);
    expect(recs[1]).toMatchObject({ line: 2, badEncoding: { line: 2 } });
    expect(recs[2]).toEqual({ line: 3, fields: ['Grace', 'Paris'] });
  });
});

describe('dates and amounts', () => {
  it('reads ISO dates and times, dotted and unambiguous slashed dates; refuses impossible and ambiguous ones', () => {
    expect(parseDate('2026-03-01')).toEqual({ ok: true, value: { date: '2026-03-01', iso: '2026-03-01T00:00:00.000Z' } });
    expect(parseDate('2026-03-01 10:30')).toMatchObject({ value: { iso: '2026-03-01T10:30:00.000Z' } });
    expect(parseDate('2026-03-01T10:30:00+02:00')).toMatchObject({ value: { iso: '2026-03-01T08:30:00.000Z' } });
    expect(parseDate('01.03.2026')).toMatchObject({ value: { date: '2026-03-01' } });
    expect(parseDate('25/12/2026')).toMatchObject({ value: { date: '2026-12-25' } });
    expect(parseDate('03/04/2026', 'mdy')).toMatchObject({ value: { date: '2026-03-04' } });
    expect(parseDate('03/04/2026')).toMatchObject({ ok: false, reason: expect.stringContaining('--date-order') });
    expect(parseDate('2026-02-30')).toMatchObject({ ok: false, reason: '"2026-02-30" is not a date: no such day' });
    expect(parseDate('yesterday').ok).toBe(false);
  });

  it('reads amounts with decimal points or commas and thousands separators; refuses what it would have to guess', () => {
    expect(['12.50', '12,50', '1,234.50', '1.234,50', '€ 9.99', '19.90 EUR', '1,234', '-5'].map((a) => (parseAmount(a) as { value: number }).value)).toEqual([
      12.5, 12.5, 1234.5, 1234.5, 9.99, 19.9, 1234, -5,
    ]);
    for (const bad of ['n/a', '12,3,4', '1.2.3', '', '12.50.1']) expect(parseAmount(bad).ok).toBe(false);
  });
});
