/**
 * Auto-assignment's queries: the queue, agents' loads under row locks, the conditional assignment,
 * and the presence marks (`offline_since`) that reassignment reads. Every write that decides who gets
 * a conversation re-checks its condition in the UPDATE, so with several hubs it happens once.
 */
import { type Kysely, type SqlBool, sql } from 'kysely';
import { type Db, jsonItemPattern } from './base.js';
import { type ConversationRecord, toConversation } from './mappers.js';
import type { Dialect } from './migrations.js';
import type { AgentsTable, Database } from './schema.js';

/** Who was responsible for a conversation when the choice was made: the assignment only applies if it still is. */
export interface Responsibility {
  holderId: string | null;
  assignees: string[];
}

export class AssignmentRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** The conversation, locked until the transaction ends (PostgreSQL), so one hub at a time decides about it. */
  async lockConversation(id: string, tx: Db): Promise<ConversationRecord | undefined> {
    const row = await tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  /**
   * The enabled agents among `ids`, locked until the transaction ends (PostgreSQL: `FOR UPDATE`, in id
   * order so two transactions never wait on each other in a cycle; SQLite: its one writer already
   * serialises). Whoever assigns to one of them next waits, then counts what this transaction committed.
   */
  async lockAgents(ids: string[], tx: Db): Promise<AgentsTable[]> {
    if (ids.length === 0) return [];
    return tx
      .selectFrom('agents')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .where('disabled', '=', 0)
      .orderBy('id')
      .$if(this.dialect === 'postgres', (q) => q.forUpdate())
      .execute();
  }

  /**
   * Open conversations each agent holds or is assigned to (what the cap and "balanced" count), from the rows kept
   * for open conversations (`conversation_agents`, migration 023): a read of each agent's index entries, not of every
   * open conversation.
   */
  async openCounts(agentIds: string[], db: Db = this.db): Promise<Map<string, number>> {
    const counts = new Map<string, number>(agentIds.map((id) => [id, 0]));
    if (agentIds.length === 0) return counts;
    const rows = await db
      .selectFrom('conversation_agents')
      .select((eb) => ['agent_id', eb.fn.countAll<number | string>().as('n')])
      .where('agent_id', 'in', [...new Set(agentIds)])
      .groupBy('agent_id')
      .execute();
    for (const row of rows) counts.set(row.agent_id, Number(row.n));
    return counts;
  }

  /**
   * Sets who is responsible, only if the conversation is still open and nobody changed its holder or
   * assignees since `expected` was read (another hub, an agent): undefined otherwise.
   */
  async assign(id: string, expected: Responsibility, next: Responsibility, tx: Db): Promise<ConversationRecord | undefined> {
    const row = await tx
      .updateTable('conversations')
      .set({ assignees: JSON.stringify(next.assignees), holder_id: next.holderId })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .where('assignees', '=', JSON.stringify(expected.assignees))
      .where((eb) => (expected.holderId === null ? eb('holder_id', 'is', null) : eb('holder_id', '=', expected.holderId)))
      .returningAll()
      .executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  async stampAssigned(agentId: string, at: string, tx: Db): Promise<void> {
    await tx.updateTable('agents').set({ last_assigned_at: at }).where('id', '=', agentId).execute();
  }

  /**
   * The queue, oldest first: open conversations nobody holds or is assigned to, that have not gone
   * inactive. Keyset-paged after `after` (created_at, id).
   */
  async queued(limit: number, after?: { createdAt: string; id: string }): Promise<ConversationRecord[]> {
    let query = this.db
      .selectFrom('conversations')
      .selectAll()
      .where('state', '=', 'open')
      .where('holder_id', 'is', null)
      .where('assignees', '=', '[]')
      .where('ticket_status', '!=', 'inactive');
    if (after) {
      query = query.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    }
    const rows = await query.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map(toConversation);
  }

  /** Open conversations `agentId` is assigned to, from the agent's rows of open conversations (migration 023). */
  async assignedTo(agentId: string): Promise<ConversationRecord[]> {
    // A cross join and SQLite's `+` keep SQLite starting from the agent's rows: without statistics it would rather read
    // every open conversation by the state index (inbox-queries.ts does the same).
    const rows = await this.db
      .selectFrom('conversation_agents as a')
      .crossJoin('conversations as c')
      .whereRef('c.id', '=', 'a.conversation_id')
      .selectAll('c')
      .where('a.agent_id', '=', agentId)
      .where(this.dialect === 'sqlite' ? sql<SqlBool>`+c.state = 'open'` : sql<SqlBool>`c.state = 'open'`)
      .where('c.assignees', 'like', jsonItemPattern(agentId))
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
    return rows.map(toConversation);
  }

  // ------------------------------------------------------------ presence marks

  /** A panel of the agent connected. */
  async markOnline(agentId: string): Promise<void> {
    await this.db.updateTable('agents').set({ offline_since: null }).where('id', '=', agentId).where('offline_since', 'is not', null).execute();
  }

  /** The agent's last panel closed (kept if already marked: the earliest moment counts). */
  async markOffline(agentId: string, at: string): Promise<void> {
    await this.db.updateTable('agents').set({ offline_since: at }).where('id', '=', agentId).where('offline_since', 'is', null).execute();
  }

  /**
   * Brings the marks in line with who is connected now: a hub that died never ran its agents'
   * disconnect handlers, and an agent who never connected has no mark yet.
   */
  async syncPresence(online: ReadonlySet<string>, at: string): Promise<void> {
    const ids = [...online];
    await this.db
      .updateTable('agents')
      .set({ offline_since: at })
      .where('offline_since', 'is', null)
      .$if(ids.length > 0, (q) => q.where('id', 'not in', ids))
      .execute();
    if (ids.length > 0)
      await this.db.updateTable('agents').set({ offline_since: null }).where('id', 'in', ids).where('offline_since', 'is not', null).execute();
  }

  /** Agents offline since `cutoff` or earlier. */
  async offlineSince(cutoff: string): Promise<string[]> {
    const rows = await this.db.selectFrom('agents').select('id').where('offline_since', '<=', cutoff).execute();
    return rows.map((r) => r.id);
  }
}
