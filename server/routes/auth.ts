/** Sign in / out, and the bearer-token check that guards every other /api route. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../protocol/types.js';
import { hashToken, newAgentToken, verifyPassword } from '../auth.js';
import { HubError } from '../errors.js';
import { LoginBody } from '../schemas.js';
import { tokenRoom } from '../sockets/agent.js';
import { toAgent } from '../store/mappers.js';
import { type RouteContext, actor } from './context.js';

/** A constant hash to compare against when the email is unknown, so timing doesn't reveal which emails exist. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * The bearer-token check. Wrapped with fastify-plugin so the hook guards every route registered
 * after it in the same (/api) scope, not only this file's.
 */
export const authentication = fp<RouteContext>(async (app, { store, clock }) => {
  app.decorateRequest('agent', null);
  app.decorateRequest('tokenHash', null);

  // preParsing, not onRequest: the rate limit (a route-level onRequest hook) must count a request before
  // its token is checked, or a flood of guessed tokens would only ever see 401s. Still before the body is parsed.
  app.addHook('preParsing', async (request, _reply, payload) => {
    await authenticate(request);
    return payload;
  });

  async function authenticate(request: FastifyRequest): Promise<void> {
    if (request.routeOptions.url === '/api/auth/login') return;
    const header = request.headers.authorization ?? '';
    const token = /^Bearer (\S{1,200})$/.exec(header)?.[1];
    if (!token) throw new HubError('unauthorized', 'Missing Authorization: Bearer token');
    const tokenHash = hashToken(token);
    const agent = await store.findAgentByToken(tokenHash, clock.now().toISOString());
    if (!agent) throw new HubError('unauthorized', 'The token is invalid, expired or revoked');
    request.agent = { id: agent.id, name: agent.name, role: agent.role as Role };
    request.tokenHash = tokenHash;
  }
});

export const authRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { store, chat, clock, config }) => {
  app.post('/api/auth/login', { schema: { body: LoginBody }, config: { rateLimit: { max: 20, timeWindow: 60_000 } } }, async (request) => {
    const agent = await store.getAgentByEmail(request.body.email);
    const ok = await verifyPassword(request.body.password, agent?.password_hash ?? DUMMY_HASH);
    if (!agent || !ok || agent.disabled === 1) throw new HubError('unauthorized', 'Wrong email or password');
    const { token, hash } = newAgentToken();
    const expiresAt = new Date(clock.now().getTime() + config.agentTokenHours * 3_600_000).toISOString();
    await store.insertToken(hash, agent.id, expiresAt);
    return { token, expiresAt, agent: toAgent(agent, await chat.agentOnline(agent.id)) };
  });

  app.post('/api/auth/logout', async (request) => {
    actor(request);
    if (request.tokenHash) {
      await store.revokeToken(request.tokenHash);
      chat.agents.in(tokenRoom(request.tokenHash)).disconnectSockets(true);
    }
    return { ok: true as const };
  });

  app.get('/api/me', async (request) => {
    const agent = await store.getAgent(actor(request).id);
    if (!agent) throw new HubError('unauthorized', 'Account removed');
    return toAgent(agent, await chat.agentOnline(agent.id));
  });
};
