/** Sign in / out, and the bearer-token check that guards every other /api route. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { API_TOKEN_PREFIX } from '../../protocol/api-tokens.js';
import { HubError } from '../errors.js';
import { LoginBody, MePatchBody } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { actor } from './context.js';

/** Routes that take the widget's visitor token and check it themselves (routes/widget.ts): no agent token there. */
const VISITOR_TOKEN_ROUTES = new Set(['/api/widget/unread']);

/**
 * The bearer-token check. Wrapped with fastify-plugin so the hook guards every route registered
 * after it in the same (/api) scope, not only this file's. Two kinds of token: an agent's (from sign-in), and an
 * admin's API token (`sbt_…`), which acts as its creator on the routes its scopes open (services/api-tokens.ts).
 */
export const authentication = fp(async (app) => {
  app.decorateRequest('agent', null);
  app.decorateRequest('tokenHash', null);
  app.decorateRequest('apiToken', null);

  // preParsing, not onRequest: the rate limit (a route-level onRequest hook) must count a request before
  // its token is checked, or a flood of guessed tokens would only ever see 401s. Still before the body is parsed.
  app.addHook('preParsing', async (request, _reply, payload) => {
    await authenticate(request);
    return payload;
  });

  async function authenticate(request: FastifyRequest): Promise<void> {
    if (request.routeOptions.url === '/api/auth/login' || request.routeOptions.config.ownAuthentication) return;
    const header = request.headers.authorization ?? '';
    // The widget's route checks its visitor token itself; an API token there is refused below like on any 'never' route.
    if (VISITOR_TOKEN_ROUTES.has(request.routeOptions.url ?? '') && !header.startsWith(`Bearer ${API_TOKEN_PREFIX}`)) return;
    const token = /^Bearer (\S{1,200})$/.exec(header)?.[1];
    if (!token) throw new HubError('unauthorized', 'Missing Authorization: Bearer token');
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const { apiTokens } = app.services;
      const found = await apiTokens.authenticate(token);
      if (!found) throw new HubError('unauthorized', 'The API token is invalid, expired or revoked');
      // Deny by default: a route without a scope decision is refused to API tokens.
      apiTokens.authorize(found.token, request.method, request.routeOptions.url);
      request.agent = found.actor;
      request.apiToken = found.token;
      return;
    }
    const found = await app.services.accounts.authenticate(token);
    if (!found) throw new HubError('unauthorized', 'The token is invalid, expired or revoked');
    request.agent = found.actor;
    request.tokenHash = found.tokenHash;
  }
});

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, config } = app.services;

  // request.ip is the socket's peer unless TRUST_PROXY names the proxies allowed to say otherwise.
  app.post(
    '/api/auth/login',
    { schema: { ...doc('POST /api/auth/login'), body: LoginBody }, config: { rateLimit: { max: config.signInsPerMinute, timeWindow: 60_000 } } },
    async (request) => accounts.login(request.body.email, request.body.password, request.ip),
  );

  app.post('/api/auth/logout', { schema: doc('POST /api/auth/logout') }, async (request) => {
    actor(request);
    if (request.tokenHash) await accounts.logout(request.tokenHash);
    return { ok: true as const };
  });

  app.get('/api/me', { schema: doc('GET /api/me') }, async (request) => accounts.me(actor(request)));

  app.patch('/api/me', { schema: { body: MePatchBody, ...doc('PATCH /api/me') } }, async (request) => accounts.updateMe(actor(request), request.body));
};
