/**
 * Contacts: the person behind widget sessions. Sessions (visitors) and conversations point to their
 * contact; tags and notes about the person hang off it. Merging and erasing move or remove all of it
 * in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { UserData } from '../../protocol/types.js';
import { withPlainNames } from '../text.js';
import { contactContains, type Db, jsonItemPattern, type Viewer } from './base.js';
import { HotQuery } from './hot-query.js';
import type { Dialect } from './migrations.js';
import type { ContactNotesTable, ContactsTable, Database } from './schema.js';
import { scrubDeleted } from './secure-delete.js';
import { eraseConversations } from './conversations-repo.js';

export interface ContactSearch {
  siteIds?: string[];
  query?: string;
  tag?: string;
  /** Rows after this (last_seen_at, id), newest first. */
  after?: { lastSeenAt: string; id: string };
  limit: number;
}

/** What the site vouched for (null: not signed). */
export interface SignedFields {
  userId: string | null;
  email: string | null;
  name: string | null;
}

/**
 * PostgreSQL: a contact's tags as a JSON array, sorted as tagsOf sorts them (what a summary shows). Shared by the
 * summaries' contacts read and the message statement that returns the summary's contact (message-writes.ts).
 */
export const tagListOf = (contactId: string): string =>
  `coalesce((select json_agg(t.tag order by t.tag) from contact_tags t where t.contact_id = ${contactId}), '[]')`;

/** SQLite: a contact's tags as a JSON array, sorted as tagsOf sorts them (the summaries' reads). */
const SQLITE_TAG_LIST = sql<string>`(select json_group_array(t.tag order by t.tag) from contact_tags t where t.contact_id = contacts.id)`.as('tag_list');

/** What a conversation's summary shows of its contact (services/views.ts), besides the tags: only these are read. */
const SUMMARY_COLUMNS = ['id', 'signed_name', 'user_data', 'email', 'user_id'] as const;
type SummaryColumn = (typeof SUMMARY_COLUMNS)[number];

export class ContactsRepo {
  /** Taken by every stored message on PostgreSQL, so compiled once (hot-query.ts). */
  readonly #lock = new HotQuery((args: { id: string }) => this.db.selectFrom('contacts').select('id').where('id', '=', args.id).forUpdate());

