// Builds the npm packages of the widget and the panel (packages/*): an ES module each, with their dependencies left
// as imports for the site's bundler to resolve and de-duplicate, and TypeScript declarations. `npm run build` runs it
// after the script-tag bundles; `npm pack packages/widget` then makes the tarball.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'vite';

const packages = [
  { dir: 'packages/widget', entry: 'widget/index.ts' },
  { dir: 'packages/agent-panel', entry: 'agent-panel/index.ts' },
];
// What a package lists in its `dependencies`: imported, never bundled.
const external = (id) => /^(lit|socket\.io-client|idb|workbox-window)(\/|$)/.test(id);

for (const { dir, entry } of packages) {
  rmSync(`${dir}/dist`, { recursive: true, force: true });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: `${dir}/dist`,
      emptyOutDir: true,
      target: 'es2021',
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      lib: { entry, formats: ['es'], fileName: () => 'index.js' },
      rollupOptions: { external },
    },
  });
  // Declarations keep the source layout (dist/types/<part>/index.d.ts next to dist/types/protocol/).
  const tsconfig = `${dir}/tsconfig.build.json`;
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, rootDir: '../..', outDir: 'dist/types', types: [] },
      include: [],
      files: [`../../${entry}`],
    }),
  );
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', tsconfig], { stdio: 'inherit' });
  } finally {
    rmSync(tsconfig);
  }
  // The package's `types`, next to its module.
  writeFileSync(`${dir}/dist/index.d.ts`, `export * from './types/${entry.replace(/\.ts$/, '.js')}';\n`);
}
