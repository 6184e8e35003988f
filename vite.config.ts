/**
 * The script-tag builds from one config, chosen by SB_TARGET (scripts/build.mjs runs them in this order):
 * - widget-app: the chat (widget/app.ts: the element with Lit, socket.io-client, idb, workbox-window) as one ES module;
 * - widget: the loader (widget/loader.ts), a small IIFE that mounts itself from its <script> tag and loads the app
 *   chunk named by SB_APP (`{ file, integrity }`, set by the build once the app chunk is hashed);
 * - panel: one ES module defining <switchboard-agent-panel>.
 * `npm run dev` serves demo/ with these sources through Vite's dev server instead.
 */
import { defineConfig } from 'vite';

const target = process.env.SB_TARGET ?? 'widget';

const entries = {
  'widget-app': { entry: 'widget/app.ts', formats: ['es'] as const, fileName: () => 'widget-app.js' },
  widget: { entry: 'widget/loader.ts', name: 'SwitchboardWebchat', formats: ['iife'] as const, fileName: () => 'widget.js' },
  panel: { entry: 'agent-panel/index.ts', name: 'SwitchboardAgentPanel', formats: ['es'] as const, fileName: () => 'agent-panel.js' },
};

const lib = entries[target as keyof typeof entries];
if (!lib) throw new Error(`SB_TARGET must be one of ${Object.keys(entries).join(', ')}`);
if (target === 'widget' && !process.env.SB_APP) throw new Error('The loader needs SB_APP (the app chunk, built first): run `npm run build`');

export default defineConfig({
  root: 'demo',
  define: { __SB_APP__: process.env.SB_APP ?? 'null' },
  build: {
    outDir: '../dist',
    emptyOutDir: false,
    minify: true,
    // The app chunk awaits its evaluation stages at the top level (an ES module, so every browser that runs it can).
    target: target === 'widget-app' ? 'es2022' : 'es2021',
    sourcemap: true,
    reportCompressedSize: false,
    lib: { ...lib, formats: [...lib.formats], entry: new URL(lib.entry, import.meta.url).pathname },
    // Vite leaves the whitespace of an ES-format library in place (for a bundler to tree-shake it later); these are
    // served to browsers as they are, so minify them fully. One file per entry: the app chunk's dynamic imports (its
    // evaluation stages, widget/app.ts) are inlined, so the loader's integrity hash covers all of it.
    rolldownOptions: { output: { minify: true, comments: false, codeSplitting: false } },
  },
});
