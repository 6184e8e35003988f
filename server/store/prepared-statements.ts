/**
 * PostgreSQL parses and plans every statement `pg` sends without a name: for the message path's short statements that
 * was most of the database's CPU per message (docs/performance.md). The hot statements (hot-query.ts) are given names
 * here, and the pool wrapper sends them as named prepared statements: parsed and planned once per connection, then
 * only bound and executed. Everything else goes as before.
 *
 * A prepared `select *` or `returning *` fails once its table gains a column ("cached plan must not change result
 * type"): in a rolling upgrade, a newer hub's migration does that under an older hub. The statement then gets a new
 * name, so its next use prepares it afresh; a statement outside a transaction is retried at once, one inside fails
 * that transaction (the group commit runs it again; a request fails once).
 */
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

export class PreparedStatements {
  readonly #names = new Map<string, string>();
  #serial = 0;

  /** Names `sql` (once): from now on it runs as a prepared statement. */
  register(sql: string): void {
    if (!this.#names.has(sql)) this.#names.set(sql, this.#nextName());
  }

  nameOf(sql: string): string | undefined {
    return this.#names.get(sql);
  }

  /** The statement's plan went stale: its next use prepares it anew, under a new name. */
  renew(sql: string): string {
    const name = this.#nextName();
    this.#names.set(sql, name);
    return name;
  }

  #nextName(): string {
    return `switchboard_${++this.#serial}`;
  }
}

/** The statements hot-query.ts compiles, for every pool of this process. */
export const preparedStatements = new PreparedStatements();

const STALE_PLAN = 'cached plan must not change result type';

/** A pool whose clients send the registered statements by name. */
export function withPreparedStatements(pool: pg.Pool, statements: PreparedStatements = preparedStatements): PostgresPool {
  return {
    connect: async () => preparingClient(await pool.connect(), statements),
    end: () => pool.end(),
  };
}

function preparingClient(client: pg.PoolClient, statements: PreparedStatements): PostgresPoolClient {
  let inTransaction = false;
  const send = (text: string, values: readonly unknown[], name?: string) =>
    client.query({ text, values: [...values], ...(name ? { name } : {}) }) as unknown as Promise<PostgresQueryResult<never>>;
  const run = async (text: string, values: readonly unknown[]) => {
    if (/^(begin|start transaction)\b/i.test(text)) inTransaction = true;
    else if (/^(commit|rollback)$/i.test(text)) inTransaction = false;
    const name = statements.nameOf(text);
    if (!name) return send(text, values);
    try {
      return await send(text, values, name);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === '0A000' && error.message.includes(STALE_PLAN))) throw error;
      const renamed = statements.renew(text);
      if (inTransaction) throw error;
      return send(text, values, renamed);
    }
  };
  return {
    query: ((textOrCursor: unknown, values?: readonly unknown[]) =>
      typeof textOrCursor === 'string' ? run(textOrCursor, values ?? []) : client.query(textOrCursor as never)) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  };
}
