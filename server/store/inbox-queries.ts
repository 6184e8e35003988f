/**
 * The inbox's reads: the filtered, visibility-checked list and the rows behind the tab counts and
 * dashboard tiles. The filter means what protocol/inbox.ts says; inbox-views.test.ts holds both to it.
 */
import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { rangeEnd, rangeStart } from '../../protocol/inbox.js';
import type { ConversationFilter } from '../../protocol/types.js';
import { jsonItemPattern, type Viewer } from './base.js';
import { CountTotals } from './count-totals.js';
import { SearchIndex } from './search-index.js';
import { cappedPage, countUpTo, firstPageFromRows, keysOf, type ListPage } from './inbox-first-page.js';
import { after, InboxSearch, keyOf, type ListKey, type Listed, listOrder, SEARCH_WINDOWS, type SearchWindows } from './inbox-search.js';
import type { Facet } from './facets-migration.js';
import { WHOLE_TEAM } from './viewers-migration.js';
import { type Few, InboxConditions, type ListedEb, NONE_FEW, startsFromRows } from './inbox-conditions.js';
import type { Dialect } from './migrations.js';
import type { ConversationsTable, Database } from './schema.js';

export interface ListOptions extends Omit<ConversationFilter, 'cursor'> {
  /** Keyset pagination: the rows after this one in the list's order. */
  after?: ListKey;
  /** Conversations with older last activity are hidden unless `includeOld` or a search. */
  retentionCutoff: string;
  /** false: the caller counts the total (an inbox view's comes from the count groups); `total` is then 0. */
  countTotal?: boolean;
}

/** Conversations alike for every inbox view and dashboard tile, and how many there are (see countGroups). */
export interface CountGroup {
  state: string;
  outgoing: number;
  ticket_status: string;
  expired: number;
  /** 1: held by or assigned to the viewer. */
  mine: number;
  /** 1: nobody holds it and nobody is assigned. */
  unassigned: number;
  conversations: number;
  /** The sum of their unreplied counts. */
  unreplied: number;
}

/**
 * Below this many conversations with a tag (a contact tag, a language, a bot status), or visible to an agent, the list
 * starts from them: `#fewOf`.
 */
const FEW = 5_000;
/**
 * Mine's share of FEW. Its rows are the agent's open conversations only (migration 023), each one a match, while a
 * tag's rows are mostly closed conversations; so read in activity order the agent's are found sooner, and starting
 * from the rows pays sooner: at 1,000,000 conversations an agent with 1,667 open ones took 13 ms from the rows on
 * PostgreSQL (each row a lookup, then a sort) and 2 ms in order; one with three, 1 ms and 33–150 ms.
 */
const MINE_SHARE = 0.2;
/**
 * An agent's list starts from the rows of what they may see only when those are also under this share of the
 * conversations the list would read in activity order (those of the retention window, unless older ones are
 * included). Reading in order finds a denser set's page sooner: on a site of 4,000 conversations, all the team's, an
 * agent's list took 0.7 ms in order and 3.0 from the rows on SQLite, 1.8 and 10 on PostgreSQL (40 before its first
 * statistics).
 */
const VISIBLE_SHARE = 1 / 20;
/**
 * A page alone (an inbox tab, whose total comes from the count groups) reads in activity order only until it has its
 * page, so an agent's rows must be fewer for it to start from them than for a page with its total, which in order
 * reads every match up to the count's cap: this share of `few`. An agent who may see 1,666 of 130,000 open
 * conversations at 1,000,000 got the page alone in 2.8 ms in order and 26 ms from the rows on PostgreSQL (1.2 and 4.9
 * on SQLite); with its total, 45 ms in order and 19–32 from the rows on PostgreSQL.
 */
const VISIBLE_PAGE_SHARE = 0.2;
/**
 * How long a count of the conversations a list would read in order that reached its bound is trusted to reach it
 * still (`#sparselyVisible`). Counting 33,000 of them took 5 ms of an agent's 17 at 1,000,000 conversations on
 * PostgreSQL; conversations come faster than they go (retention, a deleted contact), and a count grown stale within a
 * minute only picks the slower of two plans that list the same rows.
 */
