/** `/health`: liveness plus the event-loop delay, the first sign of an overloaded hub. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { doc } from '../schemas/responses.js';

const SAMPLE_EVERY_MS = 10;

/**
 * How late a sample came, in ms. Node's histogram records the time between samples, the interval included: an idle
 * hub read 10 ms at every percentile (session 18).
 */
const lateBy = (betweenSamplesNs: number): number => Math.max(0, betweenSamplesNs / 1e6 - SAMPLE_EVERY_MS);

export const health: FastifyPluginAsync<{ store: string }> = async (app, { store }) => {
  const started = Date.now();
  const loopDelay = monitorEventLoopDelay({ resolution: SAMPLE_EVERY_MS });
  loopDelay.enable();
  app.addHook('onClose', async () => loopDelay.disable());
  app.withTypeProvider<TypeBoxTypeProvider>().get('/health', { schema: doc('GET /health') }, async () => {
    const eventLoopDelayMs = { p50: lateBy(loopDelay.percentile(50)), p99: lateBy(loopDelay.percentile(99)), max: lateBy(loopDelay.max) };
    loopDelay.reset();
    return { ok: true as const, store, uptime: Math.round((Date.now() - started) / 1000), eventLoopDelayMs, rssBytes: process.memoryUsage.rss() };
  });
};
