/**
 * Starts a real hub in this process on a random port with a temp SQLite file (or a fresh PostgreSQL
 * database when TEST_DATABASE_URL names a server, see databases.mjs)
 * and a manual clock, plus helpers to connect real socket.io clients and call the REST API.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Socket, io } from 'socket.io-client';
import type {
  AgentClientToServer,
  AgentServerToClient,
  VisitorAuth,
  VisitorClientToServer,
  VisitorServerToClient,
  VisitorSession,
} from '../../protocol/events.js';
import type { Ack } from '../../protocol/errors.js';
import { type Hub, buildHub } from '../../server/app.js';
import { ManualClock } from '../../server/clock.js';
import { type Config, DEFAULTS } from '../../server/config.js';
import { dropTestDatabase } from './databases.mjs';
import { migratedDatabaseUrl } from './schema-template.js';

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };

export type VisitorSocket = Socket<VisitorServerToClient, VisitorClientToServer>;
export type AgentSocket = Socket<AgentServerToClient, AgentClientToServer>;

export interface TestHub {
  hub: Hub;
  url: string;
  clock: ManualClock;
  dir: string;
  databaseUrl: string;
  /** REST call as `token` (or anonymous); returns status and parsed body. */
  api<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; contentType?: string },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  login(email?: string, password?: string): Promise<string>;
  /** Creates an agent (as admin) and returns its id and token. */
  agent(role?: 'admin' | 'agent', name?: string): Promise<{ id: string; token: string; email: string }>;
  visitor(auth?: Partial<VisitorAuth>): Promise<{ socket: VisitorSocket; session: VisitorSession }>;
  agentSocket(token: string): Promise<AgentSocket>;
  /** Closes the hub and every client; the database file stays (for restart tests). */
  stop(): Promise<void>;
}

/** Hubs still running per data directory, and directories whose creator has finished. */
const openHubs = new Map<string, number>();
const ownedDirs = new Set<string>();

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...DEFAULTS,
    port: 0,
    databaseUrl: 'sqlite::memory:',
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
    logLevel: 'silent',
    sweepIntervalMs: 0,
    // Tests run the webhook worker themselves (hub.services.webhooks.runDue()) with the manual clock.
    webhookPollMs: 0,
    messagesPerMinute: 600,
    // scrypt's lowest cost: the suites create and sign in agents thousands of times, 50 ms of CPU each at the default
    // (about a tenth of the server tests' CPU). rest.test.ts checks the default and hashes of another cost.
    passwordHashCost: 1024,
    secret: 'test-secret-0123456789abcdef',
    demoSiteSecret: 'demo-site-secret',
    // Its own Redis channels (when a test gives it REDIS_URL): hubs of other test files may share the server.
    redisPrefix: `switchboard-test-${randomUUID()}`,
    ...overrides,
  };
}

export async function startHub(t: TestContext | null, options: { config?: Partial<Config>; dir?: string; clock?: ManualClock } = {}): Promise<TestHub> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const databaseUrl = await migratedDatabaseUrl(dir);
  const clock = options.clock ?? new ManualClock(new Date());
  // Uploaded files in the hub's own directory (on PostgreSQL too, which has no database file to sit beside).
  const hub = await buildHub(testConfig({ databaseUrl, attachmentDir: join(dir, 'attachments'), ...options.config }), { clock, logger: false });
  const url = await hub.listen();
  const sockets: Socket[] = [];

  const api: TestHub['api'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] = opts.contentType ?? 'text/plain';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as never, headers: res.headers };
  };

  const login = async (email = ADMIN.email, password = ADMIN.password) => {
    const res = await api<{ token: string }>('POST', '/api/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login failed ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  };

  const test: TestHub = {
    hub,
    url,
    clock,
    dir,
    databaseUrl,
    api,
    login,
    async agent(role = 'agent', name = `Agent ${randomUUID().slice(0, 4)}`) {
      const adminToken = await login();
      const email = `${randomUUID().slice(0, 8)}@test.local`;
      const created = await api<{ id: string }>('POST', '/api/agents', { token: adminToken, body: { email, name, role, password: 'password-123' } });
      if (created.status !== 201) throw new Error(`agent create failed ${created.status} ${JSON.stringify(created.body)}`);
      return { id: created.body.id, token: await login(email, 'password-123'), email };
    },
    async visitor(auth = {}) {
      const socket: VisitorSocket = io(`${url}/visitor`, { auth: { site: 'demo', ...auth }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      const session = await new Promise<VisitorSession>((resolve, reject) => {
        socket.once('session', resolve);
        socket.once('connect_error', reject);
      });
      return { socket, session };
    },
    async agentSocket(token) {
      const socket: AgentSocket = io(`${url}/agent`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('hello', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async stop() {
      for (const socket of sockets) socket.disconnect();
      await hub.close();
    },
  };
  openHubs.set(dir, (openHubs.get(dir) ?? 0) + 1);
  t?.after(async () => {
    await test.stop().catch(() => undefined);
    openHubs.set(dir, (openHubs.get(dir) ?? 1) - 1);
    if (!options.dir) ownedDirs.add(dir); // the hub that made the directory owns it
    // A restarted hub may still use the directory: clean up when the last one stopped.
    if (openHubs.get(dir) !== 0 || !ownedDirs.delete(dir)) return;
    rmSync(dir, { recursive: true, force: true });
    await dropTestDatabase(dir);
  });
  return test;
}

/** Emits a request event and resolves with its ack. */
export function request<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => {
    socket.emit(event, payload, (response: Ack<T>) => resolve(response));
  });
}

/** Resolves with the next `event` whose payload satisfies `match`. */
export function next<T>(socket: Socket, event: string, match: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (payload: T) => {
      if (!match(payload)) return;
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

export const clientId = (): string => randomUUID();
