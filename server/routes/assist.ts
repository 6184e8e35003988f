/**
 * AI assist: a conversation's summary and reply suggestions (as visible as the conversation), a voice note's transcript
 * (as visible as its conversation), the status, the admin's switches.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AssistSettingsBody, IdParams, RefreshQuery } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { actor, admin } from './context.js';

export const assistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { assist, attachments } = app.services;

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

  app.post(
    '/api/attachments/:id/transcription',
    { schema: { ...doc('POST /api/attachments/:id/transcription'), params: IdParams } },
    // Who may read the voice note first (404, 400), then whether the hub can transcribe it (409, 502).
    async (request) => assist.transcription(await attachments.audioFor(actor(request), request.params.id)),
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
