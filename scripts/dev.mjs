// `npm run dev`: the hub restarting on change (tsx watch) behind Vite's dev server, which serves
// demo/ with the widget and panel straight from their TypeScript sources (hot reload).
// Open the Vite URL it prints; API and socket traffic are proxied to the hub.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const hubPort = Number(process.env.PORT ?? 3000);
const hubUrl = `http://127.0.0.1:${hubPort}`;

const hub = spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { DEMO_DATA: '1', ...process.env, PORT: String(hubPort) },
});

// The demo pages load the built bundles (/widget.js, /agent-panel.js); in dev they come from source.
const sources = { '/widget.js': '/widget/loader.ts', '/agent-panel.js': '/agent-panel/index.ts' };
const fromSource = {
  name: 'switchboard-dev-sources',
  transformIndexHtml(html) {
    // Vite serves TypeScript as ES modules, so the classic widget tag becomes a module tag in dev.
    return html
      .replace('<script src="/widget.js"', `<script type="module" src="/@fs${root}widget/loader.ts"`)
      .replace('src="/agent-panel.js"', `src="/@fs${root}agent-panel/index.ts"`);
  },
};

const server = await createServer({
  configFile: false,
  root: `${root}demo`,
  plugins: [fromSource],
  server: {
    port: 5173,
    fs: { allow: [root] },
    proxy: {
      '/api': hubUrl,
      '/health': hubUrl,
      '/socket.io': { target: hubUrl, ws: true },
    },
  },
  // The loader adds the chat as a module script: in dev, its source (no integrity hash: it changes on every edit).
  define: { __SB_APP__: JSON.stringify({ file: `/@fs${root}widget/app.ts`, integrity: '' }) },
  esbuild: { tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } },
});
await server.listen();
console.log(
  `\nDemo shop:  http://localhost:5173/shop.html\nDemo CRM:   http://localhost:5173/crm.html\n(${Object.keys(sources).join(', ')} served from source; hub on ${hubUrl})`,
);

const stop = async () => {
  hub.kill('SIGTERM');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
