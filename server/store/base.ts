/** What every repository shares: the connection-or-transaction type and small SQL helpers. */
import { type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** A repository method runs on the pool or inside the caller's transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Who is looking: admins see everything, agents only what is visible to them. */
export interface Viewer {
  id: string;
  role: 'admin' | 'agent';
}

export const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE';
};

export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `"id"` inside a JSON array column, for LIKE (ids and tags are JSON-encoded, so quotes delimit them). */
export const jsonItemPattern = (item: string): string => `%${escapeLike(JSON.stringify(item))}%`;

/**
 * SQL condition on the contact `alias`: its name or email contains `q` (with `alsoPhoneAndUserId`, or its phone or user id).
 * Name and email are stored lower-cased (schema.ts): lower() on every contact made a scan of 50,000 of them 3–4 times
 * slower on PostgreSQL. The expressions are the ones contact-trigrams-migration.ts indexes, word for word, so that
 * PostgreSQL reads only the contacts that have the query's trigrams (a missing email or phone is null, which `or` and
 * `where` read as no match).
 */
export function contactContains(alias: string, q: string, { alsoPhoneAndUserId = false } = {}): RawBuilder<SqlBool> {
  const pattern = `%${escapeLike(q.toLowerCase())}%`;
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const name = sql<SqlBool>`${column('name')} like ${pattern} escape '\\' or ${column('email')} like ${pattern} escape '\\'`;
  if (!alsoPhoneAndUserId) return sql<SqlBool>`(${name})`;
  return sql<SqlBool>`(${name} or lower(${column('phone')}) like ${pattern} escape '\\' or lower(${column('user_id')}) like ${pattern} escape '\\')`;
}
