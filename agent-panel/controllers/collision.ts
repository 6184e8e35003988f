/** Collision: the other agents who have the open conversation open, and those of them typing a reply (pure updates). */

export interface AgentRef {
  agentId: string;
  name: string;
}

/** The viewers without this agent; someone who left the conversation is no longer typing in it. */
export function withViewers(viewers: AgentRef[], me: string | undefined, typing: AgentRef[]): { viewers: AgentRef[]; agentsTyping: AgentRef[] } {
  const others = viewers.filter((v) => v.agentId !== me);
  return { viewers: others, agentsTyping: typing.filter((a) => others.some((v) => v.agentId === a.agentId)) };
}

/** The typing list after one agent started or stopped. */
export function withTyping(typing: AgentRef[], event: AgentRef & { typing: boolean }): AgentRef[] {
  const rest = typing.filter((a) => a.agentId !== event.agentId);
  return event.typing ? [...rest, { agentId: event.agentId, name: event.name }] : rest;
}
