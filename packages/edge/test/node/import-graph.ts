// The import graph of a source tree, read with TypeScript's own pre-parser (`ts.preProcessFile`): every
// import, `import type`, `export … from` and `import()` counts, so a type-only circle is a circle too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface Edge {
  /** Importing file, relative to the root, with `/` separators. */
  from: string;
  /** Imported file, resolved (relative to the root, or `../…` when outside it). */
  to: string;
  /** The specifier as written. */
  spec: string;
}

const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const isSource = (name: string) => SOURCE.test(name) && !/\.d\.ts$/.test(name);

/** Every source file under `root`, tests left out unless asked for. */
export function sourceFiles(root: string, withTests = false): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'dist') walk(path);
      } else if (isSource(name) && (withTests || !/\.test\.tsx?$/.test(name))) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

const posix = (p: string) => p.split(sep).join('/');

/** Relative specifiers resolved to files: `./x.js` is `./x.ts` on disk (TypeScript's NodeNext spelling). */
export function resolveSpecifier(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The relative imports of the files under `root` (package imports are not edges of this graph). */
export function importEdges(root: string, files = sourceFiles(root)): Edge[] {
  const edges: Edge[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of importedFiles) {
      if (!spec.startsWith('.')) continue;
      const target = resolveSpecifier(file, spec) ?? resolve(dirname(file), spec);
      edges.push({ from: posix(relative(root, file)), to: posix(relative(root, target)), spec });
    }
  }
  return edges;
}

/** Strongly connected components with more than one member (or a file importing itself): each is a circle. */
export function circles(edges: readonly { from: string; to: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    if (!next.has(to)) next.set(to, []);
    next.get(from)!.push(to);
  }
  // Tarjan's algorithm, iterative so a deep chain cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length) {
      const frame = work[work.length - 1]!;
      const [node, i] = frame;
      if (i === 0) {
        index.set(node, counter);
        low.set(node, counter++);
        stack.push(node);
        onStack.add(node);
      }
      const targets = next.get(node)!;
      if (i < targets.length) {
        frame[1]++;
        const t = targets[i]!;
        if (!index.has(t)) work.push([t, 0]);
        else if (onStack.has(t)) low.set(node, Math.min(low.get(node)!, index.get(t)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]![0];
        low.set(parent, Math.min(low.get(parent)!, low.get(node)!));
      }
      if (low.get(node) === index.get(node)) {
        const members: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          members.push(m);
        } while (m !== node);
        if (members.length > 1 || targets.includes(node)) found.push(members.sort());
      }
    }
  }
  return found;
}
