/** AI assist: a conversation's summary and reply suggestions (as visible as the conversation), the status, the admin's switches. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AssistSettingsBody, IdParams, RefreshQuery } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { actor, admin } from './context.js';

export const assistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { assist } = app.services;

  app.get(
    '/api/conversations/:id/summary',
    { schema: { ...doc('GET /api/conversations/:id/summary'), params: IdParams, querystring: RefreshQuery } },
    async (request) => assist.summary(actor(request), request.params.id, request.query.refresh === true),
  );

  app.get(
    '/api/conversations/:id/suggestions',
    { schema: { ...doc('GET /api/conversations/:id/suggestions'), params: IdParams, querystring: RefreshQuery } },
    async (request) => assist.suggestions(actor(request), request.params.id, request.query.refresh === true),
  );

  app.get('/api/assist/status', { schema: doc('GET /api/assist/status') }, async (request) => {
    actor(request);
    return assist.status();
  });

  app.get('/api/assist/settings', { schema: doc('GET /api/assist/settings') }, async (request) => {
    actor(request);
    return assist.settings();
  });

  app.put('/api/assist/settings', { schema: { ...doc('PUT /api/assist/settings'), body: AssistSettingsBody } }, async (request) => {
    admin(request);
    return assist.updateSettings(request.body);
  });
};
