/** The one way services fetch a conversation for an agent: with the visibility check applied. */
import { notFound } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import { canSee } from '../rules/visibility.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { Store } from '../store/store.js';

/** The conversation if the actor may see it; otherwise 404, so ids of hidden conversations don't leak. */
export async function visibleConversation(store: Store, actor: Actor, id: string): Promise<ConversationRecord> {
  const record = await store.conversations.get(id);
  if (!record || !canSee(actor, record)) throw notFound('Conversation');
  return record;
}
