/**
 * The first page of a list that starts from a filter's rows (inbox-queries.ts `#fewOf`), and its total: there are
 * fewer candidates than `few`, so each is read once and sorted, and the total counts them all. Also the counting up
 * to a bound and the capped total that every list page shares.
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { keyOf, type ListKey, type Listed } from './inbox-search.js';
import type { Dialect } from './migrations.js';
import type { ConversationsTable, Database } from './schema.js';

export interface ListPage {
  rows: ConversationsTable[];
  /** At most `countCap`, and then a lower bound. */
  total: number;
  totalIsLowerBound: boolean;
  more: boolean;
}

/** The keys of `candidates` in the list's order: few of them. */
export async function keysOf(candidates: Listed): Promise<ListKey[]> {
  const rows = await candidates.select(['c.id', 'c.last_activity_at']).orderBy('c.last_activity_at', 'desc').orderBy('c.id').execute();
  return rows.map(keyOf);
}

/**
 * `limit` candidates from `offset`, newest first, and their total up to `countCap`. Read as the other pages are (the
 * page, then the total), every candidate's row was looked up twice: a tag on 4,900 of 1,000,000 conversations took
 * 47 ms on SQLite.
 */
export function firstPageFromRows(
  db: Kysely<Database>,
  dialect: Dialect,
  candidates: Listed,
  limit: number,
  offset: number,
  countCap: number,
): Promise<ListPage> {
  return dialect === 'postgres' ? inOneStatement(db, candidates, limit, offset, countCap) : fromKeys(db, candidates, limit, offset, countCap);
}

/**
 * SQLite: the keys first, then the page's rows by id. A row changed between the two reads is listed as it is now, as
 * the next push would show it.
 */
async function fromKeys(db: Kysely<Database>, candidates: Listed, limit: number, offset: number, countCap: number): Promise<ListPage> {
  const keys = await keysOf(candidates);
  const page = keys.slice(offset, offset + limit + 1).map((key) => key.id);
  const rows = page.length === 0 ? [] : await db.selectFrom('conversations').selectAll().where('id', 'in', page).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const found = page.flatMap((id) => byId.get(id) ?? []);
  return cappedPage({ rows: found.slice(0, limit), total: keys.length, more: page.length > limit }, countCap);
}

/**
 * PostgreSQL: the page and the total in one statement (`count(*) over ()` counts the candidates before the limit).
 * The keys read first, as on SQLite, crossed the wire every time (1,667 for an agent who may see a twentieth of
 * 1,000,000), then the page was a second statement: p50 5.7 and p95 12.2 ms over 200 calls, against 5.6 and 8.6 in
 * one (docs/performance-history.md, session 40).
 */
async function inOneStatement(db: Kysely<Database>, candidates: Listed, limit: number, offset: number, countCap: number): Promise<ListPage> {
  const found = await candidates
    .selectAll('c')
    .select(sql<string>`count(*) over ()`.as('candidates_total'))
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.id')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  const first = found[0];
  // Past the last candidate no row is left to carry the count.
  const total = first ? Number(first.candidates_total) : offset > 0 ? await countUpTo(db, candidates.select('c.id'), countCap + 1) : 0;
  const rows = found.slice(0, limit).map(({ candidates_total: _, ...row }) => row);
  return cappedPage({ rows, total, more: found.length > limit }, countCap);
}

/** How many rows `matching` selects, counting no further than `limit`. */
export async function countUpTo<DB, TB extends keyof DB, O>(db: Kysely<Database>, matching: SelectQueryBuilder<DB, TB, O>, limit: number): Promise<number> {
  const row = await db
    .selectFrom(matching.limit(limit).as('matching'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The page with its total capped at `countCap`: past it, the total is a lower bound ("1,000+"). */
export function cappedPage(page: Omit<ListPage, 'totalIsLowerBound'>, countCap: number): ListPage {
  const over = page.total > countCap;
  return { ...page, total: over ? countCap : page.total, totalIsLowerBound: over };
}