const COUNT_KEPT_MS = 60_000;

type ConversationEb = ExpressionBuilder<Database & { c: ConversationsTable }, 'c'>;

/** What a list's filter holds beside what selects conversations (the state's view is `listState`'s). */
const NOT_SELECTING = new Set<string>(['inbox', 'includeOld', 'retentionCutoff', 'limit', 'offset', 'after', 'cursor', 'countTotal']);

/** The list's order for the rows of two reads merged (inbox-search.ts `listOrder`). */
const newestFirst = (a: ConversationsTable, b: ConversationsTable) => listOrder(keyOf(a), keyOf(b));

/** The state of the conversations a list shows: closed ones in the Closed view, open ones in every other. */
type ListState = 'open' | 'closed';
const listState = (filter: Pick<ListOptions, 'inbox'>): ListState => (filter.inbox === 'closed' ? 'closed' : 'open');

export class InboxQueries {
  readonly #search: InboxSearch;
  /** The tab counts and tiles, kept by the database. */
  readonly totals: CountTotals;
  /** SQLite's full-text index, kept in batches. */
  readonly searchIndex: SearchIndex;
  /** The filter's conditions in SQL. */
  private readonly conditions: InboxConditions;
  /** `#sparselyVisible`'s counts that reached their bound, by what they counted: all conversations or the window's. */
  readonly #reached = new Map<'all' | 'window', { atLeast: number; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly windows: SearchWindows = SEARCH_WINDOWS,
    /** Below this many matching conversations a filter kept as rows starts from them (`#fewOf`). */
    private readonly few = FEW,
    /** An agent's visible conversations must also be under this share of all conversations (`#sparselyVisible`). */
    private readonly visibleShare = VISIBLE_SHARE,
  ) {
    this.searchIndex = new SearchIndex(db, dialect);
    this.conditions = new InboxConditions(db, dialect);
    this.#search = new InboxSearch(db, dialect, this.searchIndex, windows);
    this.totals = new CountTotals(db, dialect);
  }

  /**
   * SQL condition: the agent may see the conversation (team-wide, or listed in its `visible_to`); `few`: from the
   * rows of those they may see in the list's state (migrations 024 and 025), else from the conversation's own column.
   */
  #visible(eb: ConversationEb, viewer: Viewer, few: boolean, state: ListState) {
    if (few) return this.conditions.among('c.id', this.#viewable(viewer, state));
    return eb.or([eb('c.visible_to', '=', '[]'), eb('c.visible_to', 'like', jsonItemPattern(viewer.id))]);
  }

  /** The conversations in `state` an agent may see, from their rows: the team-wide ones and those listing the agent. */
  #viewable(viewer: Viewer, state: ListState) {
    return this.db
      .selectFrom('conversation_viewers as w')
      .select('w.conversation_id')
      .where('w.viewer', 'in', [WHOLE_TEAM, viewer.id])
      .where('w.state', '=', state);
  }

  /**
   * The filtered, visibility-checked page; a search (`q`) is inbox-search.ts's. The total counts at most
   * `windows.count` conversations and is then a lower bound ("1,000+"): a year of a busy site has 80,000 in the
   * default view, and counting them all cost SQLite 40 ms of row reads per page at 1,000,000 conversations.
   */
  async list(viewer: Viewer, filter: ListOptions): Promise<ListPage> {
    const limit = filter.limit ?? 50;
    const offset = filter.after ? 0 : (filter.offset ?? 0);
    const closedOfAgent = viewer.role !== 'admin' && listState(filter) === 'closed';
    if (closedOfAgent && !filter.q && !filter.contactId && !filter.tag && !filter.contactTag && !filter.language && !filter.botStatus) {
      return this.#closedFromViewerRows(viewer, filter, limit, offset);
    }
    const few = await this.#fewOf(viewer, filter);
    const candidates = (key?: ListKey) => {
      const all = this.#candidates(viewer, filter, few);
      return key ? after(all, key) : all;
    };
    if (filter.q) {
      // Few candidates on SQLite: their keys, read once in the list's order (inbox-search.ts `#fromKeys`). On
      // PostgreSQL reading them cost about what it saved (2–3 ms more at the median, session 30).
      const keys = this.dialect === 'sqlite' && startsFromRows(few) ? await keysOf(candidates()) : null;
      return this.#search.list(keys ?? candidates, filter.q, { limit, offset, cursor: filter.after });
    }
    if (!filter.after && filter.countTotal !== false && startsFromRows(few))
      return firstPageFromRows(this.db, this.dialect, candidates(), limit, offset, this.windows.count);
    const [found, count] = await Promise.all([
      candidates(filter.after)
        .selectAll('c')
        .orderBy('c.last_activity_at', 'desc')
        .orderBy('c.id')
        .limit(limit + 1)
        .offset(offset)
        .execute(),
      filter.countTotal === false
        ? { n: 0 }
        : viewer.role !== 'admin' && this.#countedByRows(filter)
          ? this.#count(this.#rowsInState(viewer, filter), this.windows.count + 1).then((n) => ({ n }))
          : this.db
              .selectFrom(
                candidates()
                  .select('c.id')
                  // Unordered, a count read the matches oldest first (SQLite by its plan, PostgreSQL in the table's
                  // order), so a filter whose matches are recent (as open conversations mostly are) read the year's old
                  // ones before them. Within a window of activity PostgreSQL's statistics plan the count better
                  // unordered (a contact tag's took 3× as long in the list's order); without one (older conversations
                  // included), an agent who may see a twentieth of 1,000,000 read nearly all of them, 220 ms, against
                  // about 20 newest first.
                  .$if(this.dialect === 'sqlite' || (filter.includeOld === true && !filter.from), (q) => q.orderBy('c.last_activity_at', 'desc'))
                  .limit(this.windows.count + 1)
                  .as('counted'),
              )
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow(),
    ]);
    return cappedPage({ rows: found.slice(0, limit), total: Number(count.n), more: found.length > limit }, this.windows.count);
  }

  /**
   * An agent's closed conversations, unless searched or filtered by a facet kept as rows (which starts from those), from
   * their viewer rows in activity order (migration 026): the whole team's rows and the agent's own, each read newest
   * first until the page and merged, each counted up to the cap. Every row read is one the agent may see, so this reads
   * no more than activity order across all conversations would, and far less for an agent who may see few. At
   * 1,000,000 conversations, an agent who may see 4,932 closed ones waited 49 ms on SQLite and 66 on PostgreSQL (p50)
   * while their rows were read unordered, each looked up, then sorted; one who may see 48,333, 21 and 40 ms while
   * every conversation was read in activity order. From the rows in order: 0.8–0.9 and 4.5–4.9 ms.
   */
  async #closedFromViewerRows(viewer: Viewer, filter: ListOptions, limit: number, offset: number) {
    const rowKeys = [WHOLE_TEAM, viewer.id];
    const wanted = offset + limit + 1;
    const [pages, counts] = await Promise.all([
      Promise.all(rowKeys.map((rowsOf) => this.#closedRowsOf(viewer, rowsOf, filter, filter.after).selectAll('c').limit(wanted).execute())),
      filter.countTotal === false
        ? [0]
        : this.#countedByRows(filter)
          ? this.#count(this.#rowsInState(viewer, filter), this.windows.count + 1).then((n) => [n])
          : Promise.all(rowKeys.map((rowsOf) => this.#count(this.#closedRowsOf(viewer, rowsOf, filter).select('c.id'), this.windows.count + 1))),
    ]);
    const page = pages.flat().sort(newestFirst).slice(offset, wanted);
    const counted = counts.reduce((sum, n) => sum + n, 0);
    return cappedPage({ rows: page.slice(0, limit), total: counted, more: page.length > limit }, this.windows.count);
  }

  /**
   * The closed conversations of one viewer key's rows (`rowsOf`: the agent, or WHOLE_TEAM) the filter selects, in the
   * list's order; after `key` when one is given.
   */
  #closedRowsOf(viewer: Viewer, rowsOf: string, filter: ListOptions, key?: ListKey) {
    // A cross join keeps the rows outside on SQLite, read by their index in the list's order.
    const rows = this.db
      .selectFrom('conversation_viewers as w')
      .crossJoin('conversations as c')
      .whereRef('c.id', '=', 'w.conversation_id')
      .where('w.viewer', '=', rowsOf)
      .where('w.state', '=', 'closed')
      .where((eb) => eb.and(this.conditions.of(eb as unknown as ListedEb, viewer, filter, NONE_FEW, sql<string>`w.last_activity_at`)))
      .orderBy('w.last_activity_at', 'desc')
      .orderBy('w.conversation_id');
    if (!key) return rows;
    return rows.where((eb) =>
      eb.and([eb('w.last_activity_at', '<=', key.at), eb.or([eb('w.last_activity_at', '<', key.at), eb('w.conversation_id', '>', key.id)])]),
    );
  }

  /**
   * Whether an agent's list counts their viewer rows alone (no conversation looked up): when the filter selects by
   * nothing but the list's state and, for a closed list, its dates (closed rows carry their activity: migration 026). An
   * open list must include older conversations, its rows having no activity to check the retention window by. Each
   * conversation has its rows (the triggers keep them) and its contact (every write path keeps one), so this counts what
   * the list shows. Any other key selects (a filter added later counts through the conversations until listed here).
   */
  #countedByRows(filter: ListOptions): boolean {
    const selecting = Object.entries(filter)
      .filter(([key, value]) => value !== undefined && !NOT_SELECTING.has(key))
      .map(([key]) => key);
    if (listState(filter) === 'closed') return selecting.every((key) => key === 'from' || key === 'to');
    return selecting.length === 0 && filter.includeOld === true && (filter.inbox ?? 'all') === 'all';
  }

  /** The agent's viewer rows in the list's state; a closed list's within its dates. */
  #rowsInState(viewer: Viewer, filter: ListOptions) {
    let rows = this.#viewable(viewer, listState(filter));
    if (listState(filter) !== 'closed') return rows;
    if (!filter.includeOld) rows = rows.where('w.last_activity_at', '>=', filter.retentionCutoff);
    if (filter.from) rows = rows.where('w.last_activity_at', '>=', rangeStart(filter.from));
    if (filter.to) rows = rows.where('w.last_activity_at', '<', rangeEnd(filter.to));
    return rows;
  }

  /**
   * Which of the filters kept as rows of their own (a tag and Mine: migration 020; a language and a bot status:
   * migration 021; a contact tag; what an agent may see: migration 024) select fewer than `few` conversations (Mine:
   * its share, MINE_SHARE): the list then starts from those rows (an index) and sorts them, instead of reading
   * conversations in activity order and checking each. Neither way suits both: starting from the 114,000 conversations
   * of a common tag took 180 ms at 1,000,000, and reading in order for a tag on three of them read them all, 250 ms
   * (docs/performance-history.md, session 21). Counting stops at `few`.
   */
  async #fewOf(viewer: Viewer, filter: ListOptions): Promise<Few> {
    const facet = (name: Facet, value: string | undefined) => (value ? this.#few(this.conditions.withFacet(name, value)) : false);
    const [tag, contactTag, mine, language, botStatus, visible] = await Promise.all([
      filter.tag ? this.#few(this.db.selectFrom('conversation_tags').select('conversation_id').where('tag', '=', filter.tag)) : false,
      filter.contactTag
        ? this.#few(
            this.db
              .selectFrom('contact_tags as t')
              .innerJoin('conversations as c', 'c.contact_id', 't.contact_id')
              .select('c.id')
              .where('t.tag', '=', filter.contactTag),
          )
        : false,
      filter.inbox === 'mine'
        ? this.#few(this.db.selectFrom('conversation_agents').select('conversation_id').where('agent_id', '=', viewer.id), Math.round(this.few * MINE_SHARE))
        : false,
      facet('language', filter.language),
      facet('bot_status', filter.botStatus),
      viewer.role === 'admin' ? false : this.#sparselyVisible(viewer, filter),
    ]);
    return { tag, contactTag, mine, language, botStatus, visible };
  }

  async #few<DB, TB extends keyof DB, O>(matching: SelectQueryBuilder<DB, TB, O>, few = this.few): Promise<boolean> {
    return (await this.#count(matching, few)) < few;
  }

  /**
   * Whether the agent may see fewer than `few` conversations in the list's state (the page alone of the view of all
   * of them: its share, VISIBLE_PAGE_SHARE), and under `visibleShare` of those the list would read in activity order
   * (VISIBLE_SHARE). Another view's page may have few matches or none among those the agent may see (on a site that
   * restricts each conversation to the agent it is assigned to, Unassigned has none), and read in order it read every
   * open conversation of the year looking for them: 110 ms on PostgreSQL at 1,000,000 (docs/performance-history.md, session 30).
   */
  async #sparselyVisible(viewer: Viewer, filter: ListOptions): Promise<boolean> {
    const pageOfAll = filter.countTotal === false && (filter.inbox ?? 'all') === 'all';
    const few = pageOfAll ? Math.round(this.few * VISIBLE_PAGE_SHARE) : this.few;
    const visible = await this.#count(this.#viewable(viewer, listState(filter)), few);
    if (visible >= few) return false;
    const enough = Math.ceil(visible / this.visibleShare);
    const windowed = !filter.includeOld && !filter.q;
    const scope = windowed ? 'window' : 'all';
    const now = performance.now();
    const known = this.#reached.get(scope);
    const stillKnown = known !== undefined && known.until > now ? known.atLeast : 0;
    if (stillKnown >= enough) return true;
    const inOrder = this.db
      .selectFrom('conversations')
      .select('id')
      .$if(windowed, (q) => q.where('last_activity_at', '>=', filter.retentionCutoff));
    if ((await this.#count(inOrder, enough)) < enough) return false;
    this.#reached.set(scope, { atLeast: Math.max(stillKnown, enough), until: now + COUNT_KEPT_MS });
    return true;
  }

  /** How many rows `matching` selects, counting no further than `limit`. */
  #count<DB, TB extends keyof DB, O>(matching: SelectQueryBuilder<DB, TB, O>, limit: number): Promise<number> {
    return countUpTo(this.db, matching, limit);
  }

  /**
   * The conversations the filter selects, all but its search `q` (inbox-search.ts, which joins their contacts).
   * `few`: the filters that start from their rows (`#fewOf`).
   */
  #candidates(viewer: Viewer, filter: ListOptions, few: Few): Listed {
    // SQLite's `+` keeps a column's index out of the plan. A search has no retention cutoff to bound the rows, and
    // SQLite would then read every open conversation by the state index and sort them; `+` keeps it on the
    // last-activity index, newest first (inbox-search.ts). A filter that starts from its rows (`few`) must, a search's
    // too: without statistics SQLite would rather read the state's conversations in order and check each against them.
    const fromRows = this.dialect === 'sqlite' && startsFromRows(few);
    const state = listState(filter);
    return this.db
      .selectFrom('conversations as c')
      .where((eb) =>
        eb.and([
          ...(viewer.role === 'admin' ? [] : [this.#visible(eb as unknown as ConversationEb, viewer, few.visible, state)]),
          (filter.q || fromRows) && this.dialect === 'sqlite' ? sql<SqlBool>`+c.state = ${state}` : eb('c.state', '=', state),
          ...this.conditions.of(eb, viewer, filter, few, fromRows ? sql<string>`+c.last_activity_at` : sql<string>`c.last_activity_at`),
        ]),
      );
  }

  /**
   * The visitor languages of the conversations the viewer may see within the retention window, most used first
   * (from the totals the database keeps, count-totals.ts).
   */
  async languages(viewer: Viewer, retentionCutoff: string): Promise<{ language: string; count: number }[]> {
    const rows = await this.totals.languages(viewer, retentionCutoff);
    return rows.sort((a, b) => b.count - a.count || (a.language < b.language ? -1 : a.language > b.language ? 1 : 0));
  }

  /**
   * The rows behind counts and tiles: the conversations visible to the viewer within the retention window, grouped
   * by everything the views and tiles depend on (a few dozen groups), from the totals the database keeps (count-totals.ts).
   */
  countGroups(viewer: Viewer, retentionCutoff: string): Promise<CountGroup[]> {
    return this.totals.groups(viewer, retentionCutoff);
  }
}
