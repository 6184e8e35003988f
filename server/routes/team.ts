/** Team chat reads: the agent's threads, and a thread's messages page by page. Sending is on the socket (team:send). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TeamPageQuery, TeamThreadParams } from '../team-schemas.js';
import { doc } from '../schemas/responses.js';
import { actor } from './context.js';

export const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { teamChat } = app.services;

  app.get('/api/team/threads', { schema: doc('GET /api/team/threads') }, async (request) => ({ items: await teamChat.threads(actor(request)) }));

  app.get(
    '/api/team/threads/:key/messages',
    { schema: { ...doc('GET /api/team/threads/:key/messages'), params: TeamThreadParams, querystring: TeamPageQuery } },
    async (request) => teamChat.messages(actor(request), request.params.key, request.query.before, request.query.limit),
  );
};
