/**
 * Auto-assignment across two hub processes sharing PostgreSQL (TEST_POSTGRES_URL) and Redis
 * (TEST_REDIS_URL): many visitors write at once through both hubs while two agents (one panel on each
 * hub) are online with a cap of N; then both agents close everything at once, so both hubs drain the
 * same queue concurrently (and their sweepers drain it every second too). Checked in the database at
 * the end: no conversation assigned twice, no agent above the cap, and every free place filled.
 * scripts/test-server.mjs runs this file in its two-hub run (TEST_DATABASE_URL on PostgreSQL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { io } from 'socket.io-client';
import type { ConversationSummary, VisitorConversation } from '../../protocol/types.js';
import { dropTestDatabase, testDatabaseUrl } from '../helpers/databases.mjs';
import { type VisitorSocket, request } from '../helpers/hub.js';
import { type SpawnedHub, TEST_ADMIN, spawnHub } from '../helpers/spawn-hub.mjs';
import { agentSocket, api, login } from '../helpers/remote-hub.js';

const postgres = process.env.TEST_POSTGRES_URL;
const redis = process.env.TEST_REDIS_URL;
if (!postgres || !redis) throw new Error('TEST_POSTGRES_URL and TEST_REDIS_URL must be set (see .ci/services)');

const CAP = 5;
const VISITORS_PER_HUB = 30;

const dir = mkdtempSync(join(tmpdir(), 'switchboard-assign-cluster-'));
let databaseUrl: string;
let hubA: SpawnedHub;
let hubB: SpawnedHub;
let db: pg.Client;
const clients: { disconnect(): void }[] = [];

before(async () => {
  databaseUrl = await testDatabaseUrl(dir, postgres);
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis,
    REDIS_PREFIX: `switchboard-test-${randomUUID()}`,
    SWEEP_INTERVAL_MS: '1000',
    MESSAGES_PER_MINUTE: '6000',
  };
  hubA = await spawnHub({ env });
  hubB = await spawnHub({ env }); // after A, so migrations have run once
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});

after(async () => {
  for (const c of clients) c.disconnect();
  await db?.end();
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  hubA?.cleanup();
  hubB?.cleanup();
  await dropTestDatabase(dir, postgres);
  rmSync(dir, { recursive: true, force: true });
});

async function visitorWrites(hubUrl: string, text: string): Promise<string> {
  const socket: VisitorSocket = io(`${hubUrl}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('session', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = await request<{ conversation: VisitorConversation }>(socket, 'message:send', { clientId: randomUUID(), text });
  assert.ok(ack.data, JSON.stringify(ack.error));
  return ack.data.conversation.id;
}

/** Polls until `probe` is truthy, or fails at the deadline (never a fixed sleep). */
async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Row {
  id: string;
  state: string;
  assignees: string;
  holder_id: string | null;
}

/** What the database says: every conversation, and each agent's open load (holder or assignee, like the cap). */
async function snapshot(): Promise<{ rows: Row[]; open: Map<string, number> }> {
  const { rows } = await db.query<Row>('select id, state, assignees, holder_id from conversations');
  const open = new Map<string, number>();
  for (const row of rows) {
    const ids = JSON.parse(row.assignees) as string[];
    assert.ok(ids.length <= 1, `conversation ${row.id} has ${ids.length} assignees`);
    if (row.state !== 'open') continue;
    for (const id of new Set([...ids, ...(row.holder_id ? [row.holder_id] : [])])) open.set(id, (open.get(id) ?? 0) + 1);
  }
  for (const [agent, count] of open) assert.ok(count <= CAP, `agent ${agent} has ${count} open conversations, above the cap of ${CAP}`);
  return { rows, open };
}

test('two hubs, many visitors at once, two agents with a cap: nobody over the cap, nothing assigned twice', async () => {
  const admin = await login(hubA.url, TEST_ADMIN.email, TEST_ADMIN.password);
  assert.equal((await api(hubB.url, 'PUT', '/api/settings', admin, { assignment: 'round_robin' })).status, 200);
  const agents: { id: string; token: string; hub: string }[] = [];
  for (const [name, hub] of [
    ['Ana', hubA.url],
    ['Ben', hubB.url],
  ] as const) {
    const email = `${randomUUID().slice(0, 8)}@test.local`;
    const created = await api<{ id: string }>(hubA.url, 'POST', '/api/agents', admin, { email, name, role: 'agent', password: 'password-123' });
    assert.equal(created.status, 201);
    assert.equal((await api(hubB.url, 'PUT', `/api/agents/${created.body.id}`, admin, { maxOpen: CAP })).status, 200);
    agents.push({ id: created.body.id, token: await login(hub, email, 'password-123'), hub });
  }
  // Every assignment either panel hears of, by conversation: one agent each, ever.
  const heard = new Map<string, Set<string>>();
  for (const agent of agents) {
    const socket = await agentSocket(agent.hub, agent.token, clients);
    socket.on('conversation:updated', (summary: ConversationSummary) => {
      for (const id of summary.assignees) heard.set(summary.id, (heard.get(summary.id) ?? new Set()).add(id));
    });
  }

  // Phase 1: everyone writes at once, through both hubs.
  const ids = await Promise.all(Array.from({ length: VISITORS_PER_HUB * 2 }, (_, i) => visitorWrites(i % 2 === 0 ? hubA.url : hubB.url, `hello ${i}`)));
  assert.equal(new Set(ids).size, VISITORS_PER_HUB * 2, 'one conversation per visitor');
  await until('both agents to be full', async () => {
    const { open } = await snapshot();
    return agents.every((a) => open.get(a.id) === CAP);
  });

  // Phase 2: both agents close all theirs at once, each through their own hub: both hubs drain the queue together.
  const { rows } = await snapshot();
  const closes = rows
    .filter((r) => r.state === 'open' && r.assignees !== '[]')
    .map((r) => {
      const owner = agents.find((a) => (JSON.parse(r.assignees) as string[]).includes(a.id));
      assert.ok(owner);
      return api(owner.hub, 'POST', `/api/conversations/${r.id}/close`, owner.token, {});
    });
  assert.equal(closes.length, CAP * 2);
  for (const res of await Promise.all(closes)) assert.equal(res.status, 200, JSON.stringify(res.body));
  await until('the queue to refill both agents', async () => {
    const { open } = await snapshot();
    return agents.every((a) => open.get(a.id) === CAP);
  });

  // The end state, in the database: every place filled exactly once.
  const end = await snapshot();
  const assigned = end.rows.filter((r) => r.assignees !== '[]');
  assert.equal(assigned.length, CAP * 4, 'two rounds of two full agents');
  assert.equal(end.rows.filter((r) => r.state === 'closed').length, CAP * 2);
  assert.equal(end.rows.filter((r) => r.state === 'open' && r.assignees === '[]').length, VISITORS_PER_HUB * 2 - CAP * 4, 'the rest still queued');
  for (const agent of agents) assert.equal(end.open.get(agent.id), CAP);
  // The panels heard each conversation go to one agent only.
  await until('the panels to hear every assignment', async () => assigned.every((r) => heard.has(r.id)));
  for (const [id, who] of heard) assert.equal(who.size, 1, `conversation ${id} was announced for ${[...who].join(' and ')}`);
});
