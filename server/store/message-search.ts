/**
 * Full-text search over every message, behind one set of SQL pieces for both databases: SQLite FTS5 (an
 * external-content index on messages, given new messages in batches: search-index.ts, which a search calls first)
 * and PostgreSQL text search (a generated tsvector column with a GIN index). Both are created by migration
 * 010_message_search (search-migration.ts); 017 made SQLite's batched (search-batches-migration.ts).
 *
 * A query is cut into words (letters and digits; everything else separates them and is never passed through as
 * query syntax); each word matches as a word prefix: "refund" finds "refunds".
 * Case and, on SQLite, accents are ignored.
 *
 * Two ways to ask, with opposite costs (inbox-search.ts picks): `conversationHasWord` checks one conversation's
 * messages (cheap per conversation, so for a few hundred recent ones), `conversationsWithWord` asks the index for
 * every conversation with the word (cheap for a rare word; a common one costs every message that has it, even
 * under a LIMIT: FTS5 merges the whole list of each term with the prefix, GIN builds its whole bitmap).
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/** Most words of a query used for matching (a pasted paragraph searches by its start). */
const MAX_WORDS = 8;

export function searchWords(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
}

/** FTS5: a quoted string with a prefix marker, "refund"*; PostgreSQL: a quoted lexeme with one, 'refund':*. */
const ftsPrefix = (word: string) => `"${word}"*`;
const tsPrefix = (word: string) => `'${word}':*`;

/** SQLite: the ids of the messages with `word` as a word prefix, from FTS5. */
const ftsMessages = (word: string) => sql`select rowid from messages_fts where messages_fts match ${ftsPrefix(word)}`;

/**
 * SQL condition on the message `m` (SQLite): it has `word` as a word prefix, exactly as FTS5 would answer.
 * FTS5 answers a single message no faster than the whole query (see above), so an ASCII word in an ASCII text is
 * checked on the text itself: there FTS5's unicode61 tokens are exactly the runs of [A-Za-z0-9], lower-cased, so
 * "a token starts with the word" is "the word follows a character that is not [a-z0-9] (or the start)".
 * length() counts characters up to the first NUL, cast-as-blob length counts bytes: equal only for ASCII without
 * NUL. Any other text asks FTS5 (the set is built once per statement, on first need).
 */
function sqliteMessageHasWord(word: string): RawBuilder<SqlBool> {
  const indexed = sql<SqlBool>`m.id in (${ftsMessages(word)})`;
  if (!/^[a-z0-9]+$/.test(word)) return indexed;
  return sql<SqlBool>`(case when length(m.text) = length(cast(m.text as blob)) then (' ' || lower(m.text)) glob ${`*[^a-z0-9]${word}*`} else ${indexed} end)`;
}

/** SQL condition on the conversation `c`: one of its messages has `word` as a word prefix (checked on its messages). */
export function conversationHasWord(dialect: Dialect, word: string): RawBuilder<SqlBool> {
  if (dialect === 'postgres') {
    // `offset 0` keeps it a check per conversation: PostgreSQL would otherwise hash every message with the word
    // (a GIN scan as long as the word is common) to test a few dozen conversations against it.
    return sql<SqlBool>`exists (select 1 from messages m where m.conversation_id = c.id and m.search @@ to_tsquery('simple', ${tsPrefix(word)}) offset 0)`;
  }
  return sql<SqlBool>`exists (select 1 from messages m where m.conversation_id = c.id and ${sqliteMessageHasWord(word)})`;
}

/** SQL subquery: the ids of the conversations with a message that has `word` as a word prefix (from the index). */
export function conversationsWithWord(dialect: Dialect, word: string): RawBuilder<unknown> {
  return dialect === 'postgres'
    ? sql`select m.conversation_id from messages m where m.search @@ to_tsquery('simple', ${tsPrefix(word)})`
    : sql`select m.conversation_id from messages m where m.id in (${ftsMessages(word)})`;
}
