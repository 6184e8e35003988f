/**
 * Migration 021_conversation_facets (registered in migrations.ts): a conversation's language and bot status as rows
 * (`conversation_facets`), indexed by value. The inbox's filters on them start from these rows when few conversations
 * match (inbox-queries.ts), as the tag filter does from migration 020's: checked on each conversation read in activity
 * order, a language on a few dozen conversations read every open one once older ones were included, 110–150 ms at
 * 1,000,000 on both stores (docs/performance-history.md, session 22). The channel is not one of them: a
 * conversation's channel is always `webchat` today (protocol/types.ts `CHANNELS`), so its filter never selects few.
 *
 * Rows rather than indexes on the columns: on PostgreSQL every index of `conversations` costs each message a write (a
 * message changes the last activity, so no update is HOT), while these triggers fire only when a statement sets one of
 * the two columns, which a message's write never does (a bot's answer sets the bot status: one row then changes).
 * The same table on both stores keeps one plan for both.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/** The conversation columns kept as facets; the facet's name is the column's. */
export const FACETS = ['language', 'bot_status'] as const;
export type Facet = (typeof FACETS)[number];

export async function createConversationFacets(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // PostgreSQL compares text by the database's locale, where punctuation may not order as bytes do; the language
  // filter reads a range (`en` up to `en.`: `en` and `en-*`), so the values are kept in byte order.
  const value = sql.raw(dialect === 'postgres' ? 'text collate "C" not null' : 'text not null');
  await sql`create table conversation_facets (
      conversation_id text not null references conversations (id) on delete cascade,
      facet text not null,
      value ${value},
      primary key (conversation_id, facet))`.execute(db);
  await sql`create index conversation_facets_value on conversation_facets (facet, value, conversation_id)`.execute(db);
  /** The facet rows of `row` (a trigger's `new`, or each row of `from`). */
  const rowsOf = (row: string, from = '') => sql.raw(FACETS.map((facet) => `select ${row}.id, '${facet}', ${row}.${facet}${from}`).join(' union all '));

  if (dialect === 'postgres') {
    const changed = FACETS.map(
      (facet) => `if new.${facet} is distinct from old.${facet} then
          update conversation_facets set value = new.${facet} where conversation_id = new.id and facet = '${facet}';
        end if;`,
    ).join('\n');
    await sql`create function conversation_facet_rows() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into conversation_facets (conversation_id, facet, value) ${rowsOf('new')};
        else
          ${sql.raw(changed)}
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_facet_rows after insert or update of ${sql.raw(FACETS.join(', '))} on conversations
      for each row execute function conversation_facet_rows()`.execute(db);
  } else {
    await sql`create trigger conversations_facet_rows_insert after insert on conversations begin
      insert into conversation_facets (conversation_id, facet, value) ${rowsOf('new')}; end`.execute(db);
    for (const facet of FACETS) {
      await sql`create trigger ${sql.raw(`conversations_facet_${facet}`)} after update of ${sql.raw(facet)} on conversations
        when new.${sql.raw(facet)} is not old.${sql.raw(facet)} begin
        update conversation_facets set value = new.${sql.raw(facet)} where conversation_id = new.id and facet = '${sql.raw(facet)}'; end`.execute(db);
    }
  }
  // The conversations stored before this migration.
  await sql`insert into conversation_facets (conversation_id, facet, value) ${rowsOf('c', ' from conversations c')}`.execute(db);
}
