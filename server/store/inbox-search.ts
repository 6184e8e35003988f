/**
 * The inbox search (`q`, see protocol/inbox.ts): a conversation matches when its contact's name or email contains
 * the query, or when every word of the query is a word prefix in some message of it (message-search.ts). The other
 * filters and visibility still apply; newest activity first; keyset pages.
 *
 * Sorting every match by last activity costs as much as there are matches, so a common word ("order", "thanks")
 * took hundreds of milliseconds at 100,000 conversations. Two plans, each fast where the other is slow:
 * - the walk: go down the list (newest first, an index) and check each conversation's messages. A common word
 *   fills the page within a few dozen conversations; a rare one would check them all, so the walk stops after
 *   `windows.page` conversations.
 * - the index: when the walk did not fill the page, the word is rare among recent conversations; read the
 *   conversations that have it from the full-text index (cheap when it is rare) and sort just those.
 * The total follows the page: exact when the index was read; after a walk, the matches among the latest
 * `windows.page` conversations, a lower bound when there are more (the panel shows "500+").
 */
import { type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { contactContains, escapeLike } from './base.js';
import { conversationHasWord, conversationsWithWord, searchWords } from './message-search.js';
import type { SearchIndex } from './search-index.js';
import type { Dialect } from './migrations.js';
import type { ContactsTable, ConversationsTable, Database } from './schema.js';

/** The list's conversations (filters and visibility applied), not yet ordered. */
export type Listed = SelectQueryBuilder<Database & { c: ConversationsTable }, 'c', object>;

/** The list's conversations with their contact joined as `k`, whose name and email a search matches. */
export type Candidates = SelectQueryBuilder<Database & { c: ConversationsTable; k: ContactsTable }, 'c' | 'k', object>;

/** A conversation's place in the list's order (last activity, newest first; then id). */
export interface ListKey {
  at: string;
  id: string;
}

export interface SearchWindows {
  /**
   * The walk looks for the page among this many conversations (after the cursor) before asking the index; after a
   * walk, the total counts the matches among this many conversations, the latest.
   */
  page: number;
  /** A list that is not a search counts its total no further than this (inbox-queries.ts: "1,000+"). */
  count: number;
  /** A look-up reads the ids of the conversations the index and the contacts name first, when they are this many at most. */
  named: number;
}

/**
 * Measured with bench/inbox.ts at 1,000,000 conversations: a walk of 500 where nothing matches takes SQLite 5–10 ms
 * and PostgreSQL about 6 ms. Counting the latest 1,000 after a walk took 8 and 15–30 ms more; a first page's walk now
 * counts its own 500 (session 32).
 */
export const SEARCH_WINDOWS: SearchWindows = { page: 500, count: 1000, named: 1000 };

/** The walk's column saying whether the conversation's contact matches (see #window). */
const WALKED_CONTACT = sql<SqlBool>`c.contact_match`;

/** Latest messages sampled to guess which word of a query is the rarest. */
const SAMPLE = 2000;

interface Page {
  limit: number;
  offset: number;
}

/** Where a search reads its candidates (`#fromQuery`, `#fromKeys`); after `key`, the keyset cursor, when one is given. */
interface Source {
  /** The candidates a window of the first `size` of them reads, not yet ordered (#window orders and limits). */
  window(size: number, key?: ListKey): Listed;
  /** How many candidates there are, counting no further than `limit`. */
  countUpTo(limit: number, key?: ListKey): Promise<number>;
  /** The candidates a look-up's `named` (a condition, or the ids it selects) may match. */
  among(named: RawBuilder<SqlBool> | string[], key?: ListKey): Listed;
}

export interface SearchResult {
  rows: ConversationsTable[];
  total: number;
  /** `total` counted only the matches among the latest `windows.page` conversations, or a list up to `windows.count`. */
  totalIsLowerBound: boolean;
  more: boolean;
}

/**
 * The list's order in JavaScript, newest activity first, then id: negative when `a` comes before `b`. Ids compare by
 * code point, as every collation orders UUIDs (hex digits, hyphens in the same places), so this agrees with the
 * database's keyset.
 */
export function listOrder(a: ListKey, b: ListKey): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A row's place in the list's order. */
export const keyOf = (row: Pick<ConversationsTable, 'id' | 'last_activity_at'>): ListKey => ({ at: row.last_activity_at, id: row.id });

/** Rows after `key` in the list's order (the first conjunct lets the database use the last-activity index). */
export function after(query: Listed, key: ListKey): Listed {
  return query.where((eb) => eb.and([eb('c.last_activity_at', '<=', key.at), eb.or([eb('c.last_activity_at', '<', key.at), eb('c.id', '>', key.id)])]));
}

/**
 * The conversations with their contact. An inner join, written as a cross join so that SQLite keeps conversations
 * outside (read in the list's order, each looking up its contact); with statistics it would rather read every contact
 * and sort their conversations. Only a search joins it: every conversation has its contact (a contact's deletion takes
 * its conversations), and a list that joined it anyway looked each one up for nothing, a third of the pages an agent's
 * list read on PostgreSQL at 1,000,000 conversations (docs/performance-history.md, session 30).
 */
export function withContact(listed: Listed): Candidates {
  return listed.crossJoin('contacts as k').whereRef('k.id', '=', 'c.contact_id');
}

export class InboxSearch {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly index: SearchIndex,
    private readonly windows: SearchWindows = SEARCH_WINDOWS,
  ) {}

  /**
   * @param candidates the list's conversations (after `key`, the keyset cursor, when one is given); or, when the list
   *   starts from few rows, their keys in the list's order (`keysOf`)
   */
  async list(
    candidates: ((key?: ListKey) => Listed) | ListKey[],
    q: string,
    page: { limit: number; offset: number; cursor: ListKey | undefined },
  ): Promise<SearchResult> {
    const words = searchWords(q);
    await this.index.catchUp(); // SQLite: the messages stored since the last batch (search-index.ts)
    const source = Array.isArray(candidates) ? this.#fromKeys(candidates) : this.#fromQuery(candidates);
    const walked = await this.#walk(source, q, words, page);
    if (!walked) return this.#lookUp(source, q, words, page);
    const { latest, ...found } = walked;
    return { ...found, ...(latest ?? (await this.#countLatest(source, q, words))) };
  }

  /** Candidates the database orders: each window sorts them afresh, each count reads them. */
  #fromQuery(candidates: (key?: ListKey) => Listed): Source {
    return {
      window: (_size, key) => candidates(key),
      countUpTo: (limit, key) => this.#count(candidates(key).select('c.id').limit(limit)),
      among: (named, key) => candidates(key).where(Array.isArray(named) ? this.#idAmong(named) : named),
    };
  }

  /**
   * Candidates given by their keys in the list's order: a window is the next keys, a count is theirs. An agent who may
   * see few starts from their rows (inbox-queries.ts), and each window and count of a query sorted all of them again:
   * the 1,667 open conversations of an agent who may see a twentieth at 1,000,000, four times a search (session 30).
   */
  #fromKeys(keys: ListKey[]): Source {
    const after = (key?: ListKey) => (key ? keys.filter((k) => listOrder(k, key) > 0) : keys);
    const of = (some: ListKey[]) => this.db.selectFrom('conversations as c').where(this.#idAmong(some.map((k) => k.id)));
    return {
      window: (size, key) => of(after(key).slice(0, size)),
      countUpTo: async (limit, key) => Math.min(after(key).length, limit),
      among: (named, key) => {
        if (!Array.isArray(named)) return of(after(key)).where(named);
        const ids = new Set(named);
        return of(after(key).filter((k) => ids.has(k.id)));
      },
    };
  }

  /**
   * The walk: the page among the next `windows.page` conversations of the list, each checked on its own messages.
   * Null when fewer than a page of them match and more conversations follow. `latest`: the total after a walk (see
   * `#countLatest`), when the walk's window was the latest conversations (a first page), so that it counted them too.
   */
  async #walk(
    source: Source,
    q: string,
    words: string[],
    page: Page & { cursor: ListKey | undefined },
  ): Promise<{ rows: ConversationsTable[]; more: boolean; latest?: { total: number; totalIsLowerBound: boolean } } | null> {
    const size = page.offset + this.windows.page;
    // A first page checks every conversation of its window (the count must), not only until the page is full: that
    // saved a second statement checking the same conversations again, its slowest part (session 32).
    const countsLatest = page.cursor === undefined && page.offset === 0;
    const walked = this.db
      .selectFrom(this.#window(source.window(size, page.cursor), q, size))
      .selectAll('c')
      .where(this.#matches(WALKED_CONTACT, words));
    const [rows, candidates] = await Promise.all([
      this.#ordered(countsLatest ? walked.select(sql<number | string>`count(*) over ()`.as('matched')) : walked, page),
      source.countUpTo(size + 1, page.cursor),
    ]);
    if (rows.length <= page.limit && candidates > size) return null;
    const found = { rows: rows.slice(0, page.limit).map(withoutWalkColumns), more: rows.length > page.limit };
    if (!countsLatest) return found;
    // No row: nothing of the window matched.
    const matched = rows[0] ? Number((rows[0] as { matched?: number | string }).matched ?? 0) : 0;
    return { ...found, latest: { total: matched, totalIsLowerBound: candidates > size } };
  }

  /**
   * The index: too few of the recent conversations match, so only those the full-text index (or the contact search)
   * names can; they are few enough to sort and count exactly.
   */
  async #lookUp(source: Source, q: string, words: string[], page: Page & { cursor: ListKey | undefined }): Promise<SearchResult> {
    const word = words.length === 0 ? undefined : await this.#rarest(words);
    const superset = this.#named(q, word);
    const named = (await this.#namedIds(superset)) ?? superset;
    const matching = (query: Listed) => withContact(query).where(this.#matches(contactContains('k', q), words));
    const [rows, total] = await Promise.all([
      this.#ordered(matching(source.among(named, page.cursor)).selectAll('c'), page),
      this.#count(matching(source.among(named)).select('c.id')),
    ]);
    return { rows: rows.slice(0, page.limit), total, totalIsLowerBound: false, more: rows.length > page.limit };
  }

  /**
   * The first `size` conversations of the list, newest activity first, with whether their contact matches: the walk
   * checks these and no more, however rare the word.
   */
  #window(query: Listed, q: string, size: number) {
    // The latest first, then each one's contact. Joined before the limit, every candidate's contact was looked up (the
    // 1,667 open conversations of an agent who may see a twentieth at 1,000,000, for a window of 500); joined after
    // it (or asked with `exists`), PostgreSQL hashed all 50,000 contacts for the 500 rows. A scalar subquery can only
    // be read one row at a time: 500 index reads.
    const latest = query.selectAll('c').orderBy('c.last_activity_at', 'desc').orderBy('c.id').limit(size).as('c');
    const contactMatch = sql<SqlBool>`coalesce((select ${contactContains('k', q)} from contacts k where k.id = c.contact_id), false)`;
    return this.db.selectFrom(latest).selectAll('c').select(contactMatch.as('contact_match')).as('c');
  }

  /** After a walk: the matches among the latest `windows.page` conversations, a lower bound if there are more. */
  async #countLatest(source: Source, q: string, words: string[]): Promise<{ total: number; totalIsLowerBound: boolean }> {
    const size = this.windows.page;
    const [row, scanned] = await Promise.all([
      this.db
        .selectFrom(this.#window(source.window(size), q, size))
        .select(sql<number | string | null>`sum(case when ${this.#matches(WALKED_CONTACT, words)} then 1 else 0 end)`.as('matched'))
        .executeTakeFirstOrThrow(),
      source.countUpTo(size + 1),
    ]);
    return { total: Number(row.matched ?? 0), totalIsLowerBound: scanned > size };
  }

  /** SQL condition on `c`: the search's meaning (see the top of this file), given whether its contact matches. */
  #matches(contact: RawBuilder<SqlBool>, words: string[]): RawBuilder<SqlBool> {
    if (words.length === 0) return contact;
    return sql<SqlBool>`(${contact} or (${sql.join(
      words.map((word) => conversationHasWord(this.dialect, word)),
      sql` and `,
    )}))`;
  }

  /**
   * SQL condition on `c`: its contact matches, or the index has `word` in one of its messages. A superset of the
   * matches, looked up by id.
   */
  #named(q: string, word: string | undefined): RawBuilder<SqlBool> {
    const contacts = sql`select k2.id from contacts k2 where ${contactContains('k2', q)}`;
    if (this.dialect === 'postgres') {
      // Arrays, so that each id is looked up in an index: PostgreSQL can't estimate how many a prefix query finds
      // (it guesses 2% of the messages) and would rather hash-join or scan every conversation.
      const byContact = sql<SqlBool>`c.contact_id = any(array(${contacts}))`;
      return word === undefined ? byContact : sql<SqlBool>`(${byContact} or c.id = any(array(${conversationsWithWord(this.dialect, word)})))`;
    }
    // One list: SQLite would scan the contacts twice for an OR of two.
    const ofContacts = sql`select cc.id from conversations cc where cc.contact_id in (${contacts})`;
    return sql<SqlBool>`c.id in (${word === undefined ? ofContacts : sql`${conversationsWithWord(this.dialect, word)} union all ${ofContacts}`})`;
  }

  /**
   * The ids of the conversations `named` selects, when there are at most `windows.named`; else null. Read once here, the
   * page and its total then look up just those: each had scanned the contacts for the query itself and, for an agent
   * who may see few, looked up every conversation they may see to check it against the names, 15 ms each at 1,000,000
   * conversations (docs/performance-history.md, session 30).
   */
  async #namedIds(named: RawBuilder<SqlBool>): Promise<string[] | null> {
    const rows = await this.db
      .selectFrom('conversations as c')
      .select('c.id')
      .where(named)
      .limit(this.windows.named + 1)
      .execute();
    return rows.length > this.windows.named ? null : rows.map((row) => row.id);
  }

  /** SQL condition on `c`: its id is one of `ids` (one parameter, so the statement's text is the same for any count). */
  #idAmong(ids: string[]): RawBuilder<SqlBool> {
    return this.dialect === 'postgres' ? sql<SqlBool>`c.id = any(${ids}::text[])` : sql<SqlBool>`c.id in (select value from json_each(${JSON.stringify(ids)}))`;
  }

  /**
   * The word of a query whose index list is likely the shortest: the one least often in the latest messages (a
   * substring count, only a guess; ties go to the longer word). Reading a common word's list is what to avoid.
   */
  async #rarest(words: string[]): Promise<string> {
    if (words.length === 1) return words[0] ?? '';
    const latest = this.db.selectFrom('messages').select('text').orderBy('id', 'desc').limit(SAMPLE).as('m');
    const seen = await this.db
      .selectFrom(latest)
      .select(
        words.map((word, i) =>
          sql<number | string | null>`sum(case when lower(m.text) like ${`%${escapeLike(word)}%`} escape '\\' then 1 else 0 end)`.as(`w${i}`),
        ),
      )
      .executeTakeFirstOrThrow();
    const times = (i: number) => Number((seen as Record<string, number | string | null>)[`w${i}`] ?? 0);
    const ranked = words.map((word, i) => ({ word, times: times(i) })).sort((a, b) => a.times - b.times || b.word.length - a.word.length);
    return ranked[0]?.word ?? '';
  }

  /** A page of `query` in the list's order, one row more than asked to tell whether more follow. */
  #ordered<Row>(query: SelectQueryBuilder<Database & { c: ConversationsTable }, 'c', Row>, page: Page): Promise<Row[]> {
    return query
      .orderBy('c.last_activity_at', 'desc')
      .orderBy('c.id')
      .limit(page.limit + 1)
      .offset(page.offset)
      .execute() as Promise<Row[]>;
  }

  /** The number of rows of `query`. */
  async #count(query: SelectQueryBuilder<Database, never, unknown>): Promise<number> {
    const row = await this.db
      .selectFrom(query.as('counted'))
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** A walked row without the walk's helper columns. */
function withoutWalkColumns({ contact_match: _, matched: __, ...row }: ConversationsTable & { contact_match: unknown; matched?: unknown }): ConversationsTable {
  return row;
}
