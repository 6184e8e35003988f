/** API tokens (admin only, signed in: an API token can't list, create or revoke tokens). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiTokenBody } from '../api-token-schemas.js';
import { IdParams } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { signedInAdmin } from './context.js';

export const apiTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { apiTokens } = app.services;

  app.get('/api/tokens', { schema: doc('GET /api/tokens') }, async (request) => ({ items: await apiTokens.list(signedInAdmin(request)) }));

  app.post('/api/tokens', { schema: { body: ApiTokenBody, ...doc('POST /api/tokens') } }, async (request, reply) => {
    const created = await apiTokens.create(signedInAdmin(request), request.body);
    reply.code(201).header('cache-control', 'no-store');
    return created;
  });

  app.delete('/api/tokens/:id', { schema: { params: IdParams, ...doc('DELETE /api/tokens/:id') } }, async (request) =>
    apiTokens.revoke(signedInAdmin(request), request.params.id),
  );
};
