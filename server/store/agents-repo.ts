/** Agents and their opaque tokens (only a token's SHA-256 is stored). */
import { randomUUID } from 'node:crypto';
import type { Db } from './base.js';
import type { Kysely } from 'kysely';
import type { AgentsTable, Database } from './schema.js';

/** Written later (auto-assignment: assignment-repo.ts; the escalation-email opt-in), not when an account is created. */
type AssignmentColumns = 'max_open' | 'last_assigned_at' | 'offline_since' | 'email_on_escalation';

export class AgentsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  get(id: string, db: Db = this.db): Promise<AgentsTable | undefined> {
    return db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Several agents in one query (list views). */
  async many(ids: string[]): Promise<Map<string, AgentsTable>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Enabled agents who asked for escalation emails. */
  escalationSubscribers(): Promise<AgentsTable[]> {
    return this.db.selectFrom('agents').selectAll().where('email_on_escalation', '=', 1).where('disabled', '=', 0).execute();
  }

  byEmail(email: string): Promise<AgentsTable | undefined> {
    return this.db.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  list(): Promise<AgentsTable[]> {
    return this.db.selectFrom('agents').selectAll().orderBy('name').execute();
  }

  async create(input: Omit<AgentsTable, 'id' | AssignmentColumns> & Partial<Pick<AgentsTable, AssignmentColumns>>): Promise<AgentsTable> {
    const row = {
      id: randomUUID(),
      max_open: null,
      last_assigned_at: null,
      offline_since: null,
      email_on_escalation: 0,
      ...input,
      email: input.email.toLowerCase(),
    };
    await this.db.insertInto('agents').values(row).execute();
    return row;
  }

  async update(id: string, changes: Partial<Omit<AgentsTable, 'id'>>): Promise<AgentsTable | undefined> {
    if (Object.keys(changes).length > 0) await this.db.updateTable('agents').set(changes).where('id', '=', id).execute();
    return this.get(id);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('agent_tokens').where('agent_id', '=', id).execute();
      await tx.updateTable('conversations').set({ holder_id: null, muted: 0, muted_at: null, muted_by: null }).where('holder_id', '=', id).execute();
      const result = await tx.deleteFrom('agents').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async insertToken(tokenHash: string, agentId: string, expiresAt: string): Promise<void> {
    await this.db.insertInto('agent_tokens').values({ token_hash: tokenHash, agent_id: agentId, expires_at: expiresAt, revoked: 0 }).execute();
  }

  /** The agent owning a live (unexpired, unrevoked) token whose account is enabled. */
  byToken(tokenHash: string, now: string): Promise<AgentsTable | undefined> {
    return this.db
      .selectFrom('agent_tokens as t')
      .innerJoin('agents as a', 'a.id', 't.agent_id')
      .selectAll('a')
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked', '=', 0)
      .where('t.expires_at', '>', now)
      .where('a.disabled', '=', 0)
      .executeTakeFirst();
  }

  async revokeToken(tokenHash: string): Promise<void> {
    await this.db.updateTable('agent_tokens').set({ revoked: 1 }).where('token_hash', '=', tokenHash).execute();
  }

  /** Ends every session of an agent (password reset, disable): a later re-enable does not revive them. */
  async revokeAllTokens(agentId: string): Promise<void> {
    await this.db.updateTable('agent_tokens').set({ revoked: 1 }).where('agent_id', '=', agentId).execute();
  }
}
