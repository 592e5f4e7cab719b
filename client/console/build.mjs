// Bundles the console into one directory: app.js (esbuild: src/main.jsx with Preact's JSX
// runtime and the message catalogues as JSON imports), index.html copied as it is, and
// app.css = the source app.css followed by any CSS the pages import (`import './x.css'`,
// which esbuild bundles next to app.js). Usage: node build.mjs OUTDIR. Writes nothing into
// the source tree.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || 'dist');
mkdirSync(out, { recursive: true });
const bundledCss = join(out, 'app.css');
rmSync(bundledCss, { force: true });

await build({
  entryPoints: [join(here, 'src/main.jsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
  absWorkingDir: here,
});
const pageCss = existsSync(bundledCss) ? readFileSync(bundledCss, 'utf8') : '';
writeFileSync(bundledCss, readFileSync(join(here, 'app.css'), 'utf8') +
  (pageCss ? '\n/* CSS imported by the pages */\n' + pageCss : ''));
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
