/**
 * Where team chat news goes: only the `/agent` namespace, and in it only the agents of the thread — the
 * team room to every agent (`agents`), a direct thread to its two agents' rooms, notes to self to the
 * author's room. Each agent receives the thread under the key they know it by (protocol/team.ts).
 * Nothing here ever touches the visitor namespace.
 */
import type { TeamMessage, TeamThreadKey, TeamTypingEvent } from '../../protocol/team.js';
import type { StoredTeamMessage } from '../store/team-repo.js';
import { type AgentNamespace, rooms } from './broadcaster.js';

/** One agent of a thread and the key they know it by. */
export interface TeamMember {
  agentId: string;
  key: TeamThreadKey;
}

/** Who hears about a thread: every agent (the team room) or the listed ones. */
export type TeamAudience = { kind: 'everyone' } | { kind: 'members'; members: TeamMember[] };

export class TeamBroadcast {
  constructor(private readonly agents: AgentNamespace) {}

  message(audience: TeamAudience, message: StoredTeamMessage): void {
    if (audience.kind === 'everyone') {
      this.agents.to(rooms.allAgents).emit('team:message', { ...message, threadKey: 'team' } satisfies TeamMessage);
      return;
    }
    for (const { agentId, key } of audience.members) this.agents.to(rooms.agent(agentId)).emit('team:message', { ...message, threadKey: key });
  }

  /** Every panel of `agentId` learns its unread count of the thread. */
  unread(agentId: string, key: TeamThreadKey, count: number): void {
    this.agents.to(rooms.agent(agentId)).emit('team:unread', { threadKey: key, count });
  }

  /** The author's typing reaches the thread's other agents, never the author's own panels. */
  typing(audience: TeamAudience, author: { id: string; name: string }, typing: boolean): void {
    const event = (key: TeamThreadKey): TeamTypingEvent => ({ threadKey: key, agentId: author.id, name: author.name, typing });
    if (audience.kind === 'everyone') {
      this.agents.to(rooms.allAgents).except(rooms.agent(author.id)).emit('team:typing', event('team'));
      return;
    }
    for (const { agentId, key } of audience.members) {
      if (agentId !== author.id) this.agents.to(rooms.agent(agentId)).emit('team:typing', event(key));
    }
  }
}
