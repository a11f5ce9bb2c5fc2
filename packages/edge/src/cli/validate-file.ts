// `attune validate <file>`: every problem of a config file, with its JSON path, what was found and what
// was expected. Also used by the build, which refuses a broken config.
import { readFile } from 'node:fs/promises';
import { compileConfig } from '../config/compile.js';
import type { ConfigProblem } from '../config/problems.js';
import { parseJson } from '../config/parse-json.js';
import { validateConfig, type ValidateOptions, type ValidationResult } from '../config/validate.js';

export type FileResult = ValidationResult | { ok: false; errors: ConfigProblem[]; warnings: [] };

/** `options.allowLocalWebhooks`: `--dev`, for a local run whose receivers listen on this machine. */
export async function validateFile(file: string, options: ValidateOptions = {}): Promise<FileResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, errors: [{ path: file, message: `cannot read the file: ${(e as Error).message}`, severity: 'error' }], warnings: [] };
  }
  const json = parseJson(text);
  return json.ok ? validateConfig(json.value, options) : { ok: false, errors: [json.problem], warnings: [] };
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

export function formatResult(file: string, r: FileResult): string {
  const lines: string[] = [];
  const block = (p: ConfigProblem) => {
    lines.push('', `  ${p.severity === 'error' ? 'error  ' : 'warning'} ${p.path}`, `          ${p.message}`);
    if (p.found !== undefined) lines.push(`          found:    ${p.found}`);
    if (p.expected !== undefined) lines.push(`          expected: ${p.expected}`);
  };
  if (r.ok) {
    const c = r.config;
    lines.push(
      `✓ ${file} is valid: ${plural(c.segments.length, 'segment')}, ${plural(c.slots.length, 'slot')}, ${plural(c.experiments.length, 'experiment')}, ${plural(c.quizzes.length, 'quiz', 'quizzes')} (version ${compileConfig(c).version})`,
    );
  } else lines.push(`✗ ${file}: ${plural(r.errors.length, 'error')}${r.warnings.length ? `, ${plural(r.warnings.length, 'warning')}` : ''}`);
  if (!r.ok) r.errors.forEach(block);
  r.warnings.forEach(block);
  return lines.join('\n');
}
