/** Conversations: list/search/filter, transcript, notes, tags, assignment, status, handoff, export. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ConversationDetail, InboxCounts } from '../../protocol/types.js';
import { notFound } from '../errors.js';
import { AfterQuery, AgentIdsBody, ClaimBody, CloseBody, ConversationQuery, ExportQuery, IdParams, NoteBody, TagsBody, TicketStatusBody } from '../schemas.js';
import { toConversation, toVisitor } from '../store/mappers.js';
import { type RouteContext, actor } from './context.js';
import { transcriptText } from './export.js';

export const conversationRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { store, chat }) => {
  app.get('/api/conversations', { schema: { querystring: ConversationQuery } }, async (request) => {
    const viewer = actor(request);
    const retentionCutoff = chat.retentionCutoff();
    const [{ rows, total }, open, closed] = await Promise.all([
      store.listConversations(viewer, { ...request.query, retentionCutoff }),
      store.openConversations(viewer, retentionCutoff),
      store.listConversations(viewer, { inbox: 'closed', limit: 1, retentionCutoff }),
    ]);
    const mine = (c: (typeof open)[number]) => c.holder_id === viewer.id || c.assignees.includes(JSON.stringify(viewer.id));
    const openOnly = open.filter((c) => c.state === 'open');
    const counts: InboxCounts = {
      all: openOnly.length,
      mine: openOnly.filter(mine).length,
      unassigned: openOnly.filter((c) => c.holder_id === null && c.assignees === '[]').length,
      closed: closed.total,
    };
    const items = await Promise.all(rows.map((row) => chat.summary(toConversation(row))));
    return { items, total, counts };
  });

  const detail = async (viewer: ReturnType<typeof actor>, id: string): Promise<ConversationDetail> => {
    const record = await chat.visibleConversation(viewer, id);
    const visitor = await store.getVisitor(record.visitorId);
    if (!visitor) throw notFound('Visitor');
    const [conversation, messages, notes] = await Promise.all([chat.summary(record), store.messagesAfter(record.id, 0, 100_000), store.notes(record.id)]);
    return { conversation, visitor: toVisitor(visitor, conversation.visitor.online), messages, notes };
  };

  app.get('/api/conversations/:id', { schema: { params: IdParams } }, async (request) => detail(actor(request), request.params.id));

  app.get('/api/conversations/:id/messages', { schema: { params: IdParams, querystring: AfterQuery } }, async (request) => {
    const record = await chat.visibleConversation(actor(request), request.params.id);
    return { messages: await store.messagesAfter(record.id, request.query.after ?? 0) };
  });

  app.post('/api/conversations/:id/notes', { schema: { params: IdParams, body: NoteBody } }, async (request, reply) => {
    reply.code(201);
    return chat.addNote(actor(request), request.params.id, request.body.text);
  });

  app.put('/api/conversations/:id/tags', { schema: { params: IdParams, body: TagsBody } }, async (request) =>
    chat.setTags(actor(request), request.params.id, request.body.tags),
  );
  app.put('/api/conversations/:id/assignees', { schema: { params: IdParams, body: AgentIdsBody } }, async (request) =>
    chat.setAssignees(actor(request), request.params.id, request.body.agentIds),
  );
  app.put('/api/conversations/:id/visibility', { schema: { params: IdParams, body: AgentIdsBody } }, async (request) =>
    chat.setVisibility(actor(request), request.params.id, request.body.agentIds),
  );
  app.put('/api/conversations/:id/ticket-status', { schema: { params: IdParams, body: TicketStatusBody } }, async (request) =>
    chat.setTicketStatus(actor(request), request.params.id, request.body.status),
  );
  app.post('/api/conversations/:id/claim', { schema: { params: IdParams, body: ClaimBody } }, async (request) =>
    chat.claim(actor(request), request.params.id, request.body?.force ?? false),
  );
  app.post('/api/conversations/:id/release', { schema: { params: IdParams } }, async (request) => chat.release(actor(request), request.params.id));
  app.post('/api/conversations/:id/mute', { schema: { params: IdParams } }, async (request) => chat.mute(actor(request), request.params.id));
  app.post('/api/conversations/:id/unmute', { schema: { params: IdParams } }, async (request) => chat.unmute(actor(request), request.params.id));
  app.post('/api/conversations/:id/close', { schema: { params: IdParams, body: CloseBody } }, async (request) =>
    chat.close(actor(request), request.params.id, request.body?.ticketStatus),
  );
  app.post('/api/conversations/:id/reopen', { schema: { params: IdParams } }, async (request) => chat.reopen(actor(request), request.params.id));

  app.delete('/api/conversations/:id', { schema: { params: IdParams } }, async (request) => {
    await chat.deleteConversation(actor(request), request.params.id);
    return { ok: true as const };
  });

  app.get('/api/conversations/:id/export', { schema: { params: IdParams, querystring: ExportQuery } }, async (request, reply) => {
    const data = await detail(actor(request), request.params.id);
    const name = `conversation-${data.conversation.id}`;
    if (request.query.format === 'text') {
      reply.header('content-disposition', `attachment; filename="${name}.txt"`).type('text/plain; charset=utf-8');
      return transcriptText(data);
    }
    reply.header('content-disposition', `attachment; filename="${name}.json"`);
    return data;
  });
};
