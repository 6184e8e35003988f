/** Messages and private notes; exactly-once storage of client messages by (conversation, clientId). */
import type { Kysely } from 'kysely';
import type { Message, MessageChannel, Note } from '../../protocol/types.js';
import { type Db, isUniqueViolation } from './base.js';
import { HotQuery } from './hot-query.js';
import { toMessage, toNote } from './mappers.js';
import type { Database, MessagesTable } from './schema.js';

/** A message to store: the protocol's Message without what the store assigns (id, read mark) or derives. */
export type NewMessage = Omit<Message, 'id' | 'choices' | 'attachments' | 'readAt' | 'channel'> & { choices?: string[]; channel?: MessageChannel };

type MessageValues = Omit<MessagesTable, 'id'>;

export class MessagesRepo {
  // The statements every stored message runs, compiled once (hot-query.ts).
  readonly #findVisitorMessage = new HotQuery((args: { visitorId: string; clientId: string }) =>
    this.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .selectAll('m')
      .where('c.visitor_id', '=', args.visitorId)
      .where('m.client_id', '=', args.clientId),
  );
  readonly #insert = new HotQuery((values: MessageValues) => this.db.insertInto('messages').values(values).returning('id'));

  constructor(private readonly db: Kysely<Database>) {}

  /** A message the visitor already sent with this clientId (in any of their conversations). */
  async findVisitorMessage(visitorId: string, clientId: string, db: Db = this.db): Promise<Message | undefined> {
    const row = await this.#findVisitorMessage.first(db, { visitorId, clientId });
    return row ? toMessage(row) : undefined;
  }

  async find(conversationId: string, clientId: string, db: Db = this.db): Promise<Message | undefined> {
    const row = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async insert(input: NewMessage, db: Db = this.db): Promise<Message> {
    const values: MessageValues = {
      conversation_id: input.conversationId,
      client_id: input.clientId,
      author: input.author,
      channel: input.channel ?? 'webchat',
      agent_id: input.agentId,
      author_name: input.authorName,
      text: input.text,
      choices: JSON.stringify(input.choices ?? []),
      created_at: input.createdAt,
      read_at: null,
    };
    const inserted = await this.#insert.first(db, values);
    if (!inserted) throw new Error('insert into messages returned no id');
    return toMessage({ id: Number(inserted.id), ...values });
  }

  /**
   * Runs `work`; if it hit the (conversation, clientId) unique index, answers with the stored message instead. `work`
   * may also report a resend itself (it found the message under its own lock). Nothing is looked up first: resends
   * are rare, and a lookup per message is a round trip on PostgreSQL.
   */
  async deduplicated(
    find: () => Promise<Message | undefined>,
    work: () => Promise<Message | { resent: Message }>,
  ): Promise<{ message: Message; duplicate: boolean }> {
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

  /** Messages after `afterId`, oldest first, at most `limit`. */
  async after(conversationId: string, afterId: number, limit = 1000): Promise<Message[]> {
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

  /** The conversation's latest `limit` messages, oldest first. */
  async latest(conversationId: string, limit: number): Promise<Message[]> {
    const rows = await this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse().map(toMessage);
  }

  /**
   * For the AI assist's past-answers index: the visitor and agent messages after `afterId` (all conversations),
   * the newest `limit` of them, oldest first.
   */
  async exchangeTexts(afterId: number, limit: number): Promise<{ id: number; conversationId: string; author: Message['author']; text: string }[]> {
    const rows = await this.db
      .selectFrom('messages')
      .select(['id', 'conversation_id', 'author', 'text'])
      .where('id', '>', afterId)
      .where('author', 'in', ['visitor', 'agent'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((r) => ({ id: Number(r.id), conversationId: r.conversation_id, author: r.author as Message['author'], text: r.text }));
  }

  /** The highest message id stored (0 when there is none). */
  async maxId(): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  async count(conversationId?: string): Promise<number> {
    let query = this.db.selectFrom('messages').select((eb) => eb.fn.countAll<number | string>().as('n'));
    if (conversationId) query = query.where('conversation_id', '=', conversationId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  /** Agent replies after `afterId` the visitor has not seen (no read mark), oldest first: what a reply email holds. */
  async unseenAgentReplies(conversationId: string, afterId: number, db: Db = this.db, limit = 50): Promise<Message[]> {
    const rows = await db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('id', '>', afterId)
      .where('author', '=', 'agent')
      .where('read_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  /** The highest message id of a conversation (0 when it has none). */
  async lastId(conversationId: string, db: Db = this.db): Promise<number> {
    const row = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Bot and agent messages of the conversation the visitor has not read (`markReadByVisitor`), and its newest message id. */
  async unreadByVisitor(conversationId: string): Promise<{ count: number; lastId: number }> {
    const row = await this.db
      .selectFrom('messages')
      .select((eb) => [
        eb.fn
          .countAll<number | string>()
          .filterWhere((w) => w.and([w('author', 'in', ['bot', 'agent']), w('read_at', 'is', null)]))
          .as('unread'),
        eb.fn.max('id').as('last'),
      ])
      .where('conversation_id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return { count: Number(row.unread), lastId: Number(row.last ?? 0) };
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
}
