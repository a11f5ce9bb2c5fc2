// Builds the dashboard into <site>/admin/: index.html, app.js (Preact + uPlot, minified) and app.css.
// Called by scripts/build.mjs. Its own step because it needs JSX and a CSS bundle, which the tracker and
// widget bundles do not.
import { build } from 'esbuild';
import { minify } from 'terser';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const site = fileURLToPath(new URL('../../dist/site', import.meta.url));

/**
 * What the dashboard ships and its brotli budgets (`npm run size` prints them; src/bundle-size.test.ts fails past
 * them). Every admin page load downloads them; the studio's forms are drawn from the config's schema by ~9 KB of
 * own code, so the budget holds no form library. uPlot is 52 KB of the 117 KB minified script.
 */
export const dashboardBundles = [
  { out: `${site}/admin/app.js`, budgetBrotli: 40960 },
  { out: `${site}/admin/app.css`, budgetBrotli: 2560 },
];

// No token, no data: the page is a shell; everything it shows comes from the reports API after sign-in.
const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Attune dashboard</title>
<link rel="stylesheet" href="/admin/app.css">
<script src="/admin/app.js" defer></script>
</head>
<body>
<div id="app"><noscript>The dashboard needs JavaScript.</noscript></div>
</body>
</html>
`;

export async function buildDashboard(site) {
  const out = await build({
    entryPoints: [`${dir}src/main.tsx`],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: `${dir}dist`,
    entryNames: 'app',
    minifyWhitespace: true, // the CSS; terser minifies the JS below
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = out.outputFiles.find((f) => f.path.endsWith('.css'));
  const { code } = await minify(js.text, { ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  await mkdir(`${site}/admin`, { recursive: true });
  await Promise.all([writeFile(`${site}/admin/app.js`, code), writeFile(`${site}/admin/app.css`, css.text), writeFile(`${site}/admin/index.html`, HTML)]);
}
