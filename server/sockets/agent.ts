/** The `/agent` namespace: agent panels. Every event re-checks the agent's visibility on the server. */
import type { Socket } from 'socket.io';
import type { AgentClientToServer, AgentServerToClient } from '../../protocol/events.js';
import type { Role } from '../../protocol/types.js';
import { hashToken } from '../auth.js';
import type { Clock } from '../clock.js';
import { HubError } from '../errors.js';
import { AgentSendSchema, AgentTypingSchema, ConversationRefSchema, parse } from '../schemas.js';
import { type ChatService, rooms } from '../services/chat.js';
import type { Store } from '../store/store.js';
import { handle } from './ack.js';
import type { RateLimiter } from './rate-limit.js';

interface AgentSocketData {
  agent: { id: string; name: string; role: Role };
}

type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;

export interface AgentDeps {
  store: Store;
  chat: ChatService;
  clock: Clock;
  messageLimiter: RateLimiter;
  log: { error: (obj: unknown, msg: string) => void };
}

/** Room of all sockets opened with one token, so logging out closes them. */
export const tokenRoom = (tokenHash: string): string => `token:${tokenHash}`;

export function registerAgentNamespace(deps: AgentDeps): void {
  const { store, chat, clock } = deps;
  const nsp = chat.agents;

  nsp.use((socket: AgentSocket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return next(new Error('unauthorized'));
    store.findAgentByToken(hashToken(token), clock.now().toISOString()).then(
      (agent) => {
        if (!agent) return next(new Error('unauthorized'));
        socket.data = { agent: { id: agent.id, name: agent.name, role: agent.role as Role } };
        void socket.join(tokenRoom(hashToken(token)));
        next();
      },
      () => next(new Error('internal')),
    );
  });

  nsp.on('connection', (socket: AgentSocket) => {
    const actor = socket.data.agent;
    // Asked before this socket joins (local rooms are read synchronously); handlers are registered
    // synchronously below so that nothing the panel sends right after connecting is dropped.
    const before = Promise.all([chat.agentsOnline(), chat.agentOnline(actor.id)]);
    void socket.join([rooms.allAgents, rooms.agent(actor.id), ...(actor.role === 'admin' ? [rooms.admins] : [])]);
    void before
      .then(([hadAgents, otherPanel]) => {
        socket.emit('hello', { agentId: actor.id, name: actor.name, role: actor.role });
        if (!otherPanel) nsp.to(rooms.allAgents).emit('agent:presence', { agentId: actor.id, online: true });
        if (!hadAgents) chat.visitors.emit('presence', { agentsOnline: true });
      })
      .catch(() => socket.emit('hello', { agentId: actor.id, name: actor.name, role: actor.role }));

    socket.on(
      'conversation:watch',
      handle(deps.log, async (payload) => {
        const { conversationId } = parse(ConversationRefSchema, payload);
        await chat.visibleConversation(actor, conversationId);
        await socket.join(rooms.watch(conversationId));
        return { ok: true as const };
      }),
    );

    socket.on('conversation:unwatch', (payload) => {
      try {
        void socket.leave(rooms.watch(parse(ConversationRefSchema, payload).conversationId));
      } catch {
        // A malformed unwatch has nothing to undo.
      }
    });

    socket.on(
      'message:send',
      handle(deps.log, async (payload) => {
        const { conversationId, clientId, text } = parse(AgentSendSchema, payload);
        if (!deps.messageLimiter.take(`a:${actor.id}`)) throw new HubError('rate_limited', 'Too many messages; wait a moment');
        return chat.agentSend(actor, conversationId, clientId, text);
      }),
    );

    socket.on(
      'conversation:read',
      handle(deps.log, async (payload) => {
        const { conversationId } = parse(ConversationRefSchema, payload);
        await chat.markRead(actor, conversationId);
        return { ok: true as const };
      }),
    );

    socket.on('typing', (payload) => {
      void (async () => {
        const { conversationId, typing } = parse(AgentTypingSchema, payload);
        const record = await chat.visibleConversation(actor, conversationId);
        // The visitor only sees the agent who is handling the conversation typing.
        if (record.holderId === actor.id) {
          chat.visitors.to(rooms.visitor(record.visitorId)).emit('agent:typing', { typing, name: actor.name });
        }
      })().catch(() => undefined);
    });

    socket.on('disconnect', () => {
      void (async () => {
        if (!(await chat.agentOnline(actor.id))) nsp.to(rooms.allAgents).emit('agent:presence', { agentId: actor.id, online: false });
        if (!(await chat.agentsOnline())) chat.visitors.emit('presence', { agentsOnline: false });
      })().catch(() => undefined);
    });
  });
}
