/**
 * Webhook endpoints and the deliveries queue. A delivery is claimed with one conditional UPDATE (pending and due,
 * or sending with an expired lease → sending, leased to one worker with a random token; PostgreSQL skips rows
 * another worker is claiming at that moment), and only the token's holder records the outcome. So with several
 * hubs on one database each delivery is posted by one of them at a time.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Db } from './base.js';
import { HotQuery } from './hot-query.js';
import type { Dialect } from './migrations.js';
import type { Database, WebhookDeliveriesTable, WebhookEndpointsTable } from './schema.js';

type DeliveryEb = ExpressionBuilder<Database, 'webhook_deliveries'>;

/** Due at `now`: pending and its attempt time has come, or sending and its lease ran out (its worker died). */
const due =
  (now: string) =>
  (eb: DeliveryEb): Expression<SqlBool> =>
    eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<=', now)])]);

export class WebhooksRepo {
  /** Read with every stored message on SQLite (PostgreSQL's message function reads them itself): compiled once. */
  readonly #subscribed = new HotQuery((_args: Record<string, never>) =>
    this.db.selectFrom('webhook_endpoints').select(['id', 'events']).where('enabled', '=', 1),
  );

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  // ------------------------------------------------------------ endpoints

  listEndpoints(): Promise<WebhookEndpointsTable[]> {
    return this.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  getEndpoint(id: string): Promise<WebhookEndpointsTable | undefined> {
    return this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async endpoints(ids: string[]): Promise<Map<string, WebhookEndpointsTable>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  async countEndpoints(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_endpoints')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The enabled endpoints and the events they want, read in the caller's transaction (SQLite: once per message). */
  async subscribed(db: Db = this.db): Promise<Pick<WebhookEndpointsTable, 'id' | 'events'>[]> {
    return (await this.#subscribed.execute(db, {})).rows;
  }

  async createEndpoint(row: WebhookEndpointsTable): Promise<void> {
    await this.db.insertInto('webhook_endpoints').values(row).execute();
  }

  async updateEndpoint(id: string, changes: Partial<Omit<WebhookEndpointsTable, 'id'>>): Promise<WebhookEndpointsTable | undefined> {
    return this.db.updateTable('webhook_endpoints').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  }

  /** The endpoint and its deliveries (those still queued are dropped). */
  async deleteEndpoint(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      const result = await tx.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  // ------------------------------------------------------------ deliveries

  async insertDeliveries(rows: WebhookDeliveriesTable[], db: Db = this.db): Promise<void> {
    if (rows.length > 0) await db.insertInto('webhook_deliveries').values(rows).execute();
  }

  getDelivery(id: string): Promise<WebhookDeliveriesTable | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Claims up to `limit` due deliveries of enabled endpoints for one worker: they become `sending`, leased until
   * `leaseUntil` under `token`. One statement: a materialized CTE picks the rows (PostgreSQL: locking them and
   * skipping rows another worker has locked; SQLite has one writer), the UPDATE re-checks the condition. So two
   * workers never claim the same delivery. (The CTE, not `id IN (subquery … LIMIT … FOR UPDATE)`: PostgreSQL may
   * re-run such a subquery for each row, and each run locks the next rows, claiming far more than `limit`.)
   */
  claimDue(now: string, leaseUntil: string, token: string, limit: number): Promise<WebhookDeliveriesTable[]> {
    return this.db
      .with(
        (cte) => cte('due_deliveries').materialized(),
        (db) =>
          db
            .selectFrom('webhook_deliveries')
            .select('id')
            .where(due(now))
            .where('endpoint_id', 'in', (inner) => inner.selectFrom('webhook_endpoints').select('id').where('enabled', '=', 1))
            .orderBy('next_attempt_at')
            .limit(limit)
            .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
      )
      .updateTable('webhook_deliveries')
      .set({ status: 'sending', lease_until: leaseUntil, lease_token: token })
      .where('id', 'in', (eb) => eb.selectFrom('due_deliveries').select('due_deliveries.id'))
      .where(due(now))
      .returningAll()
      .execute();
  }

  /** Records an attempt's outcome, only if this worker's claim (`token`) still holds it. */
  async finish(id: string, token: string, changes: Partial<WebhookDeliveriesTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ ...changes, lease_until: null, lease_token: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('lease_token', '=', token)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** An endpoint's deliveries, latest first, after the keyset cursor (created_at, id). */
  listDeliveries(endpointId: string, limit: number, before?: { createdAt: string; id: string }): Promise<WebhookDeliveriesTable[]> {
    return this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .$if(before !== undefined, (q) =>
        q.where((eb) =>
          eb.or([eb('created_at', '<', before?.createdAt ?? ''), eb.and([eb('created_at', '=', before?.createdAt ?? ''), eb('id', '<', before?.id ?? '')])]),
        ),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Deliveries waiting or being posted (the queue-depth gauge). */
  async depth(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', 'in', ['pending', 'sending'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Removes delivered and failed deliveries created before `cutoff`; returns how many. */
  async prune(cutoff: string): Promise<number> {
    const result = await this.db
      .deleteFrom('webhook_deliveries')
      .where('status', 'in', ['delivered', 'failed'])
      .where('created_at', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
