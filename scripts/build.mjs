// Builds the widget (IIFE) and the agent panel (ES module) into dist/ and prints their sizes.
// The widget's budget (loader + element, Lit included) is 35 kB gzip; the build fails above it.
import { build } from 'vite';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';

const WIDGET_BUDGET_GZIP = 35 * 1024;

rmSync('dist', { recursive: true, force: true });
for (const target of ['widget', 'panel']) {
  process.env.SB_TARGET = target;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const rows = ['widget.js', 'agent-panel.js'].map((file) => {
  const bytes = readFileSync(`dist/${file}`);
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
});
for (const r of rows) console.log(`${r.file.padEnd(16)} ${kb(r.raw).padStart(9)} raw  ${kb(r.gzip).padStart(8)} gzip  ${kb(r.brotli).padStart(8)} brotli`);

const widget = rows[0];
if (widget.gzip > WIDGET_BUDGET_GZIP) {
  console.error(`widget.js is ${kb(widget.gzip)} gzip, over its ${kb(WIDGET_BUDGET_GZIP)} budget`);
  process.exit(1);
}

// Versioned copies for Subresource Integrity: a page that pins `widget.<hash>.js` with its integrity hash keeps
// working across upgrades (that file never changes; the hub serves it as immutable). dist/versions.json names them.
const versions = {};
for (const [key, file] of [
  ['widget', 'widget.js'],
  ['agentPanel', 'agent-panel.js'],
]) {
  const bytes = readFileSync(`dist/${file}`);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const versioned = file.replace(/\.js$/, `.${hash}.js`);
  writeFileSync(`dist/${versioned}`, bytes);
  versions[key] = { file: versioned, integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}` };
}
writeFileSync('dist/versions.json', `${JSON.stringify(versions, null, 2)}\n`);
await import('./build-packages.mjs');
