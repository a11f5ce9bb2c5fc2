// `attune config pull|push --to <url>`: the live config round-trips with a JSON file in a repository. Pull writes
// the file and the version it got beside it (`<file>.version`); push sends the file with If-Match: that version,
// so it is refused (exit 1) when someone published since the pull, instead of overwriting their work.
import { readFile, writeFile } from 'node:fs/promises';
import { parseJson } from '../config/parse-json.js';
import { currentConfigSchema, publishConflictSchema, publishedSchema, publishRefusedSchema } from '../contract/studio.js';
import { formatResult } from './validate-file.js';

type Out = (s: string) => void;

export const CONFIG_HELP = `  config pull --to <url> [--out <file>]
                             write the live config to <file> (default attune.config.json) and the version
                             it is to <file>.version
  config push --to <url> [<file>] [--comment <text>]
                             publish <file> as a new version; refused when the live version moved since the pull
      --token <t>   the admin token (else ATTUNE_ADMIN_TOKEN; dev-admin on the local stack)`;

const USAGE = 'usage: attune config pull --to <url> [--out <file>] [--token <t>] | attune config push --to <url> [<file>] [--comment <text>] [--token <t>]';
const DEFAULT_FILE = 'attune.config.json';

export interface SyncOptions {
  action: 'pull' | 'push';
  to: string;
  file: string;
  token: string;
  comment?: string | undefined;
}

/** Where pull records the version a file is: beside it, so it travels with the file in the repository. */
export const versionFileOf = (file: string) => `${file}.version`;

/** Parses `pull|push …`; a string is a usage error. Pure but for the token's environment fallback. */
export function parseSyncArgs(args: string[], environment: Record<string, string | undefined> = process.env): SyncOptions | string {
  const [action, ...rest] = args;
  if (action !== 'pull' && action !== 'push') return `pull or push? attune config pull|push …\n${USAGE}`;
  const flags = new Set(['--to', '--token', ...(action === 'pull' ? ['--out'] : ['--comment'])]);
  const v: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) {
      files.push(a);
      continue;
    }
    if (!flags.has(a)) return `unknown option ${JSON.stringify(a)} for config ${action}\n${USAGE}`;
    const value = rest[++i];
    if (value === undefined || value.startsWith('--')) return `${a} needs a value\n${USAGE}`;
    v[a] = value;
  }
  if (action === 'pull' && files.length) return `config pull writes --out <file>, it takes no file argument (got ${files[0]})\n${USAGE}`;
  if (files.length > 1) return `config push takes one file (got ${files.join(', ')})\n${USAGE}`;
  if (!v['--to']) return `--to is required\n${USAGE}`;
  if (!/^https?:\/\/[^/]/.test(v['--to'])) return `--to ${v['--to']}: expected the Worker's URL, e.g. http://localhost:8787`;
  return {
    action,
    to: v['--to'].replace(/\/+$/, ''),
    file: (action === 'pull' ? v['--out'] : files[0]) ?? DEFAULT_FILE,
    token: v['--token'] || environment.ATTUNE_ADMIN_TOKEN || 'dev-admin',
    comment: v['--comment'],
  };
}

/** What the server said, for a failure the user must act on. */
async function errorOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  const hint = res.status === 401 || res.status === 403 ? ' (the admin token: --token or ATTUNE_ADMIN_TOKEN)' : '';
  return `${res.status}: ${body.error ?? res.statusText}${hint}`;
}

async function send(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (e) {
    throw new Error(`cannot reach ${url}: ${(e as Error).message} (is the Worker running? npm start)`);
  }
}

async function pull(o: SyncOptions, out: Out, err: Out, fetchImpl: typeof fetch): Promise<number> {
  const url = `${o.to}/v1/config`;
  const res = await send(fetchImpl, url, { headers: { authorization: `Bearer ${o.token}` } });
  if (!res.ok) return err(`attune config pull: GET ${url} answered ${await errorOf(res)}`), 1;
  const live = currentConfigSchema.safeParse(await res.json().catch(() => null));
  if (!live.success) return err(`attune config pull: GET ${url} did not answer a config version (is --to the Worker?)`), 1;
  const { version, publishedBy, publishedAt, config } = live.data;
  await writeFile(o.file, `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(versionFileOf(o.file), `${version}\n`);
  out(`pulled version ${version} (published by ${publishedBy} at ${publishedAt}) into ${o.file}; ${versionFileOf(o.file)} says ${version}`);
  return 0;
}

async function push(o: SyncOptions, out: Out, err: Out, fetchImpl: typeof fetch): Promise<number> {
  let text: string;
  let base: string;
  try {
    text = await readFile(o.file, 'utf8');
  } catch (e) {
    return err(`attune config push: cannot read ${o.file}: ${(e as Error).message}`), 1;
  }
  try {
    base = (await readFile(versionFileOf(o.file), 'utf8')).trim();
  } catch {
    return err(`attune config push: ${versionFileOf(o.file)} is missing: push needs the version ${o.file} was pulled from (attune config pull --to ${o.to} --out ${o.file}, then make your edits again)`), 1;
  }
  if (!/^[1-9]\d*$/.test(base)) return err(`attune config push: ${versionFileOf(o.file)} holds ${JSON.stringify(base.slice(0, 40))}, not a version: pull again`), 1;
  const json = parseJson(text);
  if (!json.ok) return err(formatResult(o.file, { ok: false, errors: [json.problem], warnings: [] })), 1;

  const url = `${o.to}/v1/config`;
  const headers: Record<string, string> = { authorization: `Bearer ${o.token}`, 'content-type': 'application/json', 'if-match': `"${base}"` };
  if (o.comment) headers['attune-comment'] = encodeURIComponent(o.comment);
  const res = await send(fetchImpl, url, { method: 'PUT', headers, body: text });
  const body: unknown = await res.clone().json().catch(() => null);
  if (res.status === 409) {
    const c = publishConflictSchema.safeParse(body);
    const why = c.success ? c.data.error : await errorOf(res);
    err(`attune config push: refused, nothing published: ${why}.\n  Pull the live config into another file (attune config pull --to ${o.to} --out live.json), bring your edits over, then push again.`);
    return 1;
  }
  if (res.status === 400) {
    const r = publishRefusedSchema.safeParse(body);
    if (r.success) return err(`attune config push: refused, nothing published: the config has errors\n${formatResult(o.file, { ok: false, errors: r.data.errors, warnings: [] })}`), 1;
  }
  if (!res.ok) return err(`attune config push: PUT ${url} answered ${await errorOf(res)}`), 1;
  const ok = publishedSchema.safeParse(body);
  if (!ok.success) return err(`attune config push: PUT ${url} did not answer a published version (is --to the Worker?)`), 1;
  await writeFile(versionFileOf(o.file), `${ok.data.version}\n`);
  out(`published ${o.file} as version ${ok.data.version} (was ${base})${ok.data.warnings.length ? `, ${ok.data.warnings.length} warning(s):` : ''}`);
  for (const w of ok.data.warnings) out(`  warning ${w.path}: ${w.message}`);
  return 0;
}

export async function configCommand(args: string[], out: Out, err: Out, deps: { fetch?: typeof fetch; env?: Record<string, string | undefined> } = {}): Promise<number> {
  const o = parseSyncArgs(args, deps.env);
  if (typeof o === 'string') return err(`attune config: ${o}`), 2;
  const fetchImpl = deps.fetch ?? fetch;
  try {
    return await (o.action === 'pull' ? pull : push)(o, out, err, fetchImpl);
  } catch (e) {
    return err(`attune config ${o.action}: ${(e as Error).message}`), 1;
  }
}
