/** Visitors: one row per widget identity (browser session or verified user). */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UserData } from '../../protocol/types.js';
import type { Db } from './base.js';
import { HotQuery } from './hot-query.js';
import type { Dialect } from './migrations.js';
import type { Database, VisitorsTable } from './schema.js';
import { withPlainNames } from '../text.js';

export class VisitorsRepo {
  /** Read by every stored message on SQLite (store/message-writes.ts), so compiled once (hot-query.ts). */
  readonly #contactOf = new HotQuery((args: { id: string }) => this.db.selectFrom('visitors').select('contact_id').where('id', '=', args.id));

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  get(id: string, db: Db = this.db): Promise<VisitorsTable | undefined> {
    return db.selectFrom('visitors').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The session's person, if it has a row and one. */
  async contactOf(id: string, db: Db = this.db): Promise<string | null> {
    return (await this.#contactOf.first(db, { id }))?.contact_id ?? null;
  }

  /** Several visitors in one query (list views). */
  async many(ids: string[]): Promise<Map<string, VisitorsTable>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('visitors')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  async create(
    input: { id?: string; siteId: string; contactId: string; userData: UserData; verified: boolean; language: string; now: string },
    db: Db = this.db,
  ): Promise<VisitorsTable> {
    const row: VisitorsTable = {
      id: input.id ?? randomUUID(),
      site_id: input.siteId,
      contact_id: input.contactId,
      ...visitorDataColumns(input.userData, input.verified),
      channel: 'webchat',
      language: input.language,
      first_seen_at: input.now,
      last_seen_at: input.now,
    };
    await db.insertInto('visitors').values(row).execute();
    return row;
  }

  async updateData(id: string, userData: UserData, verified: boolean): Promise<void> {
    await this.db.updateTable('visitors').set(visitorDataColumns(userData, verified)).where('id', '=', id).execute();
  }

  async touch(id: string, now: string, language?: string): Promise<void> {
    await this.db
      .updateTable('visitors')
      .set(language ? { last_seen_at: now, language } : { last_seen_at: now })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Serialises the writes of one visitor inside a transaction, across hub processes: two messages
   * sent at once must not both open a conversation, nor both compute the same unread count.
   * PostgreSQL takes a row lock; SQLite transactions are already exclusive (one writer).
   */
  async lock(visitorId: string, tx: Db): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await tx.selectFrom('visitors').select('id').where('id', '=', visitorId).forUpdate().execute();
  }

  /** Visitors with no conversation, last seen before `cutoff` (identified page views that never wrote). */
  async deleteEmpty(cutoff: string): Promise<number> {
    const result = await this.db
      .deleteFrom('visitors')
      .where('last_seen_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('conversations').select('id').whereRef('conversations.visitor_id', '=', 'visitors.id'))))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function visitorDataColumns(sent: UserData, verified: boolean): Pick<VisitorsTable, 'user_data' | 'name' | 'email' | 'verified'> {
  const userData = withPlainNames(sent); // no bidi controls in names (text.ts)
  const { user_hash: _hash, user_jwt: _jwt, ...stored } = userData;
  const name = [userData.first_name, userData.last_name].filter(Boolean).join(' ').trim().toLowerCase();
  return { user_data: JSON.stringify(stored), name, email: userData.email?.toLowerCase() ?? null, verified: verified ? 1 : 0 };
}
