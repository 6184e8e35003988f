/** `/health`: liveness plus the event-loop delay, the first sign of an overloaded hub. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { doc } from '../schemas/responses.js';

export const health: FastifyPluginAsync<{ store: string }> = async (app, { store }) => {
  const started = Date.now();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.addHook('onClose', async () => loopDelay.disable());
  app.withTypeProvider<TypeBoxTypeProvider>().get('/health', { schema: doc('GET /health') }, async () => {
    const eventLoopDelayMs = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    loopDelay.reset();
    return { ok: true as const, store, uptime: Math.round((Date.now() - started) / 1000), eventLoopDelayMs, rssBytes: process.memoryUsage.rss() };
  });
};
