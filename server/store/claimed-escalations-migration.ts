/**
 * Migration 029_claimed_escalations (registered in migrations.ts), both engines: a conversation an agent holds is no
 * longer _Need help_.
 *
 * Since session 37 the bot's `need_help` lasts while the visitor waits for a person, and taking the conversation over
 * ends it (store/conversations-repo.ts `claim`; decisions.md, session 37). Conversations taken over before this version
 * kept it: the rule's one exception would be those held now, which would show _Need help_ while an agent is on them,
 * and after a hand back leave the bot silent to what it does not understand. They get the status a take-over gives.
 * The facets and counts follow by their triggers, as for any change of the status. Nothing else changes: a conversation
 * nobody holds keeps its status, whoever held it once.
 */
import { type Kysely, sql } from 'kysely';

export async function endClaimedEscalations(db: Kysely<unknown>): Promise<void> {
  await sql`update conversations set bot_status = 'ok' where bot_status = 'need_help' and holder_id is not null`.execute(db);
}
