/**
 * One agent per conversation: the first claim wins; later claims are refused unless an admin
 * reassigns; only the holder or an admin may hand back. The store applies the claim atomically
 * (conditional UPDATE), these functions decide who may try.
 */
import type { Role } from '../../protocol/types.js';
import { HubError } from '../errors.js';

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

export function checkClaim(holderId: string | null, holderName: string | null, actor: Actor, force: boolean): void {
  if (force && actor.role !== 'admin') throw new HubError('forbidden', 'Only an admin can reassign a conversation');
  if (holderId && holderId !== actor.id && !force) {
    throw new HubError('already_claimed', `${holderName ?? 'Another agent'} is already handling this conversation`);
  }
}

export function checkRelease(holderId: string | null, actor: Actor): void {
  if (!holderId) throw new HubError('conflict', 'Nobody has taken over this conversation');
  if (holderId !== actor.id && actor.role !== 'admin') {
    throw new HubError('forbidden', 'Only the agent handling the conversation or an admin can hand it back');
  }
}

/**
 * Closing ends someone's work: when an agent holds the conversation or agents are assigned to it,
 * only they or an admin may close it (else closing, reopening and claiming would take it from them).
 * A conversation nobody is responsible for may be closed by any agent who can see it.
 */
export function checkClose(conversation: { holderId: string | null; assignees: string[] }, actor: Actor): void {
  if (actor.role === 'admin') return;
  const responsible = [...(conversation.holderId ? [conversation.holderId] : []), ...conversation.assignees];
  if (responsible.length > 0 && !responsible.includes(actor.id)) {
    throw new HubError('forbidden', 'Only the agent handling the conversation, an assignee or an admin can close it');
  }
}
