/** The built widget and panel scripts, the demo pages, and the short redirects to them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifySensible from '@fastify/sensible';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { projectRoot } from '../paths.js';

const dist = join(projectRoot, 'dist');
const YEAR_MS = 365 * 86_400_000;

/**
 * A build's content-addressed files (scripts/build.mjs), safe to cache for ever: the pinned copies `widget.<hash>.js`
 * and `agent-panel.<hash>.js`, and the widget's app chunk `widget-app.<hash>.js` (with its source map).
 */
const VERSIONED = /^(widget|widget-app|agent-panel)\.[0-9a-f]{12}\.js(\.map)?$/;

/**
 * dist/ through its own @fastify/static instance (its own `reply.sendFile`) with `preCompressed`: for `widget.js` it
 * sends the build's `widget.js.br` or `widget.js.gz` by the request's Accept-Encoding (brotli first), with
 * `Content-Encoding` and the script's `Content-Type`; the hook below adds `Vary: Accept-Encoding` (on the uncompressed
 * fallback too).
 */
const distFiles: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: dist, serve: false, preCompressed: true });
  // @fastify/static 9 (the line that supports Node 20) does not name Accept-Encoding in Vary; caches need it.
  // `reply.vary` (@fastify/sensible, in this plugin's scope) adds it to what is there, once.
  await app.register(fastifySensible);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.vary('Accept-Encoding');
    return payload;
  });
  for (const file of ['widget.js', 'widget.js.map', 'agent-panel.js', 'agent-panel.js.map']) {
    // Short cache + ETag: the loader URL never changes, so sites pick up new versions within minutes.
    app.get(`/${file}`, (_request, reply) => reply.sendFile(file, { maxAge: 300_000, immutable: false }));
  }
  // Pinned versions for Subresource Integrity (README: "Pinning a version") and the app chunk the loader names.
  // Only files of the running build exist.
  let built: string[] = [];
  try {
    built = readdirSync(dist).filter((file) => VERSIONED.test(file));
  } catch {
    // Not built (server tests): nothing to pin.
  }
  for (const file of built) app.get(`/${file}`, (_request, reply) => reply.sendFile(file, { maxAge: YEAR_MS, immutable: true }));
  app.get('/versions.json', (_request, reply) => reply.sendFile('versions.json', { maxAge: 60_000 }));
  // The demo pages' stylesheet, compressed (the build copies it from demo/, which serves it when not built). Revalidated
  // by its ETag on each load, as demo/'s files are: a short max-age fails Lighthouse's cache-lifetime audit.
  if (built.length > 0) app.get('/demo/demo.css', (_request, reply) => reply.sendFile('demo.css', { maxAge: 0 }));
};

interface Versions {
  widget: { file: string; integrity: string };
  agentPanel: { file: string; integrity: string };
}

/** The running build's pinned files (scripts/build.mjs writes versions.json); null when not built. */
function builtVersions(): Versions | null {
  try {
    return JSON.parse(readFileSync(join(dist, 'versions.json'), 'utf8')) as Versions;
  } catch {
    return null;
  }
}

/**
 * A demo page that loads the build's pinned scripts, as a site that pins a version does (README: "Pinning a version"):
 * content-addressed, cached for a year, checked by their integrity. The files in demo/ name the rolling URLs (cached 5
 * minutes), which work without a build; without one they are served as they are.
 */
function pinnedPage(file: string, versions: Versions | null): string {
  const html = readFileSync(join(projectRoot, 'demo', file), 'utf8');
  if (!versions) return html;
  const pinned = ({ file: name, integrity }: Versions['widget']) => `src="/${name}" integrity="${integrity}" crossorigin="anonymous"`;
  return html.replace('src="/widget.js"', pinned(versions.widget)).replace('src="/agent-panel.js"', pinned(versions.agentPanel));
}

export const assets: FastifyPluginAsync = async (app) => {
  // Read once: a hub serves the build it started with (like its pinned files, above).
  const versions = builtVersions();
  for (const file of ['shop.html', 'crm.html']) {
    const html = pinnedPage(file, versions);
    app.get(`/demo/${file}`, (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
  }
  await app.register(async (demo) => demo.register(fastifyStatic, { root: join(projectRoot, 'demo'), prefix: '/demo/' }));
  await app.register(distFiles);
  app.get('/', (_request, reply) => reply.redirect('/demo/shop.html'));
  app.get('/crm', (_request, reply) => reply.redirect('/demo/crm.html'));
};
