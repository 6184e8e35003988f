/** Visitors: profile, full data export, and erasure (admin). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../schemas.js';
import { actor } from './context.js';

export const visitorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { inbox, visitorSessions } = app.services;

  app.get('/api/visitors/:id', { schema: { params: IdParams } }, async (request) => inbox.visitor(actor(request), request.params.id));

  app.get('/api/visitors/:id/export', { schema: { params: IdParams } }, async (request, reply) => {
    const data = await inbox.visitorExport(actor(request), request.params.id);
    reply.header('content-disposition', `attachment; filename="visitor-${data.visitor.id}.json"`);
    return data;
  });

  app.delete('/api/visitors/:id', { schema: { params: IdParams } }, async (request) => ({
    ok: true as const,
    conversations: await visitorSessions.erase(actor(request), request.params.id),
  }));
};
