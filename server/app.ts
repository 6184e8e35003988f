/**
 * Builds the hub: Fastify (REST, static files) + Socket.IO (namespaces /visitor and /agent) over
 * one store. Reads no environment: everything comes from `config` so tests can build many hubs.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { createAdapter } from '@socket.io/redis-adapter';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { ERROR_CODES, type ErrorCode } from '../protocol/errors.js';
import { randomSecret, visitorTokens } from './auth.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { HubError } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes, authentication } from './routes/auth.js';
import type { RouteContext } from './routes/context.js';
import { conversationRoutes } from './routes/conversations.js';
import { faqRoutes } from './routes/faqs.js';
import { visitorRoutes } from './routes/visitors.js';
import { seedDefaults } from './seed.js';
import { storable } from './text.js';
import { BotService } from './services/bot-service.js';
import { ChatService } from './services/chat.js';
import { registerAgentNamespace } from './sockets/agent.js';
import { RateLimiter } from './sockets/rate-limit.js';
import { registerVisitorNamespace } from './sockets/visitor.js';
import { openDatabase } from './store/db.js';
import { Store } from './store/store.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface HubOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

export interface Hub {
  app: FastifyInstance;
  io: Server;
  store: Store;
  chat: ChatService;
  config: Config;
  /** Applies time-driven rules now (auto-unmute, inactivity). The hub also runs it on a timer. */
  sweep: ChatService['sweep'];
  listen(): Promise<string>;
  close(): Promise<void>;
}

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

export async function buildHub(config: Config, options: HubOptions = {}): Promise<Hub> {
  const clock = options.clock ?? systemClock;
  let app: FastifyInstance | undefined;
  const { db, dialect, description } = await openDatabase(config.databaseUrl, (error) =>
    app?.log.warn({ err: error }, 'database connection lost; the pool reconnects'),
  );
  const store = new Store(db, dialect);
  const secret = config.secret ?? (await storedSecret(store));

  app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  // REST bodies are validated by TypeBox like socket payloads: strictly (AJV's coercion turned a tag
  // of 1 into "1"); query strings and params are converted (?includeOld=true arrives as a string).
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; code?: string }, request, reply) => {
    if (error instanceof HubError) return reply.code(error.status).send(error.toBody());
    if (error.validation) return reply.code(400).send({ code: 'bad_request', message: error.message });
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
  await app.register(cors, { origin: true, methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'], exposedHeaders: ['content-disposition'] });
  await app.register(rateLimit, {
    max: config.requestsPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, code: 'rate_limited', message: `Too many requests; retry in ${context.after}` }),
  });
  await app.register(fastifyStatic, { root: `${root}demo`, prefix: '/demo/' });

  const scriptFile = (file: string) => (_request: unknown, reply: { sendFile: (f: string, r: string, o: object) => unknown }) =>
    // Short cache + ETag: the loader URL never changes, so sites pick up new versions within minutes.
    reply.sendFile(file, `${root}dist`, { maxAge: 300_000, immutable: false });
  for (const file of ['widget.js', 'widget.js.map', 'agent-panel.js', 'agent-panel.js.map']) app.get(`/${file}`, scriptFile(file));
  app.get('/', (_request, reply) => reply.redirect('/demo/shop.html'));
  app.get('/crm', (_request, reply) => reply.redirect('/demo/crm.html'));
  const started = Date.now();
  // Event-loop delay is the first sign of an overloaded hub; exposed for monitoring and the benchmark.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.get('/health', async () => {
    const eventLoopDelayMs = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    loopDelay.reset();
    return { ok: true as const, store: dialect, uptime: Math.round((Date.now() - started) / 1000), eventLoopDelayMs, rssBytes: process.memoryUsage.rss() };
  });

  const io = new Server(app.server, {
    cors: { origin: true },
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const redisClients: { quit(): Promise<unknown> }[] = [];
  if (config.redisUrl) {
    const pub = createClient({ url: config.redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(createAdapter(pub, sub));
  }

  const bot = new BotService(store);
  const chat = new ChatService(store, bot, clock, config, io);
  const log = { error: (obj: unknown, msg: string) => app.log.error(obj, msg) };
  registerVisitorNamespace({
    store,
    chat,
    tokens: visitorTokens(secret),
    clock,
    messageLimiter: new RateLimiter(config.messagesPerMinute),
    connectionLimiter: new RateLimiter(config.messagesPerMinute * 20),
    log,
  });
  registerAgentNamespace({ store, chat, clock, messageLimiter: new RateLimiter(config.messagesPerMinute * 2), log });

  const context: RouteContext = { store, chat, bot, clock, config };
  await app.register(async (api) => {
    await api.register(authentication, context);
    await api.register(authRoutes, context);
    await api.register(conversationRoutes, context);
    await api.register(visitorRoutes, context);
    await api.register(faqRoutes, context);
    await api.register(adminRoutes, context);
  });

  await seedDefaults(store, config, clock);

  let sweeper: NodeJS.Timeout | null = null;
  const runSweep = () => chat.sweep().catch((error: unknown) => app.log.error({ err: error }, 'sweep failed'));
  app.addHook('onClose', async () => {
    if (sweeper) clearInterval(sweeper);
  });
  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
  });

  return {
    app,
    io,
    store,
    chat,
    config,
    sweep: () => chat.sweep(),
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      app.log.info({ store: description }, 'hub ready');
      if (config.sweepIntervalMs > 0) {
        sweeper = setInterval(runSweep, config.sweepIntervalMs);
        sweeper.unref();
        void runSweep();
      }
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      loopDelay.disable();
      await app.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all(redisClients.map((client) => client.quit().catch(() => undefined)));
      await store.close();
    },
  };
}

/** The visitor-token key: SWITCHBOARD_SECRET, or one generated once and kept in the database. */
async function storedSecret(store: Store): Promise<string> {
  return store.initSetting('visitor_token_secret', randomSecret());
}

export { ERROR_CODES };
