/** Conversations: list/search/filter, transcript, notes, tags, assignment, status, handoff, export. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AfterQuery, AgentIdsBody, ClaimBody, CloseBody, ConversationQuery, ExportQuery, IdParams, NoteBody, TagsBody, TicketStatusBody } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { actor } from './context.js';
import { transcriptText } from './export.js';

export const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { inbox, commands, messaging } = app.services;

  app.get('/api/conversations', { schema: { ...doc('GET /api/conversations'), querystring: ConversationQuery } }, async (request) =>
    inbox.list(actor(request), request.query),
  );

  app.get('/api/languages', { schema: doc('GET /api/languages') }, async (request) => ({ items: await inbox.languages(actor(request)) }));

  app.get('/api/conversations/:id', { schema: { ...doc('GET /api/conversations/:id'), params: IdParams } }, async (request) =>
    inbox.detail(actor(request), request.params.id),
  );

  app.get(
    '/api/conversations/:id/messages',
    { schema: { ...doc('GET /api/conversations/:id/messages'), params: IdParams, querystring: AfterQuery } },
    async (request) => ({
      messages: await inbox.messagesAfter(actor(request), request.params.id, request.query.after ?? 0),
    }),
  );

  app.post(
    '/api/conversations/:id/notes',
    { schema: { ...doc('POST /api/conversations/:id/notes'), params: IdParams, body: NoteBody } },
    async (request, reply) => {
      reply.code(201);
      return messaging.addNote(actor(request), request.params.id, request.body.text);
    },
  );

  app.put('/api/conversations/:id/tags', { schema: { ...doc('PUT /api/conversations/:id/tags'), params: IdParams, body: TagsBody } }, async (request) =>
    commands.setTags(actor(request), request.params.id, request.body.tags),
  );
  app.put(
    '/api/conversations/:id/assignees',
    { schema: { ...doc('PUT /api/conversations/:id/assignees'), params: IdParams, body: AgentIdsBody } },
    async (request) => commands.setAssignees(actor(request), request.params.id, request.body.agentIds),
  );
  app.put(
    '/api/conversations/:id/visibility',
    { schema: { ...doc('PUT /api/conversations/:id/visibility'), params: IdParams, body: AgentIdsBody } },
    async (request) => commands.setVisibility(actor(request), request.params.id, request.body.agentIds),
  );
  app.put(
    '/api/conversations/:id/ticket-status',
    { schema: { ...doc('PUT /api/conversations/:id/ticket-status'), params: IdParams, body: TicketStatusBody } },
    async (request) => commands.setTicketStatus(actor(request), request.params.id, request.body.status),
  );
  app.post('/api/conversations/:id/claim', { schema: { ...doc('POST /api/conversations/:id/claim'), params: IdParams, body: ClaimBody } }, async (request) =>
    commands.claim(actor(request), request.params.id, request.body?.force ?? false),
  );
  app.post('/api/conversations/:id/release', { schema: { ...doc('POST /api/conversations/:id/release'), params: IdParams } }, async (request) =>
    commands.release(actor(request), request.params.id),
  );
  app.post('/api/conversations/:id/mute', { schema: { ...doc('POST /api/conversations/:id/mute'), params: IdParams } }, async (request) =>
    commands.mute(actor(request), request.params.id),
  );
  app.post('/api/conversations/:id/unmute', { schema: { ...doc('POST /api/conversations/:id/unmute'), params: IdParams } }, async (request) =>
    commands.unmute(actor(request), request.params.id),
  );
  app.post('/api/conversations/:id/close', { schema: { ...doc('POST /api/conversations/:id/close'), params: IdParams, body: CloseBody } }, async (request) =>
    commands.close(actor(request), request.params.id, request.body?.ticketStatus),
  );
  app.post('/api/conversations/:id/reopen', { schema: { ...doc('POST /api/conversations/:id/reopen'), params: IdParams } }, async (request) =>
    commands.reopen(actor(request), request.params.id),
  );

  app.delete('/api/conversations/:id', { schema: { ...doc('DELETE /api/conversations/:id'), params: IdParams } }, async (request) => {
    await commands.delete(actor(request), request.params.id);
    return { ok: true as const };
  });

  app.get(
    '/api/conversations/:id/export',
    { schema: { ...doc('GET /api/conversations/:id/export'), params: IdParams, querystring: ExportQuery } },
    async (request, reply) => {
      const data = await inbox.detail(actor(request), request.params.id);
      const name = `conversation-${data.conversation.id}`;
      if (request.query.format === 'text') {
        reply.header('content-disposition', `attachment; filename="${name}.txt"`).type('text/plain; charset=utf-8');
        return transcriptText(data);
      }
      reply.header('content-disposition', `attachment; filename="${name}.json"`);
      return data;
    },
  );
};
