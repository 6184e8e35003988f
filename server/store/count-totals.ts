/**
 * The tab counts, tiles and language choices at any size (migrations count-totals-migration.ts and
 * language-totals-migration.ts): a viewer's groups are read from the totals per day and key, the deltas not folded
 * in yet, and — for the day the retention cutoff falls in, which only counts in part — that day's conversations
 * themselves. At 1,000,000 conversations that is a few thousand rows instead of the 80,000 conversations of a
 * year's 30-day window, grouped.
 */
import { type Kysely, sql } from 'kysely';
import type { Viewer } from './base.js';
import { jsonItemPattern } from './base.js';
import { COUNT_KEY } from './count-totals-migration.js';
import { LANGUAGE_KEY } from './language-totals-migration.js';
import type { CountGroup } from './inbox-queries.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/** A count the database keeps: its deltas' and totals' tables, the columns it is kept by and the summed ones. */
interface Kept {
  deltas: string;
  totals: string;
  key: readonly string[];
  values: readonly string[];
}

const KEPT: Kept[] = [
  { deltas: 'inbox_count_deltas', totals: 'inbox_count_totals', key: COUNT_KEY, values: ['conversations', 'unreplied'] },
  { deltas: 'inbox_language_deltas', totals: 'inbox_language_totals', key: LANGUAGE_KEY, values: ['conversations'] },
];
/** Most deltas one SQLite transaction folds (see `#fold`). */
export const FOLD_CHUNK = 500;
const COLUMNS = sql.raw('state, outgoing, ticket_status, expired, holder_id, assignees, visible_to, conversations, unreplied');

/** The first instant of the next UTC day after an ISO date-time's day, as ISO text compares. */
const nextDay = (iso: string): string => new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

export class CountTotals {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** The viewer's conversations with last activity since `retentionCutoff`, grouped as inbox-queries.ts `CountGroup`. */
  async groups(viewer: Viewer, retentionCutoff: string): Promise<CountGroup[]> {
    const day = retentionCutoff.slice(0, 10);
    const mine = jsonItemPattern(viewer.id);
    const visible = viewer.role === 'admin' ? sql`1 = 1` : sql`(c.visible_to = '[]' or c.visible_to like ${mine})`;
    const { rows } = await sql<CountGroup>`select c.state as state, c.outgoing as outgoing, c.ticket_status as ticket_status, c.expired as expired,
        case when c.holder_id = ${viewer.id} or c.assignees like ${mine} then 1 else 0 end as mine,
        case when c.holder_id = '' and c.assignees = '[]' then 1 else 0 end as unassigned,
        sum(c.conversations) as conversations, sum(c.unreplied) as unreplied
      from (
        select ${COLUMNS} from inbox_count_totals where day > ${day}
        union all
        select ${COLUMNS} from inbox_count_deltas where day > ${day}
        union all
        select state, outgoing, ticket_status, expired, coalesce(holder_id, ''), assignees, visible_to, 1, unreplied_count
          from conversations where last_activity_at >= ${retentionCutoff} and last_activity_at < ${nextDay(retentionCutoff)}
      ) c
      where ${visible}
      group by 1, 2, 3, 4, 5, 6
      having sum(c.conversations) > 0`.execute(this.db);
    return rows.map((r) => ({
      ...r,
      conversations: Number(r.conversations),
      unreplied: Number(r.unreplied),
      outgoing: Number(r.outgoing),
      expired: Number(r.expired),
      mine: Number(r.mine),
      unassigned: Number(r.unassigned),
    }));
  }

  /**
   * Folds the deltas into the totals (the tab counts', then the languages'); resolves how many groups it changed.
   * Every hub runs it every second: on PostgreSQL one statement per table moves what its snapshot sees (a writer
   * still in flight keeps its rows for the next run) and an advisory lock lets one hub at a time do it; SQLite has
   * one writer.
   */
  async compact(): Promise<number> {
    let changed = 0;
    for (const kept of KEPT) changed += await this.#fold(kept);
    return changed;
  }

