/** Visitors: profile, full data export, and erasure (admin). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { VisitorExport } from '../../protocol/api.js';
import { notFound } from '../errors.js';
import { IdParams } from '../schemas.js';
import { toVisitor } from '../store/mappers.js';
import { type RouteContext, actor } from './context.js';

export const visitorRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { store, chat, clock }) => {
  /** A visitor is visible to an agent who can see at least one of their conversations (admins: all). */
  const visibleVisitor = async (viewer: ReturnType<typeof actor>, id: string) => {
    const visitor = await store.getVisitor(id);
    if (!visitor) throw notFound('Visitor');
    const conversations = (await store.conversationsOfVisitor(id)).filter((c) => chat.canSee(viewer, c));
    if (viewer.role !== 'admin' && conversations.length === 0) throw notFound('Visitor');
    return { visitor, conversations };
  };

  app.get('/api/visitors/:id', { schema: { params: IdParams } }, async (request) => {
    const { visitor } = await visibleVisitor(actor(request), request.params.id);
    return toVisitor(visitor, await chat.visitorOnline(visitor.id));
  });

  app.get('/api/visitors/:id/export', { schema: { params: IdParams } }, async (request, reply): Promise<VisitorExport> => {
    const { visitor, conversations } = await visibleVisitor(actor(request), request.params.id);
    reply.header('content-disposition', `attachment; filename="visitor-${visitor.id}.json"`);
    return {
      visitor: toVisitor(visitor, await chat.visitorOnline(visitor.id)),
      conversations: await Promise.all(
        conversations.map(async (c) => ({
          conversation: await chat.summary(c),
          messages: await store.messagesAfter(c.id, 0, 100_000),
          notes: await store.notes(c.id),
        })),
      ),
      exportedAt: clock.now().toISOString(),
    };
  });

  app.delete('/api/visitors/:id', { schema: { params: IdParams } }, async (request) => {
    const conversations = await chat.deleteVisitor(actor(request), request.params.id);
    return { ok: true as const, conversations };
  });
};
