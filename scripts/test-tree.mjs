// The tree `npm run test:server` runs: the repository with its TypeScript transpiled to JavaScript ahead of time, in
// .test-build/. Loading the hub's modules through tsx cost each test process about 1.8 s of CPU more than plain
// JavaScript (3.3 s against 1.5 s, mostly tsx's module hooks), and the server suites start about 150 processes: on CI's
// two cores that was a fifth of the run. esbuild transpiles every file in about a second, file by file as tsx does
// (same tsconfig: decorators, class fields), without bundling, so the imports (which already name `.js` files) resolve
// as they do under tsx, and the types are still checked by `npm run typecheck`.
//
// The tree mirrors the repository so that paths the code finds from `import.meta.url` (dist/, demo/, docs/, README.md,
// package.json, test fixtures) are where they are in the repository: the source directories are rebuilt (.ts becomes
// .js, other files are copied), everything else at the top level is a symlink to the real thing. Each .js file links
// its source map, which node reads only when asked:
// `--enable-source-maps` cost each process another 0.6 s of CPU, so a failure's stack names the .js file in
// .test-build/ (readable: esbuild keeps the code as written, less its types); NODE_OPTIONS=--enable-source-maps
// maps it to the .ts line.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

/** Directories of TypeScript that tests import, directly or through each other. */
const SOURCES = new Set(['server', 'protocol', 'test', 'widget', 'agent-panel']);
/** Not mirrored: git's data, scratch files, the tree itself. */
const SKIPPED = new Set(['.git', 'tmp', '.test-build']);

/**
 * Every file under `dir`.
 * @param {string} dir
 * @returns {string[]}
 */
export function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Rebuilds `out` (default `.test-build`) from the repository at `root` and returns its path.
 * @param {string} root
 * @param {string} [out]
 */
export async function buildTestTree(root, out = join(root, '.test-build')) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const typescript = [];
  for (const entry of readdirSync(root)) {
    if (SKIPPED.has(entry)) continue;
    if (!(SOURCES.has(entry) && statSync(join(root, entry)).isDirectory())) {
      symlinkSync(join(root, entry), join(out, entry));
      continue;
    }
    for (const file of filesUnder(join(root, entry))) {
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) typescript.push(file);
      else {
        const target = join(out, relative(root, file));
        mkdirSync(join(target, '..'), { recursive: true });
        copyFileSync(file, target);
      }
    }
  }
  await build({
    entryPoints: typescript,
    outdir: out,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  return out;
}
