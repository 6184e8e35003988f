/** Conversations: create, read, change, and the atomic claim and sweeps that must hold across hubs. */
import { randomUUID } from 'node:crypto';
import { type Kysely, type SqlBool, sql, type UpdateResult } from 'kysely';
import type { TicketStatus } from '../../protocol/types.js';
import { deleteAttachmentsOf } from './attachments-repo.js';
import type { Db } from './base.js';
import { HotQuery } from './hot-query.js';
import { forgetEmails } from './email-repo.js';
import { type ConversationRecord, toConversation, toConversationRow } from './mappers.js';
import type { Dialect } from './migrations.js';
import type { ConversationsTable, Database, VisitorsTable } from './schema.js';
import { scrubDeleted } from './secure-delete.js';
import { INACTIVITY_DUE, UNREPLIED } from './sweep-indexes-migration.js';

/** Two conversations of one person created in the same millisecond: the open one is the current one. */
const OPEN_FIRST = sql<number>`case when state = 'open' then 0 else 1 end`;

export class ConversationsRepo {
  // The statements every stored message runs, compiled once (hot-query.ts).
  readonly #latest = this.#latestQuery(false, 'contactId');
  readonly #latestForUpdate = this.#latestQuery(true, 'contactId');
  /** `latest` of the person the session belongs to (`latestOfVisitor`). */
  readonly #latestOfVisitor = this.#latestQuery(false, 'visitorId');
  readonly #byId = new HotQuery((args: { id: string }) => this.db.selectFrom('conversations').selectAll().where('id', '=', args.id));
  readonly #byIdForUpdate = new HotQuery((args: { id: string }) => this.db.selectFrom('conversations').selectAll().where('id', '=', args.id).forUpdate());
  /** An update's SQL depends on which columns it sets: one compiled statement per set of columns. */
  readonly #updates = new Map<string, HotQuery<Partial<ConversationsTable> & { id: string }, ConversationsTable>>();
  readonly #updatesWithoutReturning = new Map<string, HotQuery<Partial<ConversationsTable> & { id: string }, UpdateResult>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async get(id: string, db: Db = this.db, options: { forUpdate?: boolean } = {}): Promise<ConversationRecord | undefined> {
    // An agent's every reply reads its conversation first (the visibility check): compiled once, prepared.
    const query = options.forUpdate === true && this.dialect === 'postgres' ? this.#byIdForUpdate : this.#byId;
    const row = await query.first(db, { id });
    return row ? toConversation(row) : undefined;
  }

  /** The conversations with these ids that still exist. */
  async many(ids: readonly string[]): Promise<Map<string, ConversationRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, toConversation(row)]));
  }

  /** The contact's most recent conversation (open or closed). */
  async latest(contactId: string, db: Db = this.db, options: { forUpdate?: boolean } = {}): Promise<ConversationRecord | undefined> {
    const query = options.forUpdate === true && this.dialect === 'postgres' ? this.#latestForUpdate : this.#latest;
    const row = await query.first(db, { contactId });
    return row ? toConversation(row) : undefined;
  }

  /**
   * The latest conversation of the visitor's person, as `latest` of their contact, found from the session in the same
   * statement: a visitor's message on SQLite reads no session row of its own (message-writes.ts).
   */
  async latestOfVisitor(visitorId: string, db: Db): Promise<ConversationRecord | undefined> {
    const row = await this.#latestOfVisitor.first(db, { visitorId });
    return row ? toConversation(row) : undefined;
  }

  /** The person is named by their contact id, or by a session of theirs (found in the same statement). */
  #latestQuery<Key extends 'contactId' | 'visitorId'>(forUpdate: boolean, key: Key) {
    // The id first, then the row: SQLite sorts only ids instead of whole rows (half the time of one query).
    return new HotQuery((args: Record<Key, string>) =>
      this.db
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', (eb) =>
          eb
            .selectFrom('conversations')
            .select('id')
            .where('contact_id', '=', (person) =>
              key === 'contactId' ? person.val(args[key]) : person.selectFrom('visitors').select('contact_id').where('id', '=', args[key]),
            )
            .orderBy('created_at', 'desc')
            .orderBy(OPEN_FIRST)
            .orderBy('id', 'desc')
            .limit(1),
        )
        .$if(forUpdate, (q) => q.forUpdate()),
    );
  }

  async ofVisitor(visitorId: string): Promise<ConversationRecord[]> {
    const rows = await this.db.selectFrom('conversations').selectAll().where('visitor_id', '=', visitorId).orderBy('created_at').execute();
    return rows.map(toConversation);
  }

  /** A contact's conversations, newest first. */
  async ofContact(contactId: string, db: Db = this.db): Promise<ConversationRecord[]> {
    const rows = await db
      .selectFrom('conversations')
      .selectAll()
      .where('contact_id', '=', contactId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toConversation);
  }

  /**
   * The conversation a widget session shows: its contact's latest, so a person signed in on two
   * devices sees the same one. One query (the session's contact is a subquery).
   */
  async latestOfSession(visitorId: string): Promise<ConversationRecord | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('contact_id', '=', (eb) => eb.selectFrom('visitors').select('visitors.contact_id').where('visitors.id', '=', visitorId))
      .orderBy('created_at', 'desc')
      .orderBy(OPEN_FIRST)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  /**
   * @param defaults the contact's rules: a default assignee and who may see it.
   * @param outgoing an agent starts it (New chat).
   */
  async create(
    tx: Db,
    input: { visitor: VisitorsTable; contactId: string; now: string; assignees?: string[]; visibleTo?: string[]; outgoing?: boolean },
  ): Promise<ConversationRecord> {
    const row: ConversationsTable = {
      id: randomUUID(),
      visitor_id: input.visitor.id,
      contact_id: input.contactId,
      outgoing: input.outgoing ? 1 : 0,
      last_visitor_at: null,
      expired: 0,
      site_id: input.visitor.site_id,
      channel: input.visitor.channel,
      language: input.visitor.language,
      created_at: input.now,
      last_activity_at: input.now,
      bot_status: 'ok',
      ticket_status: 'new',
      state: 'open',
      muted: 0,
      muted_at: null,
      muted_by: null,
      holder_id: null,
      agent_replied: 0,
      assignees: JSON.stringify(input.assignees ?? []),
      visible_to: JSON.stringify(input.visibleTo ?? []),
      tags: '[]',
      unread_count: 0,
      unreplied_count: 0,
      last_message_author: null,
      last_message_text: null,
      last_message_at: null,
    };
    await tx.insertInto('conversations').values(row).execute();
    return toConversation(row);
  }

  /** Updates some columns; returns the new record (undefined when the conversation is gone). */
  async update(id: string, changes: Partial<ConversationsTable>, db: Db = this.db): Promise<ConversationRecord | undefined> {
    // RETURNING (SQLite ≥ 3.35 and PostgreSQL): one round trip instead of update + select.
    // As Kysely's `set`: a column whose value is undefined is left unchanged. The columns in the caller's order: a
    // call site always names them in the same order.
    const set = definedOnly(changes);
    const columns = Object.keys(set).join(',');
    let query = this.#updates.get(columns);
    if (!query) {
      query = new HotQuery(({ id: conversationId, ...set }) => this.db.updateTable('conversations').set(set).where('id', '=', conversationId).returningAll());
      this.#updates.set(columns, query);
    }
    const row = await query.first(db, { ...set, id });
    return row ? toConversation(row) : undefined;
  }

  /**
   * `update` for a caller that read the conversation in this transaction, under its write lock, on SQLite: there the
   * hub's connection is the only writer and no trigger changes a conversation, so the row is now the one read with
   * these changes, and the update returns nothing. RETURNING cost as much as the update itself (docs/performance-history.md,
   * session 15). On PostgreSQL, as `update`.
   */
  async updateRead(current: ConversationRecord, changes: Partial<ConversationsTable>, db: Db): Promise<ConversationRecord> {
    const after = this.dialect === 'postgres' ? await this.update(current.id, changes, db) : await this.#updateWithoutReturning(current, changes, db);
    if (!after) throw new Error(`conversation ${current.id} vanished under its lock`);
    return after;
  }

  async #updateWithoutReturning(current: ConversationRecord, changes: Partial<ConversationsTable>, db: Db): Promise<ConversationRecord | undefined> {
    const set = definedOnly(changes);
    const columns = Object.keys(set).join(',');
    let query = this.#updatesWithoutReturning.get(columns);
    if (!query) {
      query = new HotQuery(({ id: conversationId, ...values }) => this.db.updateTable('conversations').set(values).where('id', '=', conversationId));
      this.#updatesWithoutReturning.set(columns, query);
    }
    const { numAffectedRows } = await query.execute(db, { ...set, id: current.id });
    return numAffectedRows === 1n ? toConversation({ ...toConversationRow(current), ...set }) : undefined;
  }

  /**
   * Take over atomically: succeeds only if nobody else holds the conversation (or `force`).
   * The conditional UPDATE is what makes "first claim wins" hold across hub processes.
   */
  async claim(id: string, agentId: string, now: string, force: boolean, db: Db = this.db): Promise<ConversationRecord | undefined> {
    // A visitor waiting for a person (the bot's `need_help`) has one now: the escalation ends (rules/bot.ts `replyWhileWaiting`).
    const botStatus = sql<string>`case when bot_status = 'need_help' then 'ok' else bot_status end`;
    let query = db
      .updateTable('conversations')
      .set({ holder_id: agentId, muted: 1, muted_at: now, muted_by: agentId, bot_status: botStatus })
      .where('id', '=', id);
    if (!force) query = query.where((eb) => eb.or([eb('holder_id', 'is', null), eb('holder_id', '=', agentId)]));
    const row = await query.returningAll().executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  /** Deletes the conversation with its messages, notes and file rows; answers the files' storage keys (to remove next). */
  async delete(id: string): Promise<{ storageKeys: string[] }> {
    const storageKeys = await this.db.transaction().execute((tx) => eraseConversations(tx, [id]));
    await scrubDeleted(this.db, this.dialect);
    return { storageKeys };
  }

  /**
   * Auto-unmute: every conversation muted at or before `cutoff` is unmuted and handed back. Returns
   * each one as it was before, so listeners can tell whose inbox it left. The UPDATE re-checks the
   * condition, so with several hubs each conversation is unmuted (and reported) by one of them.
   */
  async unmuteExpired(cutoff: string): Promise<ConversationRecord[]> {
    const due = (await this.db.selectFrom('conversations').selectAll().where('muted', '=', 1).where('muted_at', '<=', cutoff).execute()).map(toConversation);
    const done: ConversationRecord[] = [];
    for (const record of due) {
      const result = await this.db
        .updateTable('conversations')
        .set({ muted: 0, muted_at: null, muted_by: null, holder_id: null })
        .where('id', '=', record.id)
        .where('muted', '=', 1)
        .where('muted_at', '<=', cutoff)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) done.push(record);
    }
    return done;
  }

  /**
   * Open conversations whose visitor last wrote at or before `cutoff` and got no agent reply since become
   * expired. Returns their ids; the conditional UPDATE makes one hub report each.
   */
  async markExpired(cutoff: string): Promise<string[]> {
    return (await this.expiring(cutoff).execute()).map((r) => r.id);
  }

  /** markExpired's statement (sweep-plans.test.ts reads its plan): it reads only the index of unanswered ones. */
  expiring(cutoff: string) {
    return this.db
      .updateTable('conversations')
      .set({ expired: 1 })
      .where('expired', '=', 0)
      .where('state', '=', 'open')
      .where(sql<SqlBool>`${UNREPLIED}`) // as the partial index says it (sweep-indexes-migration.ts)
      .where('last_visitor_at', '<=', cutoff)
      .returning('id');
  }

  /** markInactive's read (sweep-plans.test.ts reads its plan). */
  goingInactive(cutoff: string, from: readonly TicketStatus[]) {
    return (
      this.db
        .selectFrom('conversations')
        .select(['id', 'ticket_status'])
        .where('ticket_status', 'in', [...from])
        .where('state', '=', 'open')
        .where('last_activity_at', '<=', cutoff)
        // PostgreSQL: the partial index's own words, so that its planner can always prove the index applies.
        .$if(this.dialect === 'postgres', (q) => q.where(sql<SqlBool>`${INACTIVITY_DUE}`))
    );
  }

  /**
   * Open conversations without activity since `cutoff` become inactive. Returns each one with the status
   * it had (panels move it between views). Per row and conditional, so with several hubs one reports it.
   */
  async markInactive(cutoff: string, from: readonly TicketStatus[]): Promise<{ id: string; previous: TicketStatus }[]> {
    const due = await this.goingInactive(cutoff, from).execute();
    const done: { id: string; previous: TicketStatus }[] = [];
    for (const row of due) {
      const result = await this.db
        .updateTable('conversations')
        .set({ ticket_status: 'inactive' })
        .where('id', '=', row.id)
        .where('ticket_status', '=', row.ticket_status)
        .where('state', '=', 'open')
        .where('last_activity_at', '<=', cutoff)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) done.push({ id: row.id, previous: row.ticket_status as TicketStatus });
    }
    return done;
  }
}

/**
 * Deletes the conversations with their messages, notes, emails and file rows, in a transaction; answers the files'
 * storage keys (to remove next). The conversation rows go first, which takes their row locks: a message write that
 * locked one before (it updates its conversation in its own transaction) commits first and its message is deleted
 * here with the rest; one that comes after finds no conversation and rolls back (services/messaging.ts). Deleting
 * the messages first let a message committed in between outlive its conversation.
 */
export async function eraseConversations(tx: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  await tx.deleteFrom('conversations').where('id', 'in', ids).execute();
  await tx.deleteFrom('messages').where('conversation_id', 'in', ids).execute();
  await tx.deleteFrom('notes').where('conversation_id', 'in', ids).execute();
  await forgetEmails(tx, ids);
  return deleteAttachmentsOf(tx, ids);
}

/** As Kysely's `set`: a column whose value is undefined is left unchanged. */
function definedOnly(changes: Partial<ConversationsTable>): Partial<ConversationsTable> {
  const set: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(changes)) if (value !== undefined) set[column] = value;
  return set as Partial<ConversationsTable>;
}
