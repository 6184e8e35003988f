/**
 * Prometheus metrics (prom-client), one registry per hub so several hubs in one process (tests) don't
 * share counters. Services record what happened; `GET /metrics` (plugins/metrics.ts) exposes it.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MessageAuthor } from '../protocol/types.js';

/** Queues whose depth is reported; a part that owns a queue (webhooks, emails) registers its reader. */
export type QueueName = 'webhooks' | 'emails';

export class HubMetrics {
  readonly registry = new Registry();
  readonly #queues = new Map<QueueName, () => number | Promise<number>>();

  readonly messages = new Counter({
    name: 'switchboard_messages_total',
    help: 'Messages stored from a client (direction=in) and pushed to the other side (direction=out), by author',
    labelNames: ['direction', 'author'] as const,
    registers: [this.registry],
  });

  readonly delivery = new Histogram({
    name: 'switchboard_delivery_seconds',
    help: 'From a message arriving at the hub to it being pushed to the other side (stored first), by author',
    labelNames: ['author'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly store = new Histogram({
    name: 'switchboard_store_seconds',
    help: 'Time of the store transaction that makes a message durable, by author',
    labelNames: ['author'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly sweeps = new Counter({
    name: 'switchboard_sweeps_total',
    help: 'Sweeps run (auto-unmute, inactivity, expiry, empty sessions)',
    registers: [this.registry],
  });

  readonly swept = new Counter({
    name: 'switchboard_swept_total',
    help: 'What sweeps changed, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /**
   * @param connections live socket counts of this hub process (a cluster's total is the sum over hubs,
   *   which is what Prometheus does when it scrapes each one).
   */
  constructor(connections: { visitors: () => number; agents: () => number }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_' });
    const queues = this.#queues;
    new Gauge({
      name: 'switchboard_connected_visitors',
      help: 'Widget sockets connected to this hub',
      registers: [this.registry],
      collect() {
        this.set(connections.visitors());
      },
    });
    new Gauge({
      name: 'switchboard_connected_agents',
      help: 'Agent panel sockets connected to this hub',
      registers: [this.registry],
      collect() {
        this.set(connections.agents());
      },
    });
    new Gauge({
      name: 'switchboard_queue_depth',
      help: 'Items waiting in an outbound queue (0 while the part that owns it is not configured)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        for (const queue of ['webhooks', 'emails'] as const) this.set({ queue }, (await queues.get(queue)?.()) ?? 0);
      },
    });
  }

  queueDepth(queue: QueueName, read: () => number | Promise<number>): void {
    this.#queues.set(queue, read);
  }

  /** A client's message was stored (`storeSeconds`) and pushed (`totalSeconds` after it arrived). */
  delivered(author: MessageAuthor, storeSeconds: number, totalSeconds: number): void {
    this.messages.inc({ direction: 'in', author });
    this.store.observe({ author }, storeSeconds);
    this.delivery.observe({ author }, totalSeconds);
  }

  pushed(author: MessageAuthor): void {
    this.messages.inc({ direction: 'out', author });
  }

  sweep(changes: Record<string, number>): void {
    this.sweeps.inc();
    for (const [kind, count] of Object.entries(changes)) if (count > 0) this.swept.inc({ kind }, count);
  }
}
