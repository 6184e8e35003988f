/**
 * Team chat between agents: threads, their messages (stored exactly once per thread + client id) and
 * each agent's read position per thread, from which unread counts are derived.
 */
import type { Kysely } from 'kysely';
import type { TeamMessage } from '../../protocol/team.js';
import { type Db, isUniqueViolation } from './base.js';
import type { Database, TeamMessagesTable, TeamThreadsTable } from './schema.js';

/** A stored message: a `TeamMessage` without the key, which depends on who receives it. */
export type StoredTeamMessage = Omit<TeamMessage, 'threadKey'>;

export type NewTeamMessage = Omit<StoredTeamMessage, 'id'>;

type MessageRow = Omit<TeamMessagesTable, 'id'> & { id: number | string };

function toTeamMessage(row: MessageRow): StoredTeamMessage {
  return {
    id: Number(row.id),
    threadId: row.thread_id,
    clientId: row.client_id,
    agentId: row.agent_id,
    authorName: row.author_name,
    text: row.text,
    createdAt: row.created_at,
  };
}

/** A thread of one agent with their unread count. */
export type ThreadWithUnread = TeamThreadsTable & { unread: number };

export class TeamRepo {
  constructor(private readonly db: Kysely<Database>) {}

  thread(key: string, db: Db = this.db): Promise<TeamThreadsTable | undefined> {
    return db.selectFrom('team_threads').selectAll().where('key', '=', key).executeTakeFirst();
  }

  threadById(id: string): Promise<TeamThreadsTable | undefined> {
    return this.db.selectFrom('team_threads').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The thread with `row.key`, created if missing. Two concurrent first messages make one thread (unique key). */
  async ensureThread(row: TeamThreadsTable): Promise<TeamThreadsTable> {
    await this.db
      .insertInto('team_threads')
      .values(row)
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await this.thread(row.key);
    if (!stored) throw new Error(`team thread ${row.key} vanished`);
    return stored;
  }

  async findMessage(threadId: string, clientId: string, db: Db = this.db): Promise<StoredTeamMessage | undefined> {
    const row = await db.selectFrom('team_messages').selectAll().where('thread_id', '=', threadId).where('client_id', '=', clientId).executeTakeFirst();
    return row ? toTeamMessage(row) : undefined;
  }

  /**
   * Stores a message once: a resend of the same (thread, clientId) answers with the stored one. The author's
   * read position moves to their message in the same transaction (writing in a thread means having read it).
   */
  async send(input: NewTeamMessage): Promise<{ message: StoredTeamMessage; duplicate: boolean }> {
    const existing = await this.findMessage(input.threadId, input.clientId);
    if (existing) return { message: existing, duplicate: true };
    const values = {
      thread_id: input.threadId,
      client_id: input.clientId,
      agent_id: input.agentId,
      author_name: input.authorName,
      text: input.text,
      created_at: input.createdAt,
    };
    try {
      const id = await this.db.transaction().execute(async (tx) => {
        const inserted = await tx.insertInto('team_messages').values(values).returning('id').executeTakeFirstOrThrow();
        await this.markRead(input.threadId, input.agentId, Number(inserted.id), tx);
        return Number(inserted.id);
      });
      return { message: toTeamMessage({ id, ...values }), duplicate: false };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const stored = await this.findMessage(input.threadId, input.clientId);
      if (!stored) throw error;
      return { message: stored, duplicate: true };
    }
  }

  /** Moves the agent's read position forward to `upToId` (never back). */
  async markRead(threadId: string, agentId: string, upToId: number, db: Db = this.db): Promise<void> {
    await db
      .insertInto('team_reads')
      .values({ thread_id: threadId, agent_id: agentId, last_read_id: upToId })
      .onConflict((oc) =>
        oc
          .columns(['thread_id', 'agent_id'])
          .doUpdateSet((eb) => ({ last_read_id: eb.ref('excluded.last_read_id') }))
          .where((eb) => eb('team_reads.last_read_id', '<', eb.ref('excluded.last_read_id'))),
      )
      .execute();
  }

  /**
   * Unread counts of one thread for its agents (`all`: every enabled agent), in one query: messages by
   * others after the agent's read position and not older than the agent's account.
   */
  async unreadFor(threadId: string, agentIds: string[] | 'all'): Promise<Map<string, number>> {
    if (agentIds !== 'all' && agentIds.length === 0) return new Map();
    let query = this.db
      .selectFrom('agents as a')
      .leftJoin('team_reads as r', (join) => join.onRef('r.agent_id', '=', 'a.id').on('r.thread_id', '=', threadId))
      .leftJoin('team_messages as m', (join) =>
        join
          .on('m.thread_id', '=', threadId)
          .onRef('m.agent_id', '<>', 'a.id')
          .onRef('m.created_at', '>=', 'a.created_at')
          .on((eb) => eb('m.id', '>', eb.fn.coalesce('r.last_read_id', eb.lit(0)))),
      )
      .select((eb) => ['a.id', eb.fn.count<number | string>('m.id').as('n')])
      .where('a.disabled', '=', 0)
      .groupBy('a.id');
    if (agentIds !== 'all') query = query.where('a.id', 'in', agentIds);
    const rows = await query.execute();
    return new Map(rows.map((row) => [row.id, Number(row.n)]));
  }

  /** The team room and the agent's own threads, each with the agent's unread count. */
  async threadsOf(agentId: string, joinedAt: string): Promise<ThreadWithUnread[]> {
    const rows = await this.db
      .selectFrom('team_threads as t')
      .leftJoin('team_reads as r', (join) => join.onRef('r.thread_id', '=', 't.id').on('r.agent_id', '=', agentId))
      .leftJoin('team_messages as m', (join) =>
        join
          .onRef('m.thread_id', '=', 't.id')
          .on('m.agent_id', '<>', agentId)
          .on('m.created_at', '>=', joinedAt)
          .on((eb) => eb('m.id', '>', eb.fn.coalesce('r.last_read_id', eb.lit(0)))),
      )
      .where((eb) => eb.or([eb('t.kind', '=', 'team'), eb('t.agent_a', '=', agentId), eb('t.agent_b', '=', agentId)]))
      .select((eb) => ['t.id', 't.kind', 't.key', 't.agent_a', 't.agent_b', 't.created_at', eb.fn.count<number | string>('m.id').as('unread')])
      .groupBy(['t.id', 't.kind', 't.key', 't.agent_a', 't.agent_b', 't.created_at'])
      .execute();
    return rows.map((row) => ({ ...row, unread: Number(row.unread) }));
  }

  /** The newest message of each thread. */
  async lastMessages(threadIds: string[]): Promise<Map<string, StoredTeamMessage>> {
    if (threadIds.length === 0) return new Map();
    const newest = this.db
      .selectFrom('team_messages')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('thread_id', 'in', threadIds)
      .groupBy('thread_id');
    const rows = await this.db.selectFrom('team_messages').selectAll().where('id', 'in', newest).execute();
    return new Map(rows.map((row) => [row.thread_id, toTeamMessage(row)]));
  }

  /** Up to `limit` messages before `before` (newest page when absent), oldest first; `more` = older ones exist. */
  async page(threadId: string, before: number | undefined, limit: number): Promise<{ messages: StoredTeamMessage[]; more: boolean }> {
    let query = this.db
      .selectFrom('team_messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.execute();
    const more = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map(toTeamMessage), more };
  }
}
