/** Pure helpers of the Team view's state (controllers/team-chat.ts): the thread list's rows, message merging. */
import type { TeamMessage, TeamThread, TeamThreadKey } from '../../protocol/team.js';
import type { Agent } from '../../protocol/types.js';

/** One row of the thread list. */
export interface TeamEntry {
  key: TeamThreadKey;
  title: string;
  unread: number;
  lastMessage: TeamMessage | null;
  /** Direct threads: the other agent's presence and whether they can still be written to. */
  online: boolean | null;
  disabled: boolean;
}

/** The thread list: team room, notes to self, then one entry per other agent (and any thread with an agent not in `agents`). */
export function teamEntries(threads: TeamThread[], agents: Agent[], me: Agent): TeamEntry[] {
  const byKey = new Map(threads.map((t) => [t.key, t]));
  const entry = (key: TeamThreadKey, title: string, agent?: Agent): TeamEntry => {
    const t = byKey.get(key);
    return {
      key,
      title,
      unread: t?.unreadCount ?? 0,
      lastMessage: t?.lastMessage ?? null,
      online: agent ? agent.online : null,
      disabled: agent?.disabled ?? false,
    };
  };
  const direct = agents
    .filter((a) => a.id !== me.id && (!a.disabled || byKey.has(`direct:${a.id}`)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => entry(`direct:${a.id}`, a.name, a));
  const known = new Set(direct.map((e) => e.key));
  const strangers = threads
    .filter((t) => t.kind === 'direct' && !known.has(t.key))
    .map((t) => entry(t.key, t.lastMessage && t.lastMessage.agentId !== me.id ? t.lastMessage.authorName : 'Agent'));
  return [entry('team', 'Team room'), entry('self', 'Notes to self'), ...direct, ...strangers];
}

export const kindOf = (key: TeamThreadKey): TeamThread['kind'] => (key === 'team' ? 'team' : key === 'self' ? 'self' : 'direct');

/** Two runs of messages as one, by id, oldest first. */
export function merge(a: TeamMessage[], b: TeamMessage[]): TeamMessage[] {
  const byId = new Map([...a, ...b].map((m) => [m.id, m]));
  return [...byId.values()].sort((x, y) => x.id - y.id);
}
