/**
 * Builds the hub: Fastify (REST, static files) + Socket.IO (namespaces /visitor and /agent) over one
 * store, assembled from plugins. Reads no environment: everything comes from `config`, so tests can
 * build many hubs. See docs/architecture.md for the parts and the path of a message.
 */
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { Server } from 'socket.io';
import { randomSecret, visitorTokens } from './auth.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { assets } from './plugins/assets.js';
import { health } from './plugins/health.js';
import { metricsPlugin } from './plugins/metrics.js';
import { httpBasics } from './plugins/http-basics.js';
import { openapi } from './plugins/openapi.js';
import { servicesPlugin } from './plugins/services.js';
import { adminRoutes } from './routes/admin.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { assistRoutes } from './routes/assist.js';
import { attachmentRoutes } from './routes/attachments.js';
import { authentication, authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { faqRoutes } from './routes/faqs.js';
import { visitorRoutes } from './routes/visitors.js';
import { contactRoutes } from './routes/contacts.js';
import { emailRoutes, inboundEmailRoutes } from './routes/email.js';
import { teamRoutes } from './routes/team.js';
import { webhookRoutes } from './routes/webhooks.js';
import { widgetRoutes } from './routes/widget.js';
import { cachedSerializerCompiler } from './schemas/serializer.js';
import { seedDefaults } from './seed.js';
import { createServices, type HubServices } from './services/hub-services.js';
import type { SweepResult } from './services/sweeper.js';
import { registerAgentNamespace } from './sockets/agent.js';
import { type InboundSmtp, startInboundSmtp } from './sockets/inbound-smtp.js';
import { RateLimiter } from './sockets/rate-limit.js';
import { registerVisitorNamespace } from './sockets/visitor.js';
import { noteUpgradeResponses } from './sockets/upgrade-requests.js';
import { writeOncePerTurn } from './sockets/write-per-turn.js';
import { openDatabase } from './store/db.js';
import { Store } from './store/store.js';

export interface HubOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

export interface Hub {
  app: FastifyInstance;
  io: Server;
  store: Store;
  services: HubServices;
  config: Config;
  /** Applies time-driven rules now (auto-unmute, inactivity). The hub also runs it on a timer. */
  sweep(): Promise<SweepResult>;
  /** The built-in SMTP listener for email replies, once `listen()` started it (INBOUND_SMTP_PORT); else null. */
  inboundSmtp(): InboundSmtp | null;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function buildHub(config: Config, options: HubOptions = {}): Promise<Hub> {
  const clock = options.clock ?? systemClock;
  let app: FastifyInstance | undefined;
  const { db, dialect, description } = await openDatabase(
    config.databaseUrl,
    (error) => app?.log.warn({ err: error }, 'database connection lost; the pool reconnects'),
    (message) => app?.log.warn(`SQLite checkpoint failed, retried shortly: ${message}`),
  );
  const store = new Store(db, dialect);
  // The visitor-token key: SWITCHBOARD_SECRET, or one generated once and kept in the database.
  const secret = config.secret ?? (await store.settings.init('visitor_token_secret', randomSecret()));

  const trustProxy = config.trustProxy;
  app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // A hop count trusts that many proxies nearest to us (the function form of Fastify's numeric option).
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
  }) as unknown as FastifyInstance;
  // REST bodies are validated by TypeBox like socket payloads: strictly (AJV's coercion turned a tag
  // of 1 into "1"); query strings and params are converted (?includeOld=true arrives as a string).
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // Answers are serialised with their response schema (server/schemas/responses.ts), each schema compiled once.
  app.setSerializerCompiler(cachedSerializerCompiler());

  const io = new Server(app.server, { cors: { origin: true }, maxHttpBufferSize: 64 * 1024, pingInterval: 20_000, pingTimeout: 20_000 });
  noteUpgradeResponses(io);
  writeOncePerTurn(io);
  const redisClients = config.redisUrl ? await useRedisAdapter(io, config.redisUrl, config.redisPrefix) : [];
  const services = createServices(store, io, visitorTokens(secret), clock, config, secret);
  services.attachments.useLog({ warn: (obj, msg) => app?.log.warn(obj, msg) });

  await app.register(httpBasics, { requestsPerMinute: config.requestsPerMinute });
  await app.register(servicesPlugin, { services });
  // Before every route: the OpenAPI document is collected from the routes as they are added.
  await app.register(openapi);
  await app.register(assets);
  await app.register(health, { store: dialect });
  const [redis] = redisClients;
  await app.register(metricsPlugin, {
    metrics: services.metrics,
    token: config.metricsToken,
    checks: async () => ({
      store: await answers(sql`select 1`.execute(db)),
      redis: redis ? await answers(redis.ping()) : null,
    }),
  });
  await app.register(async (api) => {
    await api.register(authentication);
    for (const routes of [
      authRoutes,
      conversationRoutes,
      visitorRoutes,
      contactRoutes,
      faqRoutes,
      adminRoutes,
      teamRoutes,
      webhookRoutes,
      apiTokenRoutes,
      assistRoutes,
      emailRoutes,
      attachmentRoutes,
      widgetRoutes,
    ])
      await api.register(routes);
  });
  // Not behind the agent-token check: the operator's mail system authenticates with INBOUND_EMAIL_TOKEN.
  await app.register(inboundEmailRoutes);

  const log = { error: (obj: unknown, msg: string) => app.log.error(obj, msg) };
  const perMinute = config.messagesPerMinute;
  registerVisitorNamespace(
    services,
    { messages: new RateLimiter(perMinute), events: new RateLimiter(perMinute * 4), connections: new RateLimiter(perMinute * 20) },
    log,
  );
  registerAgentNamespace(services, { messages: new RateLimiter(perMinute * 2), events: new RateLimiter(perMinute * 10) }, log);

  await seedDefaults(store, config, clock);

  let sweeper: NodeJS.Timeout | null = null;
  let countFolder: NodeJS.Timeout | null = null;
  let folding: Promise<unknown> = Promise.resolve();
  let smtp: InboundSmtp | null = null;
  services.emailInbound.useLog({ warn: (obj, msg) => app.log.warn(obj, msg) });
  const runSweep = () => services.sweeper.sweep().catch((error: unknown) => app.log.error({ err: error }, 'sweep failed'));
  app.addHook('onClose', async () => {
    if (sweeper) clearInterval(sweeper);
    if (countFolder) clearInterval(countFolder);
    await folding;
    await services.webhooks.stop();
    await smtp?.close();
    await services.email.stop();
    services.attachments.storage.close?.();
  });
  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
    // Idle keep-alive connections close at once (Fastify's default); one still busy (a client that never finished
    // reading a file) gets 5 s, then is cut, so a restart never hangs on it (it had waited for Node's 60 s header
    // timeout plus its check interval).
    setTimeout(() => app.server.closeAllConnections(), 5000).unref();
  });

  return {
    app,
    io,
    store,
    services,
    config,
    sweep: () => services.sweeper.sweep(),
    inboundSmtp: () => smtp,
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      app.log.info({ store: description, attachments: services.attachments.storage.description }, 'hub ready');
      if (config.sweepIntervalMs > 0) {
        sweeper = setInterval(runSweep, config.sweepIntervalMs);
        sweeper.unref();
        void runSweep();
      }
      // The tab counts' deltas, folded into their totals every second so that a count reads a few thousand rows; and
      // on SQLite the second's messages, indexed for search in one batch (store/search-index.ts).
      const fold = () =>
        Promise.all([
          store.inbox.totals.compact().catch((error: unknown) => app.log.error({ err: error }, 'count totals failed')),
          store.inbox.searchIndex.catchUp().catch((error: unknown) => app.log.error({ err: error }, 'search index failed')),
        ]);
      countFolder = setInterval(() => (folding = fold()), 1000);
      countFolder.unref();
      // The webhook worker (WEBHOOK_POLL_MS; 0 leaves it off).
      services.webhooks.start({ error: (obj, msg) => app.log.error(obj, msg) });
      // The email worker (needs SMTP_URL; EMAIL_POLL_MS = 0 leaves it off) and the reply listener (INBOUND_SMTP_PORT).
      services.email.start({ error: (obj, msg) => app.log.error(obj, msg) });
      if (config.inboundSmtpPort !== null && !smtp) {
        smtp = await startInboundSmtp(services.emailInbound, {
          host: config.inboundSmtpHost,
          port: config.inboundSmtpPort,
          log: { error: (obj, msg) => app.log.error(obj, msg) },
        });
        app.log.info({ port: smtp.port }, 'inbound SMTP listening');
      }
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      await app.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all(redisClients.map((client) => client.quit().catch(() => undefined)));
      await store.close();
    },
  };
}

