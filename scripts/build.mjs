// Builds the widget (a small IIFE loader + its app chunk, an ES module) and the agent panel (ES module) into dist/,
// prints their sizes and enforces the widget's budgets (gzip): the loader, on every page's critical path, ≤ 6 kB; the
// app chunk (the chat, Lit included), loaded on first interaction or idle time, ≤ 35 kB. The build fails above either.
// Then: versioned copies for SRI, and brotli + gzip copies of every script the hub serves (it picks one by Accept-Encoding).
// Last, the hub itself: dist/hub.js, what `npm start` and the Docker image run.
import { build as esbuild } from 'esbuild';
import { build } from 'vite';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const LOADER_BUDGET_GZIP = 6 * 1024;
// 35 kB until session 6; attachments, uploads and voice notes (#17) took the chat to ≈ 35 kB: 40 kB leaves room.
const APP_BUDGET_GZIP = 40 * 1024;

const sha = (algorithm, bytes) => createHash(algorithm).update(bytes);
const gzip = (bytes) => gzipSync(bytes, { level: 9 });
const brotli = (bytes) =>
  brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });

async function viteBuild(target) {
  process.env.SB_TARGET = target;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

rmSync('dist', { recursive: true, force: true });

// 1. The app chunk, named by its content (`widget-app.<hash>.js`, served as immutable) and with its source map renamed to match.
await viteBuild('widget-app');
const built = readFileSync('dist/widget-app.js', 'utf8');
const appHash = sha('sha256', built).digest('hex').slice(0, 12);
const appFile = `widget-app.${appHash}.js`;
const appBytes = Buffer.from(built.replace(/\/\/# sourceMappingURL=widget-app\.js\.map\s*$/, `//# sourceMappingURL=${appFile}.map\n`));
writeFileSync(`dist/${appFile}`, appBytes);
rmSync('dist/widget-app.js');
const map = JSON.parse(readFileSync('dist/widget-app.js.map', 'utf8'));
writeFileSync(`dist/${appFile}.map`, JSON.stringify({ ...map, file: appFile }));
rmSync('dist/widget-app.js.map');

// 2. The loader, with the app chunk's name and integrity hash baked in: a page that pins widget.<hash>.js with SRI
// keeps an integrity chain down to the chat. 3. The panel.
process.env.SB_APP = JSON.stringify({ file: appFile, integrity: `sha384-${sha('sha384', appBytes).digest('base64')}` });
await viteBuild('widget');
await viteBuild('panel');

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const rows = ['widget.js', appFile, 'agent-panel.js'].map((file) => {
  const bytes = readFileSync(`dist/${file}`);
  return { file, raw: bytes.length, gzip: gzip(bytes).length, brotli: brotli(bytes).length };
});
for (const r of rows) console.log(`${r.file.padEnd(28)} ${kb(r.raw).padStart(9)} raw  ${kb(r.gzip).padStart(8)} gzip  ${kb(r.brotli).padStart(8)} brotli`);

const [loader, app] = rows;
const over = [
  [loader, LOADER_BUDGET_GZIP, 'the loader'],
  [app, APP_BUDGET_GZIP, 'the app chunk'],
].filter(([row, budget]) => row.gzip > budget);
for (const [row, budget, what] of over) console.error(`${row.file} (${what}) is ${kb(row.gzip)} gzip, over its ${kb(budget)} budget`);
if (over.length > 0) process.exit(1);

// Versioned copies for Subresource Integrity: a page that pins `widget.<hash>.js` with its integrity hash keeps
// working across upgrades (that file never changes; the hub serves it as immutable). dist/versions.json names them.
const versions = {};
const served = ['widget.js', appFile, 'agent-panel.js'];
for (const [key, file] of [
  ['widget', 'widget.js'],
  ['agentPanel', 'agent-panel.js'],
]) {
  const bytes = readFileSync(`dist/${file}`);
  const versioned = file.replace(/\.js$/, `.${sha('sha256', bytes).digest('hex').slice(0, 12)}.js`);
  writeFileSync(`dist/${versioned}`, bytes);
  served.push(versioned);
  versions[key] = { file: versioned, integrity: `sha384-${sha('sha384', bytes).digest('base64')}` };
}
writeFileSync('dist/versions.json', `${JSON.stringify(versions, null, 2)}\n`);

// The demo pages' stylesheet too, which both pages load (uncompressed, Lighthouse's text-compression audit failed once
// it passed 2 kB); the hub serves this copy when built, else the one in demo/.
copyFileSync('demo/demo.css', 'dist/demo.css');
served.push('demo.css');

// Precompressed copies, made once here rather than on every request: server/plugins/assets.ts serves file.js.br or
// file.js.gz by the request's Accept-Encoding (@fastify/static's preCompressed), with Vary: Accept-Encoding.
for (const file of served) {
  const bytes = readFileSync(`dist/${file}`);
  writeFileSync(`dist/${file}.br`, brotli(bytes));
  writeFileSync(`dist/${file}.gz`, gzip(bytes));
}
await import('./build-packages.mjs');

// The hub as one ES module (its packages stay in node_modules, as they are installed), run with plain node. Through
// tsx, which transpiles every module as it loads, a hub started with 3.3 s of CPU and held 186 MB at rest; bundled,
// 1.5 s and 135 MB. The source map goes beside it, for `node --enable-source-maps dist/hub.js`.
await esbuild({
  entryPoints: ['server/main.ts'],
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  outfile: 'dist/hub.js',
  logLevel: 'warning',
});
