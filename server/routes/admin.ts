/** Quick replies, bot settings, agents, sites and the dashboard tiles. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AgentBody, AgentPatchBody, IdParams, QuickReplyBody, SettingsBody } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { actor, admin } from './context.js';

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { inbox, content, accounts } = app.services;

  app.get('/api/stats', { schema: doc('GET /api/stats') }, async (request) => inbox.stats(actor(request)));

  app.get('/api/quick-replies', { schema: doc('GET /api/quick-replies') }, async (request) => {
    actor(request);
    return { items: await content.listQuickReplies() };
  });
  app.post('/api/quick-replies', { schema: { ...doc('POST /api/quick-replies'), body: QuickReplyBody } }, async (request, reply) => {
    admin(request);
    const saved = await content.saveQuickReply(null, request.body);
    reply.code(201);
    return saved;
  });
  app.put('/api/quick-replies/:id', { schema: { ...doc('PUT /api/quick-replies/:id'), params: IdParams, body: QuickReplyBody } }, async (request) => {
    admin(request);
    return content.saveQuickReply(request.params.id, request.body);
  });
  app.delete('/api/quick-replies/:id', { schema: { ...doc('DELETE /api/quick-replies/:id'), params: IdParams } }, async (request) => {
    admin(request);
    await content.deleteQuickReply(request.params.id);
    return { ok: true as const };
  });

  app.get('/api/settings', { schema: doc('GET /api/settings') }, async (request) => {
    actor(request);
    return content.settings();
  });
  app.put('/api/settings', { schema: { ...doc('PUT /api/settings'), body: SettingsBody } }, async (request) => {
    admin(request);
    return content.updateSettings(request.body);
  });

  app.get('/api/agents', { schema: doc('GET /api/agents') }, async (request) => {
    actor(request);
    return { items: await accounts.list() };
  });
  app.post('/api/agents', { schema: { ...doc('POST /api/agents'), body: AgentBody } }, async (request, reply) => {
    admin(request);
    const agent = await accounts.create(request.body);
    reply.code(201);
    return agent;
  });
  app.put('/api/agents/:id', { schema: { ...doc('PUT /api/agents/:id'), params: IdParams, body: AgentPatchBody } }, async (request) =>
    accounts.update(admin(request), request.params.id, request.body),
  );
  app.delete('/api/agents/:id', { schema: { ...doc('DELETE /api/agents/:id'), params: IdParams } }, async (request) => {
    await accounts.delete(admin(request), request.params.id);
    return { ok: true as const };
  });

  app.get('/api/sites', { schema: doc('GET /api/sites') }, async (request) => {
    actor(request);
    return { items: await content.sites() };
  });
};
