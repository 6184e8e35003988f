/** Messages and private notes; exactly-once storage of client messages by (conversation, clientId). */
import type { Kysely } from 'kysely';
import type { Message, Note } from '../../protocol/types.js';
import { type Db, isUniqueViolation } from './base.js';
import { toMessage, toNote } from './mappers.js';
import type { Database } from './schema.js';

/** A message to store: the protocol's Message without what the store assigns (id, read mark) or derives. */
export type NewMessage = Omit<Message, 'id' | 'choices' | 'attachments' | 'readAt'> & { choices?: string[] };

export class MessagesRepo {
  constructor(private readonly db: Kysely<Database>) {}

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

  async find(conversationId: string, clientId: string, db: Db = this.db): Promise<Message | undefined> {
    const row = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async insert(input: NewMessage, db: Db = this.db): Promise<Message> {
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

  async count(conversationId?: string): Promise<number> {
    let query = this.db.selectFrom('messages').select((eb) => eb.fn.countAll<number | string>().as('n'));
    if (conversationId) query = query.where('conversation_id', '=', conversationId);
    return Number((await query.executeTakeFirstOrThrow()).n);
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
