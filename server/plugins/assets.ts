/** The built widget and panel scripts, the demo pages, and the short redirects to them. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = `${root}dist`;
const YEAR_MS = 365 * 86_400_000;

/** `widget.3f2a1b9c0d4e.js`: a build's content-addressed copy (scripts/build.mjs), safe to cache for ever. */
const VERSIONED = /^(widget|agent-panel)\.[0-9a-f]{12}\.js$/;

export const assets: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: `${root}demo`, prefix: '/demo/' });
  for (const file of ['widget.js', 'widget.js.map', 'agent-panel.js', 'agent-panel.js.map']) {
    // Short cache + ETag: the loader URL never changes, so sites pick up new versions within minutes.
    app.get(`/${file}`, (_request, reply) => reply.sendFile(file, dist, { maxAge: 300_000, immutable: false }));
  }
  // Pinned versions for Subresource Integrity (README: "Pinning a version"). Only files of the running build exist.
  let built: string[] = [];
  try {
    built = readdirSync(dist).filter((file) => VERSIONED.test(file));
  } catch {
    // Not built (server tests): nothing to pin.
  }
  for (const file of built) app.get(`/${file}`, (_request, reply) => reply.sendFile(file, dist, { maxAge: YEAR_MS, immutable: true }));
  app.get('/versions.json', (_request, reply) => reply.sendFile('versions.json', dist, { maxAge: 60_000 }));
  app.get('/', (_request, reply) => reply.redirect('/demo/shop.html'));
  app.get('/crm', (_request, reply) => reply.redirect('/demo/crm.html'));
};
