/** Key/value settings (JSON) and sites. */
import type { Kysely } from 'kysely';
import type { Settings } from '../../protocol/types.js';
import { json } from './mappers.js';
import type { Database, SitesTable } from './schema.js';

export class SettingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get<T>(key: string): Promise<T | null> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? json<T | null>(row.value, null) : null;
  }

  async put(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key, value: text })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: text }))
      .execute();
  }

  /** Stores `value` unless `key` is already set (first writer wins across hub processes); returns the stored value. */
  async init<T>(key: string, value: T): Promise<T> {
    await this.db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.get<T>(key)) ?? value;
  }

  async bot(defaults: Settings): Promise<Settings> {
    return { ...defaults, ...((await this.get<Partial<Settings>>('bot')) ?? {}) };
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
}
