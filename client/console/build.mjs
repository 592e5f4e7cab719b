// Bundles the console into one directory: app.js (esbuild: src/main.jsx with Preact's JSX
// runtime and the message catalogues as JSON imports), index.html and app.css copied as they
// are. Usage: node build.mjs OUTDIR. Writes nothing into the source tree.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || 'dist');
mkdirSync(out, { recursive: true });

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
for (const f of ['index.html', 'app.css']) copyFileSync(join(here, f), join(out, f));
