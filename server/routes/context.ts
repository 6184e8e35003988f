/** What every route plugin receives: the hub's services. */
import type { FastifyRequest } from 'fastify';
import type { BotService } from '../services/bot-service.js';
import type { ChatService } from '../services/chat.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { HubError } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import type { Store } from '../store/store.js';

export interface RouteContext {
  store: Store;
  chat: ChatService;
  bot: BotService;
  clock: Clock;
  config: Config;
}

declare module 'fastify' {
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
