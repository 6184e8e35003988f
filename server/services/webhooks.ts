/**
 * Outgoing webhooks: admins' endpoints, the deliveries queue and its worker.
 *
 * - **Stored first.** A change that raises an event stores one delivery per subscribed endpoint: message and
 *   conversation events inside the change's own transaction (`record(tx, …)`), contact events right after the
 *   change commits (`emit`). Nothing is posted from memory, so a hub restart loses no delivery.
 * - **Claimed once.** Each hub runs a worker (timer `WEBHOOK_POLL_MS`, plus a kick after it stores a delivery) that
 *   claims due deliveries with one conditional UPDATE (store/webhooks-repo.ts) and a 30 s lease, posts each with a
 *   10 s timeout, and records the outcome under its lease token. An expired lease (a hub died mid-post) is claimed
 *   again, so delivery is at least once: receivers de-duplicate on `Switchboard-Delivery`.
 * - **Retries** back off (rules/webhooks.ts) for 24 h, then the delivery is `failed`; an admin may resend it.
 * - **SSRF guard**: https only, public addresses only (checked at registration and at connect time), unless the
 *   operator (`WEBHOOK_ALLOW_PRIVATE=1`) or an admin ("allow private targets") allows internal receivers.
 */
import { randomUUID } from 'node:crypto';
import type {
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEventData,
  WebhookEventType,
  WebhookInput,
  WebhookPatch,
  WebhookSettings,
} from '../../protocol/webhooks.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import type { HubMetrics } from '../metrics.js';
import type { Actor } from '../rules/handoff.js';
import { LEASE_MS, TargetRefused, afterFailure, signature } from '../rules/webhooks.js';
import type { Db } from '../store/base.js';
import { json } from '../store/mappers.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { webhookContact } from './webhook-payloads.js';
import { cleanEvents, decodeCursor, encodeCursor, freshDelivery, newSecret, toDelivery, toEndpoint } from './webhook-rows.js';
import { checkTarget, postDelivery } from './webhook-sender.js';

/** An event to record: its type and how to build its data (built only when an endpoint wants it). */
export type WebhookEvent = {
  [K in WebhookEventType]: { type: K; data: () => WebhookEventData[K] | Promise<WebhookEventData[K]> };
}[WebhookEventType];

export interface WebhookLog {
  error(details: unknown, message: string): void;
}

const SETTINGS_KEY = 'webhooks';
const MAX_ENDPOINTS = 20;
/** Deliveries one worker claims (and posts in parallel) at a time. */
const CLAIM_BATCH = 20;
/** Claim rounds per run at most (the timer comes back for the rest). */
const MAX_ROUNDS = 50;
const PAGE_DEFAULT = 20;
const PAGE_MAX = 100;
/** Settled (delivered or failed) deliveries are removed after `RETENTION_DAYS`, checked at most hourly. */
const PRUNE_EVERY_MS = 3_600_000;

