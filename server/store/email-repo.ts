/**
 * Email continuity's tables: the per-conversation threads (reply token, the replies waiting to be emailed) and the
 * outbound queue. The queue is claimed like the webhook deliveries (webhooks-repo.ts): one conditional UPDATE picks
 * due mails (pending and due, or sending with an expired lease), leased to one worker under a random token; only the
 * token's holder records the outcome. So with several hubs on one database each mail is sent by one of them at a time.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Db } from './base.js';
import type { Dialect } from './migrations.js';
import type { Database, EmailOutboxTable, EmailThreadsTable } from './schema.js';

type OutboxEb = ExpressionBuilder<Database, 'email_outbox'>;

const due =
  (now: string) =>
  (eb: OutboxEb): Expression<SqlBool> =>
    eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<=', now)])]);

export class EmailRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  // ------------------------------------------------------------ threads

  thread(conversationId: string, db: Db = this.db): Promise<EmailThreadsTable | undefined> {
    return db.selectFrom('email_threads').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
  }

  threadByToken(token: string): Promise<EmailThreadsTable | undefined> {
    return this.db.selectFrom('email_threads').selectAll().where('token', '=', token).executeTakeFirst();
  }

  /**
   * The conversation's thread, created with `fresh` when it has none (two hubs at once: the first insert wins, the
   * other reads it back).
   */
  async ensureThread(fresh: EmailThreadsTable): Promise<EmailThreadsTable> {
    await this.db
      .insertInto('email_threads')
      .values(fresh)
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .execute();
    const row = await this.thread(fresh.conversation_id);
    if (!row) throw new Error(`email thread of ${fresh.conversation_id} vanished`);
    return row;
  }

  /** Makes the thread due at `dueAt` unless it is due already (the first unseen reply's time holds). */
  async schedule(conversationId: string, dueAt: string): Promise<void> {
    await this.db.updateTable('email_threads').set({ due_at: dueAt }).where('conversation_id', '=', conversationId).where('due_at', 'is', null).execute();
  }

  /** Threads due at `now`, earliest first. */
  async dueThreads(now: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('email_threads').select('conversation_id').where('due_at', '<=', now).orderBy('due_at').limit(limit).execute();
    return rows.map((row) => row.conversation_id);
  }

  /**
   * Takes a thread due at `now` in `tx`: one conditional UPDATE (due → not due) that returns it, so of several hubs
   * exactly one gets it, and the row stays locked until `tx` ends (a reply scheduled meanwhile waits, then sees it not
   * due and schedules it anew). A first statement that writes: SQLite takes its write lock at once.
   */
  takeDue(conversationId: string, now: string, tx: Db): Promise<EmailThreadsTable | undefined> {
    return tx
      .updateTable('email_threads')
      .set({ due_at: null })
      .where('conversation_id', '=', conversationId)
      .where('due_at', '<=', now)
      .returningAll()
      .executeTakeFirst();
  }

  async updateThread(conversationId: string, changes: Partial<Omit<EmailThreadsTable, 'conversation_id'>>, db: Db = this.db): Promise<void> {
    await db.updateTable('email_threads').set(changes).where('conversation_id', '=', conversationId).execute();
  }

  // ------------------------------------------------------------ the outbox

  async enqueue(rows: EmailOutboxTable[], db: Db = this.db): Promise<void> {
    if (rows.length > 0) await db.insertInto('email_outbox').values(rows).execute();
  }

  /** A conversation's mails, oldest first (tests, the GDPR export's completeness checks). */
  mailsOf(conversationId: string): Promise<EmailOutboxTable[]> {
    return this.db.selectFrom('email_outbox').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();
  }

  /** Claims up to `limit` due mails for one worker (the same single statement as webhooks-repo.ts `claimDue`). */
  claimDue(now: string, leaseUntil: string, token: string, limit: number): Promise<EmailOutboxTable[]> {
    return this.db
      .with(
        (cte) => cte('due_mails').materialized(),
        (db) =>
          db
            .selectFrom('email_outbox')
            .select('id')
            .where(due(now))
            .orderBy('next_attempt_at')
            .limit(limit)
            .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
      )
      .updateTable('email_outbox')
      .set({ status: 'sending', lease_until: leaseUntil, lease_token: token })
      .where('id', 'in', (eb) => eb.selectFrom('due_mails').select('due_mails.id'))
      .where(due(now))
      .returningAll()
      .execute();
  }

  /** Records an attempt's outcome, only if this worker's claim (`token`) still holds it. */
  async finish(id: string, token: string, changes: Partial<EmailOutboxTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('email_outbox')
      .set({ ...changes, lease_until: null, lease_token: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('lease_token', '=', token)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Mails waiting or being sent (the queue-depth gauge). */
  async depth(): Promise<number> {
    const row = await this.db
      .selectFrom('email_outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', 'in', ['pending', 'sending'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Removes sent and failed mails created before `cutoff` (they hold message text). */
  async prune(cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom('email_outbox').where('status', 'in', ['sent', 'failed']).where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** Erasure: the conversations' threads and queued or sent mails go with them (inside the caller's transaction). */
export async function forgetEmails(tx: Db, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await tx.deleteFrom('email_threads').where('conversation_id', 'in', conversationIds).execute();
  await tx.deleteFrom('email_outbox').where('conversation_id', 'in', conversationIds).execute();
}