  async #fold({ deltas, totals, key, values }: Kept): Promise<number> {
    const table = { deltas: sql.table(deltas), totals: sql.table(totals) };
    const keyColumns = sql.raw(key.join(', '));
    const valueColumns = sql.raw(values.join(', '));
    const sums = sql.raw(values.map((v) => `sum(${v})`).join(', '));
    const add = sql.raw(values.map((v) => `${v} = ${totals}.${v} + excluded.${v}`).join(', '));
    if (this.dialect === 'postgres') {
      return this.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${`switchboard.${totals}`})) as locked`.execute(tx);
        if (!rows[0]?.locked) return 0;
        const moved = await sql`with moved as (delete from ${table.deltas} returning ${keyColumns}, ${valueColumns})
          insert into ${table.totals} (${keyColumns}, ${valueColumns})
          select ${keyColumns}, ${sums} from moved group by ${keyColumns}
          on conflict (${keyColumns}) do update set ${add}`.execute(tx);
        return Number(moved.numAffectedRows ?? 0);
      });
    }
    // SQLite: in chunks of FOLD_CHUNK deltas, each its own transaction, yielding between them: the hub's one
    // connection is held while a chunk runs (a second's deltas in one go took about 5 ms at 2,000 messages a second).
    let changed = 0;
    for (;;) {
      // The first statement writes, so the transaction holds SQLite's write lock from its start (one that read first
      // could not write after another connection had); no delta can arrive between the two statements, and both
      // name the same deltas.
      const upTo = sql`(select max(id) from (select id from ${table.deltas} order by id limit ${FOLD_CHUNK}))`;
      const { groups, folded } = await this.db.transaction().execute(async (tx) => {
        // `where` before `on conflict`: SQLite's documented way to tell an upsert from a join's `on`.
        const moved = await sql`insert into ${table.totals} (${keyColumns}, ${valueColumns})
          select ${keyColumns}, ${sums} from ${table.deltas} where id <= ${upTo} group by ${keyColumns}
          on conflict (${keyColumns}) do update set ${add}`.execute(tx);
        const deleted = await sql`delete from ${table.deltas} where id <= ${upTo}`.execute(tx);
        return { groups: Number(moved.numAffectedRows ?? 0), folded: Number(deleted.numAffectedRows ?? 0) };
      });
      changed += groups;
      if (folded < FOLD_CHUNK) return changed;
      await new Promise((resolve) => setImmediate(resolve)); // the messages waiting for the connection go first
    }
  }

  /** The visitor languages of the viewer's conversations with last activity since `retentionCutoff`, with counts. */
  async languages(viewer: Viewer, retentionCutoff: string): Promise<{ language: string; count: number }[]> {
    const day = retentionCutoff.slice(0, 10);
    const visible = viewer.role === 'admin' ? sql`1 = 1` : sql`(c.visible_to = '[]' or c.visible_to like ${jsonItemPattern(viewer.id)})`;
    const { rows } = await sql<{ language: string; n: number | string }>`select c.language as language, sum(c.conversations) as n
      from (
        select language, visible_to, conversations from inbox_language_totals where day > ${day}
        union all
        select language, visible_to, conversations from inbox_language_deltas where day > ${day}
        union all
        select language, visible_to, 1 from conversations
          where last_activity_at >= ${retentionCutoff} and last_activity_at < ${nextDay(retentionCutoff)}
      ) c
      where ${visible}
      group by c.language
      having sum(c.conversations) > 0`.execute(this.db);
    return rows.map((row) => ({ language: row.language, count: Number(row.n) }));
  }

  /** Drops the groups left empty (conversations moved on to a later day or state): the sweeper's job. */
  async prune(): Promise<void> {
    await sql`delete from inbox_count_totals where conversations = 0 and unreplied = 0`.execute(this.db);
    await sql`delete from inbox_language_totals where conversations = 0`.execute(this.db);
  }
}