export class Webhooks {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #again = false;
  #started = false;
  #stopped = false;
  #lastPrune = Number.NEGATIVE_INFINITY;
  #log: WebhookLog = { error: () => undefined };
  /** Per open transaction (see #subscribed); gone with it. */
  readonly #subscribedIn = new WeakMap<Db, Promise<Pick<WebhookEndpointsTable, 'id' | 'events'>[]>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: Config,
    metrics: HubMetrics,
  ) {
    metrics.queueDepth('webhooks', () => store.webhooks.depth());
  }

  #admin(actor: Actor): void {
    if (actor.role !== 'admin') throw forbidden('Only an admin can manage webhooks');
  }

  #now(): string {
    return this.clock.now().toISOString();
  }

  // ------------------------------------------------------------ settings

  async #allowPrivate(): Promise<boolean> {
    if (this.config.webhookAllowPrivate) return true;
    return (await this.store.settings.get<{ allowPrivateTargets?: boolean }>(SETTINGS_KEY))?.allowPrivateTargets === true;
  }

  async settings(actor: Actor): Promise<WebhookSettings> {
    this.#admin(actor);
    const stored = await this.store.settings.get<{ allowPrivateTargets?: boolean }>(SETTINGS_KEY);
    return { allowPrivateTargets: stored?.allowPrivateTargets === true, allowedByServer: this.config.webhookAllowPrivate };
  }

  async setSettings(actor: Actor, value: { allowPrivateTargets: boolean }): Promise<WebhookSettings> {
    this.#admin(actor);
    await this.store.settings.put(SETTINGS_KEY, { allowPrivateTargets: value.allowPrivateTargets });
    return this.settings(actor);
  }

  // ------------------------------------------------------------ endpoints

  async list(actor: Actor): Promise<WebhookEndpoint[]> {
    this.#admin(actor);
    return (await this.store.webhooks.listEndpoints()).map(toEndpoint);
  }

  /** The URL as stored, after the SSRF checks (400 naming the `url` field otherwise). */
  async #checkedUrl(text: string): Promise<string> {
    try {
      return (await checkTarget(text.trim(), await this.#allowPrivate())).href;
    } catch (error) {
      if (error instanceof TargetRefused) throw badRequest(error.message, 'url');
      throw error;
    }
  }

  async create(actor: Actor, input: WebhookInput): Promise<WebhookEndpoint> {
    this.#admin(actor);
    if ((await this.store.webhooks.countEndpoints()) >= MAX_ENDPOINTS) throw badRequest(`At most ${MAX_ENDPOINTS} webhook endpoints`);
    const now = this.#now();
    const row: WebhookEndpointsTable = {
      id: randomUUID(),
      url: await this.#checkedUrl(input.url),
      events: JSON.stringify(cleanEvents(input.events)),
      enabled: input.enabled === false ? 0 : 1,
      secret: newSecret(),
      created_at: now,
      updated_at: now,
    };
    await this.store.webhooks.createEndpoint(row);
    return toEndpoint(row);
  }

  async update(actor: Actor, id: string, patch: WebhookPatch): Promise<WebhookEndpoint> {
    this.#admin(actor);
    if (!(await this.store.webhooks.getEndpoint(id))) throw notFound('Webhook');
    const changes: Partial<WebhookEndpointsTable> = { updated_at: this.#now() };
    if (patch.url !== undefined) changes.url = await this.#checkedUrl(patch.url);
    if (patch.events !== undefined) changes.events = JSON.stringify(cleanEvents(patch.events));
    if (patch.enabled !== undefined) changes.enabled = patch.enabled ? 1 : 0;
    if (patch.rotateSecret) changes.secret = newSecret();
    const row = await this.store.webhooks.updateEndpoint(id, changes);
    if (!row) throw notFound('Webhook');
    return toEndpoint(row);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.#admin(actor);
    if (!(await this.store.webhooks.deleteEndpoint(id))) throw notFound('Webhook');
  }

  async deliveries(actor: Actor, endpointId: string, options: { cursor?: string; limit?: number }): Promise<WebhookDeliveryPage> {
    this.#admin(actor);
    if (!(await this.store.webhooks.getEndpoint(endpointId))) throw notFound('Webhook');
    const limit = Math.min(Math.max(options.limit ?? PAGE_DEFAULT, 1), PAGE_MAX);
    const rows = await this.store.webhooks.listDeliveries(endpointId, limit + 1, options.cursor ? decodeCursor(options.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const items = page.map(toDelivery);
    return rows.length > limit && last ? { items, next: encodeCursor(last) } : { items };
  }

  /** A new delivery of the same event (same body and event id, a new delivery id), due now. */
  async resend(actor: Actor, deliveryId: string): Promise<WebhookDelivery> {
    this.#admin(actor);
    const original = await this.store.webhooks.getDelivery(deliveryId);
    if (!original) throw notFound('Delivery');
    if (!(await this.store.webhooks.getEndpoint(original.endpoint_id))) throw notFound('Webhook');
    const now = this.#now();
    const row = freshDelivery({
      endpointId: original.endpoint_id,
      eventId: original.event_id,
      event: original.event,
      payload: original.payload,
      now,
      resendOf: original.id,
    });
    await this.store.webhooks.insertDeliveries([row]);
    this.kick();
    return toDelivery(row);
  }

  // ------------------------------------------------------------ events

  /**
   * Stores a delivery of each event for every enabled endpoint that wants it, in `db` (the caller's transaction,
   * so the deliveries commit or roll back with the change). Returns how many were stored: call `kick()` after
   * the commit when it is more than 0.
   */
  /**
   * The enabled endpoints, read once per transaction: the writes of one group commit share a transaction, and a
   * message then costs no extra query for them (a round trip each on PostgreSQL).
   */
  #subscribed(db: Db): Promise<Pick<WebhookEndpointsTable, 'id' | 'events'>[]> {
    let read = this.#subscribedIn.get(db);
    if (read) return read;
    if (!db.isTransaction) return this.store.webhooks.subscribed(db);
    read = this.store.webhooks.subscribed(db);
    this.#subscribedIn.set(db, read);
    return read;
  }

  /**
   * The enabled endpoints as `db` already read them: the message path's write returns them on PostgreSQL
   * (store/message-writes.ts), which saves the transaction its own read. `db` is that write's transaction, or the
   * connection it had to itself (a write alone: store/group-commit.ts); never the shared pool.
   */
  knownEndpoints(db: Db, endpoints: Pick<WebhookEndpointsTable, 'id' | 'events'>[] | undefined): void {
    if (endpoints && db !== this.store.db && !this.#subscribedIn.has(db)) this.#subscribedIn.set(db, Promise.resolve(endpoints));
  }

  async record(db: Db, events: WebhookEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const endpoints = await this.#subscribed(db);
    if (endpoints.length === 0) return 0;
    const wants = endpoints.map((e) => ({ id: e.id, events: new Set(json<string[]>(e.events, [])) }));
    const now = this.#now();
    const rows: WebhookDeliveriesTable[] = [];
    for (const event of events) {
      const targets = wants.filter((e) => e.events.has(event.type));
      if (targets.length === 0) continue;
      const eventId = `evt_${randomUUID()}`;
      const payload = JSON.stringify({ id: eventId, type: event.type, createdAt: now, data: await event.data() });
      for (const target of targets) {
        rows.push(freshDelivery({ endpointId: target.id, eventId, event: event.type, payload, now, resendOf: null }));
      }
    }
    await this.store.webhooks.insertDeliveries(rows, db);
    return rows.length;
  }

  /**
   * Runs `work` in one store transaction; the events it passes to `events` are stored in that transaction, and
   * the worker is kicked once it committed (a rollback takes the deliveries with it).
   */
  async transaction<T>(
    work: (tx: Db, events: (list: WebhookEvent[]) => Promise<void>) => Promise<T>,
    /**
     * Set for the message path: the transaction is shared with the writes arriving with it (group commit), keyed by
     * contact; `alone`: the work may run outside a transaction when it is alone in its group (store/group-commit.ts).
     */
    group?: { key: string; alone?: boolean },
  ): Promise<T> {
    let queued = 0;
    const inTransaction = (tx: Db) =>
      work(tx, async (list) => {
        queued += await this.record(tx, list);
      });
    const result = await (group === undefined ? this.store.transaction(inTransaction) : this.store.grouped(group.key, inTransaction, group.alone));
    if (queued > 0) this.kick();
    return result;
  }

  /**
   * After a change committed (contact events): stores the deliveries, then kicks the worker. Never throws: the
   * change is done; a failure here is logged (the event is lost, which `record` inside a transaction avoids).
   */
  async emit(events: WebhookEvent[]): Promise<void> {
    try {
      if ((await this.record(this.store.db, events)) > 0) this.kick();
    } catch (error) {
      this.#log.error({ err: error, events: events.map((e) => e.type) }, 'webhook deliveries not stored');
    }
  }

  /** contact.created or contact.updated, with the contact as it is now (after the change committed). */
  contactChanged(type: 'contact.created' | 'contact.updated', ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return Promise.resolve();
    return this.emit(
      unique.map((id) => ({
        type,
        data: async () => {
          const [row, tags] = await Promise.all([this.store.contacts.get(id), this.store.contacts.tagsOf([id])]);
          if (!row) throw new Error(`contact ${id} is gone`);
          return { contact: webhookContact(row, tags.get(id) ?? []) };
        },
      })),
    );
  }

  /** contact.deleted: only the ids go out, the person's data is gone. */
  contactDeleted(contacts: { id: string; siteId: string }[], reason: 'erased' | 'merged' | 'empty', mergedInto: string | null = null): Promise<void> {
    if (contacts.length === 0) return Promise.resolve();
    return this.emit(contacts.map(({ id, siteId }) => ({ type: 'contact.deleted' as const, data: () => ({ contact: { id, siteId }, reason, mergedInto }) })));
  }

  /** A delivery was stored: run the worker now rather than at the next tick (when the worker runs at all). */
  kick(): void {
    if (!this.#started || this.#stopped) return;
    setImmediate(() => void this.runDue().catch((error: unknown) => this.#log.error({ err: error }, 'webhook run failed')));
  }

  // ------------------------------------------------------------ the worker

  /** Starts this hub's worker (the hub calls it once it listens); `WEBHOOK_POLL_MS` = 0 leaves it off. */
  start(log: WebhookLog): void {
    this.#log = log;
    if (this.config.webhookPollMs <= 0 || this.#started) return;
    this.#started = true;
    const tick = () => void this.runDue().catch((error: unknown) => this.#log.error({ err: error }, 'webhook run failed'));
    this.#timer = setInterval(tick, this.config.webhookPollMs);
    this.#timer.unref();
    tick(); // what a previous process left due
  }

  /** Stops the timer and waits for the attempts in flight (at most the 10 s timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /**
   * Posts every delivery due now (claimed by this hub), and resolves with how many attempts it made. One run at a
   * time per hub: a call during a run makes it go round once more and shares its result. Tests call it directly.
   */
  runDue(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      let attempts = 0;
      do {
        this.#again = false;
        attempts += await this.#runOnce();
      } while (this.#again && !this.#stopped);
      return attempts;
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #runOnce(): Promise<number> {
    await this.#prune();
    let attempts = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.#stopped; round++) {
      const now = this.clock.now();
      const token = randomUUID();
      const claimed = await this.store.webhooks.claimDue(now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString(), token, CLAIM_BATCH);
      if (claimed.length === 0) break;
      const [endpoints, allowPrivate] = await Promise.all([this.store.webhooks.endpoints(claimed.map((d) => d.endpoint_id)), this.#allowPrivate()]);
      await Promise.all(claimed.map((delivery) => this.#attempt(delivery, endpoints.get(delivery.endpoint_id), token, allowPrivate)));
      attempts += claimed.length;
    }
    return attempts;
  }

  async #attempt(delivery: WebhookDeliveriesTable, endpoint: WebhookEndpointsTable | undefined, token: string, allowPrivate: boolean): Promise<void> {
    const started = this.#now();
    // The signature's time is the wall clock's: receivers compare it with theirs (the hub's clock drives the rules).
    const result = endpoint
      ? await postDelivery(
          endpoint.url,
          {
            'Switchboard-Signature': signature(endpoint.secret, Math.floor(Date.now() / 1000), delivery.payload),
            'Switchboard-Event': delivery.event,
            'Switchboard-Delivery': delivery.id,
          },
          delivery.payload,
          allowPrivate,
        )
      : { status: null, error: 'The endpoint was removed' };
    const attempts = Number(delivery.attempts) + 1;
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const next = ok ? null : afterFailure(delivery.created_at, this.clock.now(), attempts);
    await this.store.webhooks.finish(delivery.id, token, {
      status: ok ? 'delivered' : (next?.status ?? 'failed'),
      attempts,
      response_code: result.status,
      error: result.error,
      last_attempt_at: started,
      next_attempt_at: next?.status === 'pending' ? next.nextAttemptAt : null,
      delivered_at: ok ? this.#now() : null,
    });
  }

  async #prune(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    await this.store.webhooks.prune(new Date(now - this.config.retentionDays * 86_400_000).toISOString());
  }
}
