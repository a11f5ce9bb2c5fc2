import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { formatProblem, parseFeed } from './feed.js';

const HEADER = 'id,name,url,image,price,currency,categories,tags,attributes.skinType,inStock,launchedAt';
const row = (over: Partial<Record<string, string>> = {}) => {
  const r = { id: 'ser-1', name: 'Dew Serum', url: '/p/ser-1', image: '/img/1.svg', price: '24.5', currency: 'EUR', categories: 'serums', tags: 'hydrating|dry-skin', skin: 'dry|normal', inStock: 'yes', launchedAt: '2025-03-01', ...over };
  return [r.id, r.name, r.url, r.image, r.price, r.currency, r.categories, r.tags, r.skin, r.inStock, r.launchedAt].join(',');
};
const problems = (text: string, format: 'csv' | 'json' = 'csv') => {
  const r = parseFeed(text, format);
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('CSV parsing', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, and knows the line each row starts on', () => {
    const r = parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\nlast,1');
    expect(r).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['x, y', 'say "hi"'] },
        { line: 3, cells: ['two\nlines', 'z'] },
        { line: 6, cells: ['last', '1'] },
      ],
    });
  });

  it('refuses an unclosed quote and text after a closing quote, with the line', () => {
    expect(parseCsv('a,b\n"open,1\n')).toMatchObject({ ok: false, line: 2, message: expect.stringContaining('never closed') });
    expect(parseCsv('a,b\n"x"y,1\n')).toMatchObject({ ok: false, line: 2, message: expect.stringContaining('after a closing quote') });
  });
});

describe('product feeds', () => {
  it('turns a CSV feed into products: lists split on "|", yes/no booleans, attributes from their columns', () => {
    const r = parseFeed(`${HEADER}\n${row()}\n`, 'csv');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.catalog.products[0]).toEqual({
      id: 'ser-1',
      name: 'Dew Serum',
      url: '/p/ser-1',
      image: '/img/1.svg',
      price: 24.5,
      currency: 'EUR',
      categories: ['serums'],
      tags: ['hydrating', 'dry-skin'],
      attributes: { skinType: ['dry', 'normal'] },
      inStock: true,
      launchedAt: '2025-03-01',
    });
  });

  it('names the spreadsheet row and the field of every problem', () => {
    const text = [HEADER, row(), row({ id: 'ser-2', price: '"12,5"' }), row({ id: 'ser-3', currency: 'euro', inStock: 'maybe' }), row({ id: 'ser-1' })].join('\n');
    expect(problems(text)).toEqual([
      'row 3, price: "12,5" is not a number (use "." for decimals)',
      'row 4, inStock: "maybe" is not true or false (also accepted: yes/no, 1/0)',
      'row 4, currency: "euro" is a 3-letter ISO 4217 code such as EUR',
      'row 5, id: duplicate id "ser-1" (also row 2)',
    ]);
  });

  it('reports a missing required cell and a misspelt column with a hint', () => {
    expect(problems(`${HEADER}\n${row({ name: '' })}`)).toEqual(['row 2, name: is missing (expected string)']);
    expect(problems(HEADER.replace('price', 'prcie'))).toEqual(expect.arrayContaining([expect.stringMatching(/^row 1, prcie: unknown column — did you mean "price"\?/), 'row 1, price: missing column']));
  });

  it('accepts JSON feeds (object or bare array) and names products[i] and the field', () => {
    const good = { id: 'a', name: 'A', url: '/a', price: 10, currency: 'EUR', categories: ['toners'] };
    expect(parseFeed(JSON.stringify([good]), 'json').ok).toBe(true);
    expect(problems(JSON.stringify({ products: [good, { ...good, id: 'b', price: '12' }, { ...good, id: 'c', colour: 'red' }] }), 'json')).toEqual([
      'products[1], price: "12" is not a number',
      'products[2]: unknown field "colour"',
    ]);
    expect(problems('{"products": [', 'json')[0]).toMatch(/^\(the whole file\): not valid JSON/);
  });
});