/** Whether a dependency answered a ping within 2 s (a client may queue commands forever while reconnecting). */
function answers(ping: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 2000);
  });
  return Promise.race([
    ping.then(
      () => true,
      () => false,
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

/** Several hub processes share rooms through Redis pub/sub, on channels named after `prefix`. */
async function useRedisAdapter(io: Server, url: string, prefix: string): Promise<{ quit(): Promise<unknown>; ping(): Promise<unknown> }[]> {
  // Loaded only here: a hub without Redis (the default) does not pay for the client at every start (docs/decisions.md).
  const [{ createClient }, { createAdapter }] = await Promise.all([import('redis'), import('@socket.io/redis-adapter')]);
  // A bounded queue: while Redis does not answer, commands wait in memory, and past this many new ones fail at once.
  const pub = createClient({ url, commandsQueueMaxLength: 100_000 });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  // The adapter publishes and forgets (broadcasts, presence answers): a publish that fails must not become an
  // unhandled rejection, which ends the process. It happens on close(): an agent's disconnect handler still
  // announces their presence after the clients quit. (Whoever awaits a publish still sees its error.)
  // Publishes carry no command timeout: the client arms one timer per command (5 s by default) that fires even after
  // the reply, and with several publishes per message those timers were 4 % of a hub's CPU. Nobody waits on a
  // publish; the commands that are waited on (the adapter's server count) keep theirs.
  const untimed = pub.withCommandOptions({ timeout: 0 });
  const publish = untimed.publish.bind(untimed);
  Object.defineProperty(pub, 'publish', {
    value: (...args: Parameters<typeof publish>) => {
      const published = publish(...args);
      published.catch(() => undefined);
      return published;
    },
  });
  io.adapter(createAdapter(pub, sub, { key: prefix }));
  return [pub, sub];
}
