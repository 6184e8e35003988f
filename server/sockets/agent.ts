/**
 * The `/agent` namespace: agent panels. Every event re-checks the agent's visibility on the server
 * (through the services) and is rate-limited per agent.
 */
import type { Socket } from 'socket.io';
import { API_TOKEN_PREFIX } from '../../protocol/api-tokens.js';
import type { AgentClientToServer, AgentServerToClient } from '../../protocol/events.js';
import { HubError } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import { AgentSendSchema, AgentTypingSchema, ConversationRefSchema, parse, WatchSchema } from '../schemas.js';
import { rooms } from '../services/broadcaster.js';
import type { HubServices } from '../services/hub-services.js';
import { handle } from './ack.js';
import type { RateLimiter } from './rate-limit.js';
import { registerTeamEvents } from './team.js';
import type { SocketLog } from './visitor.js';

interface AgentSocketData {
  agent: Actor;
}

type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;

export interface AgentLimits {
  messages: RateLimiter;
  /** Watch, read marks, typing. */
  events: RateLimiter;
}

export function registerAgentNamespace(services: HubServices, limits: AgentLimits, log: SocketLog): void {
  const { accounts, messaging, broadcaster, inbox, assignment } = services;
  const nsp = broadcaster.agents;

  nsp.use((socket: AgentSocket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return next(new Error('unauthorized'));
    // API tokens are for the REST API only: a panel is a person signed in.
    if (token.startsWith(API_TOKEN_PREFIX)) return next(new Error('unauthorized'));
    accounts.authenticate(token).then(
      (found) => {
        if (!found) return next(new Error('unauthorized'));
        socket.data = { agent: found.actor };
        void socket.join(rooms.token(found.tokenHash));
        next();
      },
      () => next(new Error('internal')),
    );
  });

  nsp.on('connection', (socket: AgentSocket) => {
    const actor = socket.data.agent;
    // Asked before this socket joins (local rooms are read synchronously); handlers are registered
    // synchronously below so that nothing the panel sends right after connecting is dropped.
    const before = Promise.all([broadcaster.agentsOnline(), broadcaster.agentOnline(actor.id)]);
    void socket.join([rooms.allAgents, rooms.agent(actor.id), ...(actor.role === 'admin' ? [rooms.admins] : [])]);
    const hello = () => socket.emit('hello', { agentId: actor.id, name: actor.name, role: actor.role });
    void before
      .then(([hadAgents, otherPanel]) => {
        hello();
        if (!otherPanel) broadcaster.agentPresence(actor.id, true);
        if (!hadAgents) broadcaster.agentsPresence(true);
      })
      .catch(hello);
    // Online now: queued conversations may go to this agent (auto-assignment).
    void assignment.agentConnected(actor.id).catch(() => undefined);
    const limited = (limiter: RateLimiter, what: string) => {
      if (!limiter.take(`a:${actor.id}`)) throw new HubError('rate_limited', `Too many ${what}; wait a moment`);
    };

    socket.on(
      'conversation:watch',
      handle(log, async (payload) => {
        const { conversationId, after } = parse(WatchSchema, payload);
        limited(limits.events, 'requests');
        await inbox.checkVisible(actor, conversationId);
        await socket.join(rooms.watch(conversationId));
        // Visibility may have narrowed between the check and the join: look again, so messages and typing can't leak.
        // Read after the join: a message stored later is pushed to the room, one stored before is in the answer.
        const recheck = after === undefined ? inbox.checkVisible(actor, conversationId).then(() => []) : inbox.messagesAfter(actor, conversationId, after);
        const missed = await recheck.catch(async (error: unknown) => {
          await socket.leave(rooms.watch(conversationId));
          throw error;
        });
        await broadcaster.announceViewers(conversationId);
        return { ok: true as const, messages: missed };
      }),
    );

    socket.on('conversation:unwatch', (payload) => {
      try {
        const { conversationId } = parse(ConversationRefSchema, payload);
        limited(limits.events, 'requests');
        void Promise.resolve(socket.leave(rooms.watch(conversationId)))
          .then(() => broadcaster.announceViewers(conversationId))
          .catch(() => undefined);
      } catch {
        // A malformed unwatch has nothing to undo.
      }
    });

    socket.on(
      'message:send',
      handle(log, async (payload) => {
        const { conversationId, clientId, text, attachmentIds } = parse(AgentSendSchema, payload);
        limited(limits.messages, 'messages');
        return messaging.agentSend(actor, conversationId, clientId, text, attachmentIds, socket.id);
      }),
    );

    socket.on(
      'conversation:read',
      handle(log, async (payload) => {
        const { conversationId } = parse(ConversationRefSchema, payload);
        limited(limits.events, 'requests');
        await messaging.markRead(actor, conversationId);
        return { ok: true as const };
      }),
    );

    socket.on('typing', (payload) => {
      void (async () => {
        const { conversationId, typing } = parse(AgentTypingSchema, payload);
        limited(limits.events, 'requests');
        await messaging.agentTyping(actor, conversationId, typing, socket.id);
      })().catch(() => undefined);
    });

    registerTeamEvents(socket, actor, services.teamChat, limits, limited, log);

    // Collision: whoever had the same conversations open learns this agent left them.
    let watched: string[] = [];
    socket.on('disconnecting', () => {
      watched = [...socket.rooms].filter((room) => room.startsWith('watch:')).map((room) => room.slice('watch:'.length));
    });
    socket.on('disconnect', () => {
      for (const conversationId of watched) void broadcaster.announceViewers(conversationId).catch(() => undefined);
      void (async () => {
        if (!(await broadcaster.agentOnline(actor.id))) {
          broadcaster.agentPresence(actor.id, false);
          await assignment.agentDisconnected(actor.id);
        }
        if (!(await broadcaster.agentsOnline())) broadcaster.agentsPresence(false);
      })().catch(() => undefined);
    });
  });
}
