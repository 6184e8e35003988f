/** The built widget and panel scripts, the demo pages, and the short redirects to them. */
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const assets: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: `${root}demo`, prefix: '/demo/' });
  for (const file of ['widget.js', 'widget.js.map', 'agent-panel.js', 'agent-panel.js.map']) {
    // Short cache + ETag: the loader URL never changes, so sites pick up new versions within minutes.
    app.get(`/${file}`, (_request, reply) => reply.sendFile(file, `${root}dist`, { maxAge: 300_000, immutable: false }));
  }
  app.get('/', (_request, reply) => reply.redirect('/demo/shop.html'));
  app.get('/crm', (_request, reply) => reply.redirect('/demo/crm.html'));
};
