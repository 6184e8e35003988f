/** Visitors: profile, full data export, and erasure (admin). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../schemas.js';
import { forbidden } from '../errors.js';
import { doc } from '../schemas/responses.js';
import { actor } from './context.js';

export const visitorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { inbox, visitorSessions, contacts } = app.services;

  app.get('/api/visitors/:id', { schema: { ...doc('GET /api/visitors/:id'), params: IdParams } }, async (request) =>
    inbox.visitor(actor(request), request.params.id),
  );

  app.get('/api/visitors/:id/export', { schema: { ...doc('GET /api/visitors/:id/export'), params: IdParams } }, async (request, reply) => {
    const data = await inbox.visitorExport(actor(request), request.params.id);
    reply.header('content-disposition', `attachment; filename="visitor-${data.visitor.id}.json"`);
    return data;
  });

  // Kept for existing integrations: erases the person behind the session, like DELETE /api/contacts/:id.
  app.delete('/api/visitors/:id', { schema: { ...doc('DELETE /api/visitors/:id'), params: IdParams } }, async (request) => {
    const who = actor(request);
    if (who.role !== 'admin') throw forbidden('Only an admin can delete visitors');
    return { ok: true as const, conversations: await contacts.erase(who, await visitorSessions.contactOf(request.params.id)) };
  });
};
