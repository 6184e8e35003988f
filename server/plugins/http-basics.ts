/**
 * What every HTTP answer shares: errors as `{ code, message }`, storable input, security headers,
 * CORS for embedding CRMs, and the per-address rate limit.
 */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { ErrorCode } from '../../protocol/errors.js';
import { HubError } from '../errors.js';
import { storable } from '../text.js';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'bad_request',
  429: 'rate_limited',
};

/** The top-level body field a schema error is about (`body/faqThreshold must be <= 1` → `faqThreshold`). */
function invalidField(error: { validation?: unknown; validationContext?: string }): { field?: string } {
  const first = Array.isArray(error.validation) ? (error.validation[0] as { instancePath?: unknown } | undefined) : undefined;
  const field = error.validationContext === 'body' && typeof first?.instancePath === 'string' ? first.instancePath.split('/')[1] : undefined;
  return field ? { field } : {};
}

export const httpBasics = fp<{ requestsPerMinute: number }>(
  async (app, { requestsPerMinute }) => {
    app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; validationContext?: string; code?: string }, request, reply) => {
      if (error instanceof HubError) return reply.code(error.status).send(error.toBody());
      if (error.validation) return reply.code(400).send({ code: 'bad_request', message: error.message, ...invalidField(error) });
      const status = error.statusCode ?? 500;
      const code = STATUS_CODES[status];
      if (code && status < 500) return reply.code(status).send({ code, message: error.message });
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ code: 'internal', message: 'Something went wrong on the hub' });
    });
    // Every string a client sends is made storable (see text.ts) before the schemas look at it.
    app.addHook('preValidation', async (request) => {
      if (request.body !== undefined) request.body = storable(request.body);
      request.params = storable(request.params);
      request.query = storable(request.query);
    });
    app.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` }));

    await app.register(helmet, {
      // The widget and panel scripts are loaded by other sites' pages.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: { directives: { 'connect-src': ["'self'", 'ws:', 'wss:'], 'img-src': ["'self'", 'data:'] } },
    });
    // Bearer tokens, no cookies: any origin may call the API (the CRM embedding the panel).
    await app.register(cors, { origin: true, methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], exposedHeaders: ['content-disposition'] });
    await app.register(rateLimit, {
      max: requestsPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) => ({ statusCode: 429, code: 'rate_limited', message: `Too many requests; retry in ${context.after}` }),
    });
  },
  { name: 'switchboard-http-basics' },
);
