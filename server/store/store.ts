/**
 * The hub's one query layer over Kysely: the same code runs on SQLite and PostgreSQL.
 * Methods are small and named after what the hub does; rules decide, the store persists.
 */
import { randomUUID } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, type SqlBool, type Transaction, sql } from 'kysely';
import type { BotStatus, ConversationFilter, Faq, MessageAuthor, Message, Note, QuickReply, Settings, TicketStatus, UserData } from '../../protocol/types.js';
import type { FaqInput, QuickReplyInput } from '../../protocol/api.js';
import type { Dialect } from './migrations.js';
import { type ConversationRecord, json, toConversation, toFaq, toMessage, toNote, toQuickReply } from './mappers.js';
import type { AgentsTable, ConversationsTable, Database, SitesTable, VisitorsTable } from './schema.js';
import { scrubDeleted } from './secure-delete.js';
import { withPlainNames } from '../text.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Who is looking: admins see everything, agents only what is visible to them. */
export interface Viewer {
  id: string;
  role: 'admin' | 'agent';
}

export interface NewMessage {
  conversationId: string;
  clientId: string | null;
  author: MessageAuthor;
  agentId: string | null;
  authorName: string | null;
  text: string;
  choices?: string[];
  createdAt: string;
}

export interface ListOptions extends ConversationFilter {
  /** Conversations with older last activity are hidden unless `includeOld` or a search. */
  retentionCutoff: string;
}

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/** `"id"` inside a JSON array column, for LIKE (ids and tags are JSON-encoded, so quotes delimit them). */
const jsonItemPattern = (item: string): string => `%${escapeLike(JSON.stringify(item))}%`;
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ------------------------------------------------------------ settings & sites

  async getSetting<T>(key: string): Promise<T | null> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? json<T | null>(row.value, null) : null;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key, value: text })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: text }))
      .execute();
  }

  /** Stores `value` unless `key` is already set (first writer wins across hub processes); returns the stored value. */
  async initSetting<T>(key: string, value: T): Promise<T> {
    await this.db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.getSetting<T>(key)) ?? value;
  }

  async getSettings(defaults: Settings): Promise<Settings> {
    return { ...defaults, ...((await this.getSetting<Partial<Settings>>('bot')) ?? {}) };
  }

  getSite(id: string): Promise<SitesTable | undefined> {
    return this.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listSites(): Promise<SitesTable[]> {
    return this.db.selectFrom('sites').selectAll().orderBy('id').execute();
  }

  async ensureSite(site: SitesTable): Promise<void> {
    await this.db
      .insertInto('sites')
      .values(site)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  // ------------------------------------------------------------ visitors

  getVisitor(id: string): Promise<VisitorsTable | undefined> {
    return this.db.selectFrom('visitors').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async createVisitor(input: { siteId: string; userData: UserData; verified: boolean; language: string; now: string }): Promise<VisitorsTable> {
    const row: VisitorsTable = {
      id: randomUUID(),
      site_id: input.siteId,
      ...visitorDataColumns(input.userData, input.verified),
      channel: 'webchat',
      language: input.language,
      first_seen_at: input.now,
      last_seen_at: input.now,
    };
    await this.db.insertInto('visitors').values(row).execute();
    return row;
  }

  async updateVisitorData(id: string, userData: UserData, verified: boolean): Promise<void> {
    await this.db.updateTable('visitors').set(visitorDataColumns(userData, verified)).where('id', '=', id).execute();
  }

  async touchVisitor(id: string, now: string, language?: string): Promise<void> {
    await this.db
      .updateTable('visitors')
      .set(language ? { last_seen_at: now, language } : { last_seen_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes the visitor with every conversation, message and note. Returns the conversation ids. */
  async deleteVisitor(id: string): Promise<string[]> {
    const ids = await this.transaction(async (tx) => {
      const ids = (await tx.selectFrom('conversations').select('id').where('visitor_id', '=', id).execute()).map((r) => r.id);
      if (ids.length > 0) {
        await tx.deleteFrom('messages').where('conversation_id', 'in', ids).execute();
        await tx.deleteFrom('notes').where('conversation_id', 'in', ids).execute();
        await tx.deleteFrom('conversations').where('id', 'in', ids).execute();
      }
      await tx.deleteFrom('visitors').where('id', '=', id).execute();
      return ids;
    });
    await scrubDeleted(this.db, this.dialect);
    return ids;
  }

  // ------------------------------------------------------------ conversations

  async getConversation(id: string, db: Db = this.db): Promise<ConversationRecord | undefined> {
    const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  /** The visitor's most recent conversation (open or closed). */
  async latestConversation(visitorId: string, db: Db = this.db, options: { forUpdate?: boolean } = {}): Promise<ConversationRecord | undefined> {
    const row = await db
      .selectFrom('conversations')
      .selectAll()
      .where('visitor_id', '=', visitorId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .$if(options.forUpdate === true && this.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  /**
   * Serialises the writes of one visitor inside a transaction, across hub processes: two messages
   * sent at once must not both open a conversation, nor both compute the same unread count.
   * PostgreSQL takes a row lock; SQLite transactions are already exclusive (one writer).
   */
  async lockVisitor(visitorId: string, tx: Db): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await tx.selectFrom('visitors').select('id').where('id', '=', visitorId).forUpdate().execute();
  }

  async conversationsOfVisitor(visitorId: string): Promise<ConversationRecord[]> {
    const rows = await this.db.selectFrom('conversations').selectAll().where('visitor_id', '=', visitorId).orderBy('created_at').execute();
    return rows.map(toConversation);
  }

  async createConversation(tx: Db, input: { visitor: VisitorsTable; now: string }): Promise<ConversationRecord> {
    const row: ConversationsTable = {
      id: randomUUID(),
      visitor_id: input.visitor.id,
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
      assignees: '[]',
      visible_to: '[]',
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
  async updateConversation(id: string, changes: Partial<ConversationsTable>, db: Db = this.db): Promise<ConversationRecord | undefined> {
    // RETURNING (SQLite ≥ 3.35 and PostgreSQL): one round trip instead of update + select.
    const row = await db.updateTable('conversations').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  /**
   * Take over atomically: succeeds only if nobody else holds the conversation (or `force`).
   * The conditional UPDATE is what makes "first claim wins" hold across hub processes.
   */
  async claim(id: string, agentId: string, now: string, force: boolean, db: Db = this.db): Promise<boolean> {
    let query = db.updateTable('conversations').set({ holder_id: agentId, muted: 1, muted_at: now, muted_by: agentId }).where('id', '=', id);
    if (!force) query = query.where((eb) => eb.or([eb('holder_id', 'is', null), eb('holder_id', '=', agentId)]));
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteConversation(id: string): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.deleteFrom('messages').where('conversation_id', '=', id).execute();
      await tx.deleteFrom('notes').where('conversation_id', '=', id).execute();
      await tx.deleteFrom('conversations').where('id', '=', id).execute();
    });
    await scrubDeleted(this.db, this.dialect);
  }

  /** Auto-unmute: every conversation muted at or before `cutoff` is unmuted and handed back. Returns their ids. */
  async unmuteExpired(cutoff: string): Promise<string[]> {
    const rows = await this.db
      .updateTable('conversations')
      .set({ muted: 0, muted_at: null, muted_by: null, holder_id: null })
      .where('muted', '=', 1)
      .where('muted_at', '<=', cutoff)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Open conversations without activity since `cutoff` become inactive. Returns their ids. */
  async markInactive(cutoff: string, from: readonly TicketStatus[]): Promise<string[]> {
    const rows = await this.db
      .updateTable('conversations')
      .set({ ticket_status: 'inactive' })
      .where('ticket_status', 'in', [...from])
      .where('state', '=', 'open')
      .where('last_activity_at', '<=', cutoff)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  // ------------------------------------------------------------ listing

  /** SQL condition: the viewer may see the conversation (admins: all; agents: team-wide or listed). */
  #visible(eb: ExpressionBuilder<Database & { c: ConversationsTable }, 'c'>, viewer: Viewer) {
    if (viewer.role === 'admin') return eb.val(true) as unknown as ReturnType<typeof eb.or>;
    return eb.or([eb('c.visible_to', '=', '[]'), eb('c.visible_to', 'like', jsonItemPattern(viewer.id))]);
  }

  async listConversations(viewer: Viewer, filter: ListOptions): Promise<{ rows: ConversationsTable[]; total: number }> {
    const base = this.db
      .selectFrom('conversations as c')
      .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
      .where((eb) => {
        const conditions = [] as Parameters<typeof eb.and>[0] & unknown[];
        if (viewer.role !== 'admin') conditions.push(this.#visible(eb as never, viewer));
        const inbox = filter.inbox ?? 'all';
        if (inbox === 'closed') conditions.push(eb('c.state', '=', 'closed'));
        else conditions.push(eb('c.state', '=', 'open'));
        if (inbox === 'mine') {
          conditions.push(eb.or([eb('c.holder_id', '=', viewer.id), eb('c.assignees', 'like', jsonItemPattern(viewer.id))]));
        }
        if (inbox === 'unassigned') conditions.push(eb.and([eb('c.holder_id', 'is', null), eb('c.assignees', '=', '[]')]));
        if (!filter.includeOld && !filter.q) conditions.push(eb('c.last_activity_at', '>=', filter.retentionCutoff));
        if (filter.q) {
          const pattern = `%${escapeLike(filter.q.toLowerCase())}%`;
          conditions.push(
            sql<SqlBool>`(v.name like ${pattern} escape '\\' or lower(coalesce(v.email, '')) like ${pattern} escape '\\' or lower(coalesce(c.last_message_text, '')) like ${pattern} escape '\\')`,
          );
        }
        if (filter.botStatus) conditions.push(eb('c.bot_status', '=', filter.botStatus));
        if (filter.ticketStatus) conditions.push(eb('c.ticket_status', '=', filter.ticketStatus));
        if (filter.channel) conditions.push(eb('c.channel', '=', filter.channel));
        if (filter.language) {
          conditions.push(eb.or([eb('c.language', '=', filter.language), eb('c.language', 'like', `${escapeLike(filter.language)}-%`)]));
        }
        if (filter.tag) conditions.push(eb('c.tags', 'like', jsonItemPattern(filter.tag)));
        if (filter.from) conditions.push(eb('c.last_activity_at', '>=', rangeStart(filter.from)));
        if (filter.to) conditions.push(eb('c.last_activity_at', '<', rangeEnd(filter.to)));
        return eb.and(conditions);
      });
    const [rows, count] = await Promise.all([
      base
        .selectAll('c')
        .orderBy('c.last_activity_at', 'desc')
        .orderBy('c.id')
        .limit(filter.limit ?? 50)
        .offset(filter.offset ?? 0)
        .execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  /** Open conversations visible to the viewer within the retention window, for counters and dashboard tiles. */
  async openConversations(
    viewer: Viewer,
    retentionCutoff: string,
  ): Promise<Pick<ConversationsTable, 'holder_id' | 'assignees' | 'unreplied_count' | 'state'>[]> {
    return this.db
      .selectFrom('conversations as c')
      .select(['c.holder_id', 'c.assignees', 'c.unreplied_count', 'c.state'])
      .where((eb) => eb.and([...(viewer.role === 'admin' ? [] : [this.#visible(eb as never, viewer)]), eb('c.last_activity_at', '>=', retentionCutoff)]))
      .execute();
  }

  // ------------------------------------------------------------ messages

  /** A message the visitor already sent with this clientId (in any of their conversations). */
  async findVisitorMessage(visitorId: string, clientId: string, db: Db = this.db): Promise<Message | undefined> {
    const row = await db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .selectAll('m')
      .where('c.visitor_id', '=', visitorId)
      .where('m.client_id', '=', clientId)
      .executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async findMessage(conversationId: string, clientId: string, db: Db = this.db): Promise<Message | undefined> {
    const row = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async insertMessage(input: NewMessage, db: Db = this.db): Promise<Message> {
    const values = {
      conversation_id: input.conversationId,
      client_id: input.clientId,
      author: input.author,
      agent_id: input.agentId,
      author_name: input.authorName,
      text: input.text,
      choices: JSON.stringify(input.choices ?? []),
      created_at: input.createdAt,
      read_at: null,
    };
    const { id } = await db.insertInto('messages').values(values).returning('id').executeTakeFirstOrThrow();
    return toMessage({ id: Number(id), ...values });
  }

  /**
   * Runs `work`; if it hit the (conversation, clientId) unique index, answers with the stored message instead.
   * `work` may also report a resend itself (it found the message under its own lock): then `find` isn't run first.
   */
  async deduplicated(
    find: () => Promise<Message | undefined>,
    work: () => Promise<Message | { resent: Message }>,
    options: { checkFirst: boolean } = { checkFirst: true },
  ): Promise<{ message: Message; duplicate: boolean }> {
    const existing = options.checkFirst ? await find() : undefined;
    if (existing) return { message: existing, duplicate: true };
    try {
      const done = await work();
      return 'resent' in done ? { message: done.resent, duplicate: true } : { message: done, duplicate: false };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const stored = await find();
      if (!stored) throw error;
      return { message: stored, duplicate: true };
    }
  }

  async messagesAfter(conversationId: string, afterId: number, limit = 1000): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  async countMessages(conversationId?: string): Promise<number> {
    let query = this.db.selectFrom('messages').select((eb) => eb.fn.countAll<number | string>().as('n'));
    if (conversationId) query = query.where('conversation_id', '=', conversationId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  /** The visitor has seen bot/agent/system messages up to `upToId`. */
  async markReadByVisitor(conversationId: string, upToId: number, now: string): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({ read_at: now })
      .where('conversation_id', '=', conversationId)
      .where('id', '<=', upToId)
      .where('author', '!=', 'visitor')
      .where('read_at', 'is', null)
      .execute();
  }

  // ------------------------------------------------------------ notes

  async addNote(input: Omit<Note, 'id'>): Promise<Note> {
    const values = {
      conversation_id: input.conversationId,
      agent_id: input.agentId,
      agent_name: input.agentName,
      text: input.text,
      created_at: input.createdAt,
    };
    const { id } = await this.db.insertInto('notes').values(values).returning('id').executeTakeFirstOrThrow();
    return toNote({ id: Number(id), ...values });
  }

  async notes(conversationId: string): Promise<Note[]> {
    const rows = await this.db.selectFrom('notes').selectAll().where('conversation_id', '=', conversationId).orderBy('id').execute();
    return rows.map(toNote);
  }

  // ------------------------------------------------------------ agents and tokens

  getAgent(id: string): Promise<AgentsTable | undefined> {
    return this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  getAgentByEmail(email: string): Promise<AgentsTable | undefined> {
    return this.db.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  listAgents(): Promise<AgentsTable[]> {
    return this.db.selectFrom('agents').selectAll().orderBy('name').execute();
  }

  async countAgents(): Promise<number> {
    return Number(
      (
        await this.db
          .selectFrom('agents')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }

  async createAgent(input: Omit<AgentsTable, 'id'>): Promise<AgentsTable> {
    const row = { id: randomUUID(), ...input, email: input.email.toLowerCase() };
    await this.db.insertInto('agents').values(row).execute();
    return row;
  }

  async updateAgent(id: string, changes: Partial<Omit<AgentsTable, 'id'>>): Promise<AgentsTable | undefined> {
    if (Object.keys(changes).length > 0) await this.db.updateTable('agents').set(changes).where('id', '=', id).execute();
    return this.getAgent(id);
  }

  async deleteAgent(id: string): Promise<boolean> {
    return this.transaction(async (tx) => {
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
  findAgentByToken(tokenHash: string, now: string): Promise<AgentsTable | undefined> {
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

  // ------------------------------------------------------------ FAQs and quick replies

  async listFaqs(includeArchived = true): Promise<Faq[]> {
    let query = this.db.selectFrom('faqs').selectAll().orderBy('type').orderBy('updated_at');
    if (!includeArchived) query = query.where('archived', '=', 0);
    return (await query.execute()).map(toFaq);
  }

  async getFaq(id: string): Promise<Faq | undefined> {
    const row = await this.db.selectFrom('faqs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toFaq(row) : undefined;
  }

  async saveFaq(id: string | null, input: FaqInput, now: string, db: Db = this.db): Promise<Faq> {
    const row = {
      id: id ?? randomUUID(),
      type: input.type,
      questions: JSON.stringify(input.questions),
      answer: input.answer,
      archived: input.archived ? 1 : 0,
      updated_at: now,
    };
    if (id) await db.updateTable('faqs').set(row).where('id', '=', id).execute();
    else await db.insertInto('faqs').values(row).execute();
    return toFaq(row);
  }

  async deleteFaq(id: string): Promise<boolean> {
    return Number((await this.db.deleteFrom('faqs').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
  }

  async listQuickReplies(): Promise<QuickReply[]> {
    return (await this.db.selectFrom('quick_replies').selectAll().orderBy('name').execute()).map(toQuickReply);
  }

  async getQuickReply(id: string): Promise<QuickReply | undefined> {
    const row = await this.db.selectFrom('quick_replies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toQuickReply(row) : undefined;
  }

  async saveQuickReply(id: string | null, input: QuickReplyInput, now: string): Promise<QuickReply> {
    const row = {
      id: id ?? randomUUID(),
      name: input.name,
      text: input.text,
      choices: JSON.stringify(input.choices ?? []),
      timezone: input.timezone,
      windows: JSON.stringify(input.windows),
      enabled: input.enabled === false ? 0 : 1,
      updated_at: now,
    };
    if (id) await this.db.updateTable('quick_replies').set(row).where('id', '=', id).execute();
    else await this.db.insertInto('quick_replies').values(row).execute();
    return toQuickReply(row);
  }

  async deleteQuickReply(id: string): Promise<boolean> {
    return Number((await this.db.deleteFrom('quick_replies').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
  }
}

function visitorDataColumns(sent: UserData, verified: boolean): Pick<VisitorsTable, 'user_data' | 'name' | 'email' | 'verified'> {
  const userData = withPlainNames(sent); // no bidi controls in names (text.ts)
  const { user_hash: _hash, ...stored } = userData;
  const name = [userData.first_name, userData.last_name].filter(Boolean).join(' ').trim().toLowerCase();
  return { user_data: JSON.stringify(stored), name, email: userData.email?.toLowerCase() ?? null, verified: verified ? 1 : 0 };
}

/** `2026-08-07` → start of that day (UTC); a date-time stays as it is. */
export function rangeStart(value: string): string {
  return value.length === 10 ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/** Exclusive end: `2026-08-09` → start of 10 August, so the whole 9th is included. */
export function rangeEnd(value: string): string {
  if (value.length === 10) return new Date(new Date(`${value}T00:00:00.000Z`).getTime() + 86_400_000).toISOString();
  return new Date(new Date(value).getTime() + 1).toISOString();
}

export type { BotStatus };
