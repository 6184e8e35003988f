/**
 * Admins' API tokens. A token is found by its secret's SHA-256 only, and only while it is usable: unrevoked,
 * unexpired, and its creator an enabled admin — checked in the same query, so a disable, a demotion or a removal on
 * any hub stops the token on the very next request.
 */
import type { Kysely } from 'kysely';
import type { ApiTokensTable, Database } from './schema.js';

/** A token row with its creator's name (null: the account was removed). */
export type ApiTokenRow = ApiTokensTable & { creator_name: string | null };

export class ApiTokensRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ApiTokensTable): Promise<void> {
    await this.db.insertInto('api_tokens').values(row).execute();
  }

  /** Every token, revoked and expired ones too, newest first. */
  list(): Promise<ApiTokenRow[]> {
    return this.db
      .selectFrom('api_tokens as t')
      .leftJoin('agents as a', 'a.id', 't.created_by')
      .selectAll('t')
      .select('a.name as creator_name')
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .execute();
  }

  get(id: string): Promise<ApiTokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens as t')
      .leftJoin('agents as a', 'a.id', 't.created_by')
      .selectAll('t')
      .select('a.name as creator_name')
      .where('t.id', '=', id)
      .executeTakeFirst();
  }

  /** The usable token with this hash at `now`, with its creator's name, or undefined. */
  usable(tokenHash: string, now: string): Promise<(ApiTokensTable & { creator_name: string }) | undefined> {
    return this.db
      .selectFrom('api_tokens as t')
      .innerJoin('agents as a', 'a.id', 't.created_by')
      .selectAll('t')
      .select('a.name as creator_name')
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)]))
      .where('a.disabled', '=', 0)
      .where('a.role', '=', 'admin')
      .executeTakeFirst();
  }

  /** Unrevoked, unexpired tokens (the cap on how many may be live at once). */
  async countActive(now: string): Promise<number> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Records a use at `now` unless one was recorded after `since` (one conditional write: hubs don't race to write it). */
  async touch(id: string, now: string, since: string): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', since)]))
      .execute();
  }

  /** Revokes the token (a revoked one keeps its first revocation time). Whether it exists. */
  async revoke(id: string, now: string): Promise<boolean> {
    await this.db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const row = await this.db.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  /** Revokes every live token an agent created (they were disabled, demoted or removed). */
  async revokeByCreator(agentId: string, now: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: now }).where('created_by', '=', agentId).where('revoked_at', 'is', null).execute();
  }
}
