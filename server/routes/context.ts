/** What every route needs: the services (an app decorator, see plugins/services.ts) and who is asking. */
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import type { HubServices } from '../services/hub-services.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: HubServices;
  }
  interface FastifyRequest {
    /** The authenticated agent (set by the auth hook on every /api route but login). */
    agent: Actor | null;
    tokenHash: string | null;
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
