// `attune catalog import <file> [--out <file>] [--to <url> [--site <id>] [--token <token>]]`
// Validates a JSON or CSV product feed, listing every problem by row and field; then, optionally, writes it
// as the normalized JSON the Worker bundles (--out, e.g. demo-site/catalog/products.json) and/or loads it
// into a running Worker without a deploy (--to http://localhost:8787: PUT /v1/catalog, admin token from
// --token or ATTUNE_ADMIN_TOKEN, `dev-admin` for the local stack).
import { readFile, writeFile } from 'node:fs/promises';
import { formatOf, formatProblem, parseFeed } from '../catalog/feed.js';

const SHOWN = 50;
type Out = (s: string) => void;

export const CATALOG_HELP = '  catalog import <file>      check a JSON or CSV product feed (problems by row and field); --out <file> writes it as JSON, --to <url> [--site id] [--token t] loads it into a running Worker';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function catalogCommand(args: string[], out: Out, err: Out, fetchImpl: typeof fetch = fetch): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'import' || !file || file.startsWith('--'))
    return err('attune catalog: usage: attune catalog import <feed.json|feed.csv> [--out <file>] [--to <url> [--site <id>] [--token <token>]]'), 2;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return err(`✗ ${file}: cannot read the file: ${(e as Error).message}`), 1;
  }
  const r = parseFeed(text, formatOf(file, text));
  if (!r.ok) {
    const lines = r.problems.slice(0, SHOWN).map((p) => `  ${formatProblem(p)}`);
    if (r.problems.length > SHOWN) lines.push(`  … and ${r.problems.length - SHOWN} more`);
    return err(`✗ ${file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}; nothing was loaded\n${lines.join('\n')}`), 1;
  }
  const products = r.catalog.products;
  const categories = new Set(products.flatMap((p) => p.categories));
  out(`✓ ${file}: ${products.length} products in ${categories.size} categories, ${products.filter((p) => !p.inStock).length} out of stock`);
  const json = `${JSON.stringify(r.catalog, null, 1)}\n`;

  const target = option(args, '--out');
  if (target) {
    await writeFile(target, json);
    out(`  wrote ${target}`);
  }
  const to = option(args, '--to');
  if (to) {
    const site = option(args, '--site');
    const token = option(args, '--token') ?? process.env.ATTUNE_ADMIN_TOKEN ?? 'dev-admin';
    const url = `${to.replace(/\/+$/, '')}/v1/catalog${site ? `?site=${encodeURIComponent(site)}` : ''}`;
    let res: Response;
    try {
      res = await fetchImpl(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: json });
    } catch (e) {
      return err(`✗ cannot reach ${url}: ${(e as Error).message} (is the Worker running? npm start)`), 1;
    }
    const body = (await res.json().catch(() => ({}))) as { version?: string; site?: string; error?: string };
    if (!res.ok) return err(`✗ ${url} answered ${res.status}: ${body.error ?? res.statusText}`), 1;
    out(`  loaded into ${to} for site "${body.site}" (version ${body.version}); it serves now, no deploy needed`);
  }
  if (!target && !to) out('  (checked only: add --out <file> to write it for the bundle, or --to <url> to load it into a running Worker)');
  return 0;
}
