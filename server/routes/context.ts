/** What every route needs: the services (an app decorator, see plugins/services.ts) and who is asking. */
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import type { TokenCaller } from '../services/api-tokens.js';
import type { HubServices } from '../services/hub-services.js';
import type { VisitorIdentity } from '../services/visitor-sessions.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: HubServices;
  }
  interface FastifyRequest {
    /** The authenticated agent (set by the auth hook on every /api route but login and `ownAuthentication` ones). */
    agent: Actor | null;
    /** The agent token's hash (sign-out revokes it); null with an API token. */
    tokenHash: string | null;
    /** The API token the request came with (`agent` is then its creator); null with an agent token. */
    apiToken: TokenCaller | null;
    /** The widget session of a visitor's REST call (the widget's upload). */
    visitorIdentity?: VisitorIdentity;
  }
  interface FastifyContextConfig {
    /** The route checks its own credentials (a visitor token, a signed URL): the agent-token hook leaves it alone. */
    ownAuthentication?: boolean;
  }
}

export function actor(request: FastifyRequest): Actor {
  if (!request.agent) throw new HubError('unauthorized', 'Sign in first');
  return request.agent;
}

export function admin(request: FastifyRequest): Actor {
  const agent = actor(request);
  if (agent.role !== 'admin') throw new HubError('forbidden', 'Only an admin can do this');
  return agent;
}

/**
 * An admin signed in with an agent token, never an API token: for what must stay in a person's hands (API tokens
 * themselves). The token check already refuses such routes to API tokens (rules/api-tokens.ts); this is the second lock.
 */
export function signedInAdmin(request: FastifyRequest): Actor {
  const agent = admin(request);
  if (request.apiToken) throw new HubError('forbidden', 'API tokens cannot manage API tokens: sign in as an admin');
  return agent;
}
