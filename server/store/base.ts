/** What every repository shares: the connection-or-transaction type and small SQL helpers. */
import type { Kysely, Transaction } from 'kysely';
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
