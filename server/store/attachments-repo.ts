/** Uploaded files' rows (the bytes are in the attachment storage, services/attachment-storage.ts). */
import type { Kysely } from 'kysely';
import type { Db } from './base.js';
import type { Dialect } from './migrations.js';
import type { AttachmentsTable, Database } from './schema.js';

/** Bound on the ids of one IN list (SQLite allows 32,766 variables per statement). */
const CHUNK = 1000;

/**
 * Removes every file row of these conversations, inside their deletion's transaction (conversations-repo.ts,
 * contacts-repo.ts), after the conversation rows: an upload holding a conversation (`holdConversation`) has
 * committed by then, so its row goes too. Answers the storage keys, whose bytes the caller removes after the commit.
 */
export async function deleteAttachmentsOf(tx: Db, conversationIds: string[]): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < conversationIds.length; i += CHUNK) {
    const chunk = conversationIds.slice(i, i + CHUNK);
    const rows = await tx.deleteFrom('attachments').where('conversation_id', 'in', chunk).returning('storage_key').execute();
    keys.push(...rows.map((r) => r.storage_key));
  }
  return keys;
}

export class AttachmentsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async get(id: string, db: Db = this.db): Promise<AttachmentsTable | undefined> {
    return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The file already uploaded with this clientId to this conversation (an upload retried). */
  async byClientId(conversationId: string, clientId: string, db: Db = this.db): Promise<AttachmentsTable | undefined> {
    return db.selectFrom('attachments').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
  }

  /**
   * Whether the conversation still exists, holding it (PostgreSQL: FOR SHARE) until the caller's transaction ends,
   * so that an upload and the conversation's deletion can't interleave: the row is inserted before the delete
   * (which then removes it) or not at all.
   */
  async holdConversation(conversationId: string, tx: Db): Promise<boolean> {
    const row = await tx
      .selectFrom('conversations')
      .select('id')
      .where('id', '=', conversationId)
      .$if(this.dialect === 'postgres', (q) => q.forShare())
      .executeTakeFirst();
    return row !== undefined;
  }

  async insert(row: AttachmentsTable, db: Db = this.db): Promise<void> {
    await db.insertInto('attachments').values(row).execute();
  }

  async many(ids: string[], db: Db = this.db): Promise<AttachmentsTable[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('attachments').selectAll().where('id', 'in', ids).execute();
  }

  /**
   * Links still-unlinked files to a message, in this order; answers how many it linked (fewer: another message took
   * one first, and the caller rolls back).
   */
  async link(ids: string[], messageId: number, tx: Db): Promise<number> {
    let linked = 0;
    for (const [position, id] of ids.entries()) {
      const result = await tx
        .updateTable('attachments')
        .set({ message_id: messageId, position })
        .where('id', '=', id)
        .where('message_id', 'is', null)
        .executeTakeFirst();
      linked += Number(result.numUpdatedRows);
    }
    return linked;
  }

  /** The files of a conversation's messages whose ids are in [fromId, toId], oldest first. */
  async ofMessages(conversationId: string, fromId: number, toId: number): Promise<AttachmentsTable[]> {
    return this.db
      .selectFrom('attachments')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('message_id', '>=', fromId)
      .where('message_id', '<=', toId)
      .orderBy('message_id')
      .orderBy('position')
      .execute();
  }

  /** Files never linked to a message, uploaded before `cutoff` (the sweep removes them). */
  async unlinkedBefore(cutoff: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('attachments')
      .select('id')
      .where('message_id', 'is', null)
      .where('created_at', '<', cutoff)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Removes these rows if still unlinked (a message may have linked one meanwhile); answers their storage keys. */
  async deleteUnlinked(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.deleteFrom('attachments').where('id', 'in', ids).where('message_id', 'is', null).returning('storage_key').execute();
    return rows.map((r) => r.storage_key);
  }

  async count(conversationId?: string): Promise<number> {
    let query = this.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number | string>().as('n'));
    if (conversationId) query = query.where('conversation_id', '=', conversationId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }
}
