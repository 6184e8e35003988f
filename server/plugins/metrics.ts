/**
 * `GET /metrics` (Prometheus text format) and `GET /ready` (readiness: the store and, when configured,
 * Redis answer). Metrics tell a lot about traffic, so they are for the operator only: with `METRICS_TOKEN`
 * a scraper presents it as a Bearer token; without it only loopback clients (a local agent or sidecar) may read.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { HubError } from '../errors.js';
import type { HubMetrics } from '../metrics.js';

export interface MetricsOptions {
  metrics: HubMetrics;
  token: string | null;
  /** Each dependency's answer to a ping: true = reachable; null = not configured. */
  checks: () => Promise<Record<string, boolean | null>>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function mayRead(request: FastifyRequest, token: string | null): boolean {
  if (!token) return LOOPBACK.test(request.ip);
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const metricsPlugin: FastifyPluginAsync<MetricsOptions> = async (app, { metrics, token, checks }) => {
  app.get('/metrics', async (request, reply) => {
    if (!mayRead(request, token)) {
      throw token
        ? new HubError('unauthorized', 'A metrics token is required')
        : new HubError('forbidden', 'Metrics are served to loopback clients only (set METRICS_TOKEN)');
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/ready', async (_request, reply) => {
    const results = await checks();
    const ready = Object.values(results).every((ok) => ok !== false);
    reply.code(ready ? 200 : 503);
    return { ready, ...Object.fromEntries(Object.entries(results).map(([name, ok]) => [name, ok === null ? 'off' : ok ? 'ok' : 'down'])) };
  });
};
