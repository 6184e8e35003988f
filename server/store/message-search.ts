/**
 * Full-text search over every message, behind one function for both databases: SQLite FTS5 (an external-content
 * index on messages, kept in step by triggers) and PostgreSQL text search (a generated tsvector column with a GIN
 * index). Both are created by migration 010_message_search (search-migration.ts).
 *
 * A query is cut into words (letters and digits; everything else separates them and is never passed through as
 * query syntax); each word matches as a word prefix: "refund" finds "refunds".
 * Case and, on SQLite, accents are ignored.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/** Most words of a query used for matching (a pasted paragraph searches by its start). */
const MAX_WORDS = 8;

export function searchWords(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
}

/**
 * SQL condition: every word of `query` is in some message of the conversation `c` (not necessarily the same message:
 * "parcel tracking" finds a conversation that said "parcel" first and "tracking number" later). Null when the query
 * has no words.
 */
export function conversationHasMessageMatching(dialect: Dialect, query: string): RawBuilder<SqlBool> | null {
  const words = searchWords(query);
  if (words.length === 0) return null;
  const each = words.map((word) =>
    dialect === 'postgres'
      ? // A quoted lexeme with a prefix marker: 'refund':*.
        sql<SqlBool>`c.id in (select m.conversation_id from messages m where m.search @@ to_tsquery('simple', ${`'${word}':*`}))`
      : // FTS5: a quoted string with a prefix marker: "refund"*.
        sql<SqlBool>`c.id in (select m.conversation_id from messages m where m.id in (select rowid from messages_fts where messages_fts match ${`"${word}"*`}))`,
  );
  return sql<SqlBool>`(${sql.join(each, sql` and `)})`;
}
