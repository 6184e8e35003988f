/** Who may see a conversation: admins always; agents when it is team-wide or they are listed. */
import type { Actor } from './handoff.js';

export function canSee(actor: Pick<Actor, 'id' | 'role'>, conversation: { visibleTo: string[] }): boolean {
  return actor.role === 'admin' || conversation.visibleTo.length === 0 || conversation.visibleTo.includes(actor.id);
}
