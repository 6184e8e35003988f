/**
 * Team chat events on the `/agent` namespace (registered per socket by agent.ts): send, read, typing.
 * Rate-limited per agent like the other agent events: sends as messages, reads and typing as events.
 */
import type { Socket } from 'socket.io';
import type { AgentClientToServer, AgentServerToClient } from '../../protocol/events.js';
import type { Actor } from '../rules/handoff.js';
import { parse } from '../schemas.js';
import type { TeamChat } from '../services/team-chat.js';
import { TeamReadSchema, TeamSendSchema, TeamTypingSchema } from '../team-schemas.js';
import { handle } from './ack.js';
import type { AgentLimits } from './agent.js';
import type { RateLimiter } from './rate-limit.js';
import type { SocketLog } from './visitor.js';

export function registerTeamEvents(
  socket: Socket<AgentClientToServer, AgentServerToClient>,
  actor: Actor,
  teamChat: TeamChat,
  limits: AgentLimits,
  limited: (limiter: RateLimiter, what: string) => void,
  log: SocketLog,
): void {
  socket.on(
    'team:send',
    handle(log, async (payload) => {
      const { threadKey, clientId, text } = parse(TeamSendSchema, payload);
      limited(limits.messages, 'messages');
      return teamChat.send(actor, threadKey, clientId, text);
    }),
  );

  socket.on(
    'team:read',
    handle(log, async (payload) => {
      const { threadKey, upToId } = parse(TeamReadSchema, payload);
      limited(limits.events, 'requests');
      return teamChat.read(actor, threadKey, upToId);
    }),
  );

  // The ack is optional (like `typing`, panels may fire and forget); it answers once the typing was passed on.
  socket.on(
    'team:typing',
    handle(log, async (payload) => {
      const { threadKey, typing } = parse(TeamTypingSchema, payload);
      limited(limits.events, 'requests');
      await teamChat.typing(actor, threadKey, typing);
      return { ok: true as const };
    }),
  );
}
