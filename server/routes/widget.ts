/** What the widget's loader asks before the chat has loaded (widget/loader.ts), with the visitor's session token. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HubError } from '../errors.js';
import { doc } from '../schemas/responses.js';

export const widgetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { visitorSessions } = app.services;

  // The auth hook (routes/auth.ts) leaves this route's bearer to it, but refuses API tokens ('never').
  app.get('/api/widget/unread', { schema: doc('GET /api/widget/unread') }, async (request) => {
    const token = /^Bearer (\S{1,2000})$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new HubError('unauthorized', 'Missing Authorization: Bearer token');
    return visitorSessions.unread(token, request.headers.origin);
  });
};
