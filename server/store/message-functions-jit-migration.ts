/**
 * Migration 028_message_functions_jit (registered in migrations.ts), PostgreSQL only: the message path's functions
 * run with JIT compilation off, whatever the session's setting.
 *
 * Since 018 they run with `enable_seqscan` off, which prices every sequential scan at 10^10. One statement in them is
 * one: the enabled webhook endpoints (a small table without an index on `enabled`). Its plan, costed over every
 * threshold of JIT (`jit_above_cost` 100,000 by default), was compiled, inlined and optimised by LLVM on each call:
 * 70 ms for that one statement, and 37 ms a message over 20,000 calls against 0.3 ms without JIT
 * (docs/performance-history.md, session 37). The hub turns JIT off for its own connections (db.ts), so its messages
 * never paid this; but that is a session's setting, which a connection pooler in transaction mode does not keep, and
 * nothing else told these functions apart from any other statement. Set on the function, it holds for every caller,
 * as `enable_seqscan` does.
 *
 * CREATE OR REPLACE resets a function's settings: a later definition of these functions must repeat both
 * (message-functions-jit.test.ts checks the current ones).
 */
import { type Kysely, sql } from 'kysely';
import { MESSAGE_FUNCTIONS } from './message-write-plans-migration.js';
import type { Dialect } from './migrations.js';

export async function keepMessageFunctionsFromJit(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const signature of MESSAGE_FUNCTIONS) await sql`alter function ${sql.raw(signature)} set jit = off`.execute(db);
}