  /**
   * The ids as one parameter (PostgreSQL an array, SQLite a JSON array), so the statement's text is the same for any
   * number of them and it is compiled once (hot-query.ts), on PostgreSQL prepared once: summaries are built for every
   * published change. PostgreSQL's tags come parsed (JSON), SQLite's as JSON text.
   */
  readonly #manyWithTags = new HotQuery((args: { ids: string[] }) =>
    this.db
      .selectFrom('contacts')
      .select(SUMMARY_COLUMNS)
      .select(sql.raw<string[]>(tagListOf('contacts.id')).as('tag_list'))
      .where(sql<SqlBool>`contacts.id = any(${args.ids})`),
  );
  readonly #manyWithTagsSqlite = new HotQuery((args: { ids: string }) =>
    this.db
      .selectFrom('contacts')
      .select(SUMMARY_COLUMNS)
      .select(SQLITE_TAG_LIST)
      .where(sql<SqlBool>`contacts.id in (select value from json_each(${args.ids}))`),
  );

  /** SQLite: one contact's summary part, read in a message's transaction (message-writes.ts). */
  readonly #summaryContactSqlite = new HotQuery((args: { id: string }) =>
    this.db.selectFrom('contacts').select(SUMMARY_COLUMNS).select(SQLITE_TAG_LIST).where('id', '=', args.id),
  );

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * What a conversation's summary shows of its contact, read in the message's own transaction on SQLite: the summary
   * pushed for the message then needs no read of its own (PostgreSQL's message functions answer it: migration 019).
   */
  async summaryContact(id: string, tx: Db): Promise<(Pick<ContactsTable, SummaryColumn> & { tags: string[] }) | undefined> {
    const row = await this.#summaryContactSqlite.first(tx, { id });
    if (!row) return undefined;
    const { tag_list, ...contact } = row;
    return { ...contact, tags: JSON.parse(tag_list) as string[] };
  }

  get(id: string, db: Db = this.db): Promise<ContactsTable | undefined> {
    return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async many(ids: string[]): Promise<Map<string, ContactsTable>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * Contacts with their tags (sorted as tagsOf sorts them), in one query: what a batch of conversation summaries
   * shows. One statement instead of two for every published change (each a round trip on PostgreSQL).
   */
  async manyWithTags(ids: string[]): Promise<Map<string, { contact: Pick<ContactsTable, SummaryColumn>; tags: string[] }>> {
    if (ids.length === 0) return new Map();
    const unique = [...new Set(ids)];
    const rows =
      this.dialect === 'postgres'
        ? (await this.#manyWithTags.execute(this.db, { ids: unique })).rows
        : (await this.#manyWithTagsSqlite.execute(this.db, { ids: JSON.stringify(unique) })).rows;
    return new Map(
      rows.map(({ tag_list, ...contact }) => [contact.id, { contact, tags: typeof tag_list === 'string' ? (JSON.parse(tag_list) as string[]) : tag_list }]),
    );
  }

  byUserId(siteId: string, userId: string, db: Db = this.db): Promise<ContactsTable | undefined> {
    return db.selectFrom('contacts').selectAll().where('site_id', '=', siteId).where('user_id', '=', userId).executeTakeFirst();
  }

  bySignedEmail(siteId: string, email: string, db: Db = this.db): Promise<ContactsTable | undefined> {
    return db
      .selectFrom('contacts')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('signed_email', '=', email.toLowerCase())
      .orderBy('first_seen_at')
      .executeTakeFirst();
  }

  async create(input: { siteId: string; userData: UserData; signed: SignedFields; now: string }, db: Db = this.db): Promise<ContactsTable> {
    const row: ContactsTable = {
      id: randomUUID(),
      site_id: input.siteId,
      user_id: input.signed.userId,
      signed_email: null,
      signed_name: null,
      ...identityColumns(input.userData, input.signed),
      fields: '{}',
      default_assignee_id: null,
      default_visible_to: '[]',
      first_seen_at: input.now,
      last_seen_at: input.now,
    };
    await db.insertInto('contacts').values(row).execute();
    return row;
  }

  /** The page sent (new) user data: visitor-provided values, and the signed ones when present. */
  async updateIdentity(id: string, userData: UserData, signed: SignedFields, db: Db = this.db): Promise<void> {
    await db
      .updateTable('contacts')
      .set({ ...identityColumns(userData, signed), ...(signed.userId ? { user_id: signed.userId } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async update(id: string, changes: Partial<Pick<ContactsTable, 'fields' | 'default_assignee_id' | 'default_visible_to'>>, db: Db = this.db): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await db.updateTable('contacts').set(changes).where('id', '=', id).execute();
  }

  async touch(id: string, now: string): Promise<void> {
    await this.db.updateTable('contacts').set({ last_seen_at: now }).where('id', '=', id).where('last_seen_at', '<', now).execute();
  }

  /** Serialises the writes of one person across hubs (PostgreSQL row lock; SQLite has one writer). */
  async lock(id: string, tx: Db): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await this.#lock.execute(tx, { id });
  }

  async search(viewer: Viewer, search: ContactSearch): Promise<ContactsTable[]> {
    let query = this.db.selectFrom('contacts as k').selectAll('k');
    if (viewer.role !== 'admin') {
      query = query.where((eb) => eb.or([eb('k.default_visible_to', '=', '[]'), eb('k.default_visible_to', 'like', jsonItemPattern(viewer.id))]));
    }
    if (search.siteIds) query = query.where('k.site_id', 'in', search.siteIds);
    if (search.query) {
      query = query.where(contactContains('k', search.query, { alsoPhoneAndUserId: true }));
    }
    if (search.tag) {
      const tag = search.tag;
      query = query.where(({ exists, selectFrom }) =>
        exists(selectFrom('contact_tags as t').select('t.contact_id').whereRef('t.contact_id', '=', 'k.id').where('t.tag', '=', tag)),
      );
    }
    if (search.after) {
      const { lastSeenAt, id } = search.after;
      query = query.where((eb) => eb.or([eb('k.last_seen_at', '<', lastSeenAt), eb.and([eb('k.last_seen_at', '=', lastSeenAt), eb('k.id', '>', id)])]));
    }
    return query.orderBy('k.last_seen_at', 'desc').orderBy('k.id').limit(search.limit).execute();
  }

  /** Tags of several contacts, sorted by name. */
  async tagsOf(ids: string[]): Promise<Map<string, string[]>> {
    const tags = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return tags;
    const rows = await this.db
      .selectFrom('contact_tags')
      .select(['contact_id', 'tag'])
      .where('contact_id', 'in', [...new Set(ids)])
      .orderBy('tag')
      .execute();
    for (const row of rows) tags.get(row.contact_id)?.push(row.tag);
    return tags;
  }

  async setTags(id: string, tags: string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('contact_tags').where('contact_id', '=', id).execute();
      if (tags.length > 0)
        await tx
          .insertInto('contact_tags')
          .values(tags.map((tag) => ({ contact_id: id, tag })))
          .execute();
    });
  }

  async conversationCounts(ids: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(ids.map((id) => [id, 0]));
    if (ids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('conversations')
      .select((eb) => ['contact_id', eb.fn.countAll<number | string>().as('n')])
      .where('contact_id', 'in', [...new Set(ids)])
      .groupBy('contact_id')
      .execute();
    for (const row of rows) if (row.contact_id) counts.set(row.contact_id, Number(row.n));
    return counts;
  }

  /** The contact's widget sessions, most recently seen first. */
  async sessions(id: string, db: Db = this.db): Promise<string[]> {
    const rows = await db.selectFrom('visitors').select('id').where('contact_id', '=', id).orderBy('last_seen_at', 'desc').execute();
    return rows.map((r) => r.id);
  }

  async addNote(note: Omit<ContactNotesTable, 'id'>): Promise<number> {
    const row = await this.db.insertInto('contact_notes').values(note).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  notes(id: string) {
    return this.db.selectFrom('contact_notes').selectAll().where('contact_id', '=', id).orderBy('id').execute();
  }

  /** Moves one session to another contact (the page identified someone else). */
  async moveSession(visitorId: string, contactId: string, db: Db = this.db): Promise<void> {
    await db.updateTable('visitors').set({ contact_id: contactId }).where('id', '=', visitorId).execute();
  }

  /**
   * Moves everything of `otherId` into `targetId` and removes `otherId`: sessions, conversations,
   * notes, tags. `fields`/`userData` are the merged values the caller settled on.
   */
  async merge(targetId: string, otherId: string, merged: Partial<ContactsTable>, db?: Db): Promise<void> {
    const work = async (tx: Db) => {
      await tx.updateTable('visitors').set({ contact_id: targetId }).where('contact_id', '=', otherId).execute();
      await tx.updateTable('conversations').set({ contact_id: targetId }).where('contact_id', '=', otherId).execute();
      await tx.updateTable('contact_notes').set({ contact_id: targetId }).where('contact_id', '=', otherId).execute();
      const theirs = await tx.selectFrom('contact_tags').select('tag').where('contact_id', '=', otherId).execute();
      const ours = new Set((await tx.selectFrom('contact_tags').select('tag').where('contact_id', '=', targetId).execute()).map((r) => r.tag));
      const added = theirs.map((r) => r.tag).filter((tag) => !ours.has(tag));
      if (added.length > 0)
        await tx
          .insertInto('contact_tags')
          .values(added.map((tag) => ({ contact_id: targetId, tag })))
          .execute();
      await tx.deleteFrom('contact_tags').where('contact_id', '=', otherId).execute();
      // The other row's unique user_id must be gone before the target may take it.
      await tx.deleteFrom('contacts').where('id', '=', otherId).execute();
      if (Object.keys(merged).length > 0) await tx.updateTable('contacts').set(merged).where('id', '=', targetId).execute();
    };
    if (db) await work(db);
    else await this.db.transaction().execute(work);
  }

  /** Deletes the contact and everything it owns; answers its conversations' ids and their files' storage keys (to remove next). */
  async delete(id: string): Promise<{ conversationIds: string[]; storageKeys: string[] }> {
    const deleted = await this.db.transaction().execute(async (tx) => {
      // The person's lock first: a message of theirs being written (it takes the lock) commits before the list is read.
      await this.lock(id, tx);
      const ids = (await tx.selectFrom('conversations').select('id').where('contact_id', '=', id).execute()).map((r) => r.id);
      const storageKeys = await eraseConversations(tx, ids);
      await tx.deleteFrom('visitors').where('contact_id', '=', id).execute();
      await tx.deleteFrom('contact_notes').where('contact_id', '=', id).execute();
      await tx.deleteFrom('contact_tags').where('contact_id', '=', id).execute();
      await tx.deleteFrom('contacts').where('id', '=', id).execute();
      return { conversationIds: ids, storageKeys };
    });
    await scrubDeleted(this.db, this.dialect);
    return deleted;
  }

  /**
   * Contacts with no session, conversation, note, tag or field, seen before `cutoff` (or at it, for one given `id`).
   * Returns the removed contacts (contact.deleted webhooks).
   */
  async deleteOrphans(cutoff: string, id?: string): Promise<{ id: string; siteId: string }[]> {
    const rows = await this.db
      .deleteFrom('contacts')
      .where('last_seen_at', id ? '<=' : '<', cutoff)
      .$if(id !== undefined, (q) => q.where('id', '=', id ?? ''))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('visitors').select('id').whereRef('visitors.contact_id', '=', 'contacts.id'))))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('conversations').select('id').whereRef('conversations.contact_id', '=', 'contacts.id'))))
      // Nothing the team wrote about them either: notes, tags and fields are kept with their contact.
      .where('fields', '=', '{}')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('contact_notes').select('id').whereRef('contact_notes.contact_id', '=', 'contacts.id'))))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('contact_tags').select('tag').whereRef('contact_tags.contact_id', '=', 'contacts.id'))))
      .returning(['id', 'site_id'])
      .execute();
    return rows.map((row) => ({ id: row.id, siteId: row.site_id }));
  }
}

/** Display and search columns: a signed value wins over the visitor's own. */
export function identityColumns(sent: UserData, signed: SignedFields): Pick<ContactsTable, 'user_data' | 'name' | 'email' | 'phone'> & Partial<ContactsTable> {
  const userData = withPlainNames(sent);
  const { user_hash: _hash, user_jwt: _jwt, ...stored } = userData;
  const typedName = [userData.first_name, userData.last_name].filter(Boolean).join(' ').trim();
  const name = (signed.name ?? typedName).toLowerCase();
  const email = (signed.email ?? userData.email)?.toLowerCase() ?? null;
  return {
    user_data: JSON.stringify(stored),
    name,
    email,
    phone: userData.phone_number ?? null,
    ...(signed.email ? { signed_email: signed.email.toLowerCase() } : {}),
    ...(signed.name ? { signed_name: signed.name } : {}),
  };
}
