/**
 * Two library builds from one config, chosen by SB_TARGET (scripts/build.mjs runs both):
 * - widget: one self-contained IIFE (Lit bundled) that mounts itself from its <script> tag;
 * - panel: one ES module defining <switchboard-agent-panel>.
 * `npm run dev` serves demo/ with these sources through Vite's dev server instead.
 */
import { defineConfig } from 'vite';

const target = process.env.SB_TARGET ?? 'widget';

const entries = {
  widget: { entry: 'widget/loader.ts', name: 'SwitchboardWebchat', formats: ['iife'] as const, fileName: () => 'widget.js' },
  panel: { entry: 'agent-panel/index.ts', name: 'SwitchboardAgentPanel', formats: ['es'] as const, fileName: () => 'agent-panel.js' },
};

const lib = entries[target as keyof typeof entries];
if (!lib) throw new Error(`SB_TARGET must be one of ${Object.keys(entries).join(', ')}`);

export default defineConfig({
  root: 'demo',
  build: {
    outDir: '../dist',
    emptyOutDir: false,
    minify: true,
    target: 'es2021',
    sourcemap: true,
    reportCompressedSize: false,
    lib: { ...lib, formats: [...lib.formats], entry: new URL(lib.entry, import.meta.url).pathname },
  },
});
