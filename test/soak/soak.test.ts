/**
 * Bounded soak: 500 visitors and a few agents chat with a hub process for SOAK_SECONDS (30 s in
 * `npm test`, 300 s with `npm run soak`), while random clients lose their connection. At the end
 * every message any client sent is stored exactly once, and the hub's memory stayed flat: what it holds after a full
 * garbage collection (asked through its inspector) a third of the way in and at the end. Read without one, its
 * memory counted garbage V8 had not collected yet: RSS went 183 → 244 MB in one CI run and 206 → 208 MB in a local one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as elapsed } from 'node:timers/promises';
import type { Message } from '../../protocol/types.js';
import { INSPECT, openInspector } from '../helpers/inspector.js';
import { OutboxClient } from '../helpers/outbox-client.js';
import { TEST_ADMIN, spawnHub } from '../helpers/spawn-hub.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const VISITORS = Number(process.env.SOAK_VISITORS ?? 500);
const AGENTS = 5;
/** Each visitor sends about one message every this many ms; one in 40 ticks drops the connection. */
const VISITOR_PERIOD_MS = 3000;
const DROP_CHANCE = 1 / 40;

test(`soak: ${VISITORS} visitors for ${SECONDS} s with random disconnects; nothing lost, memory flat`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-soak-'));
  const hub = await spawnHub({ dir, env: { MESSAGES_PER_MINUTE: '100000', REQUESTS_PER_MINUTE: '1000000', NODE_OPTIONS: INSPECT } });
  const inspector = await openInspector(hub.inspectorUrl ?? '');
  const clients: OutboxClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  t.after(async () => {
    for (const timer of timers) clearInterval(timer);
    for (const client of clients) client.close();
    inspector.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const call = async <T>(path: string, token: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${hub.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    assert.ok(res.ok, `${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const login = async (email: string, password: string) =>
    (await call<{ token: string }>('/api/auth/login', '', { method: 'POST', body: JSON.stringify({ email, password }) })).token;
  /** What the hub holds: its memory after a full garbage collection. */
  const held = async () => {
    await inspector.collectGarbage();
    return inspector.memoryUsage();
  };

  const admin = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  const agentTokens = await Promise.all(
    Array.from({ length: AGENTS }, async (_, i) => {
      const email = `soak-${i}@test.local`;
      await call('/api/agents', admin, { method: 'POST', body: JSON.stringify({ email, name: `Soak agent ${i}`, role: 'agent', password: 'password-123' }) });
      return login(email, 'password-123');
    }),
  );

  // Connect in batches of 50 so the connection storm itself isn't what we measure.
  const visitors: OutboxClient[] = [];
  for (let i = 0; i < VISITORS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, VISITORS - i) }, (_, j) => OutboxClient.visitor(hub.url, { userData: { first_name: `Soak ${i + j}` } })),
    );
    visitors.push(...batch);
  }
  clients.push(...visitors);
  const agents = await Promise.all(agentTokens.map((token) => OutboxClient.agent(hub.url, token)));
  clients.push(...agents);
  const idle = await held();

  // Load: every visitor ticks at a random phase; agent k answers visitors k, k+AGENTS, … among the first 50.
  let drops = 0;
  let count = 0;
  for (const [index, visitor] of visitors.entries()) {
    const start = setTimeout(() => {
      timers.push(
        setInterval(() => {
          visitor.send(`soak ${index} #${count++}`);
          if (Math.random() < DROP_CHANCE) {
            drops += 1;
            visitor.dropConnection();
          }
        }, VISITOR_PERIOD_MS),
      );
    }, Math.random() * VISITOR_PERIOD_MS);
    timers.push(start as unknown as NodeJS.Timeout);
  }
  for (const [k, agent] of agents.entries()) {
    timers.push(
      setInterval(() => {
        const target = visitors[k + AGENTS * Math.floor(Math.random() * (50 / AGENTS))];
        if (target?.conversationId) agent.send(`agent ${k} → ${target.conversationId.slice(0, 8)}`, target.conversationId);
      }, 500),
    );
  }

  // What the hub holds a third of the way in, once the load is steady, and at the end, the load still running.
  await elapsed((SECONDS * 1000) / 3);
  const warm = await held();
  await elapsed((SECONDS * 2000) / 3);
  const end = await held();
  for (const timer of timers) clearInterval(timer);

  // Let every outbox drain (reconnects included), then count what the hub stored.
  await Promise.all(clients.map((c) => c.drained()));
  const stored = new Map<string, number>();
  for (const visitor of visitors) {
    if (!visitor.conversationId) continue;
    const { messages } = await call<{ messages: Message[] }>(`/api/conversations/${visitor.conversationId}/messages`, admin);
    for (const m of messages) if (m.clientId) stored.set(m.clientId, (stored.get(m.clientId) ?? 0) + 1);
  }
  const sent = clients.flatMap((c) => [...c.sent.keys()]);
  const lost = sent.filter((id) => !stored.has(id)).length;
  const duplicated = [...stored.values()].filter((n) => n > 1).length;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const memory = (m: NodeJS.MemoryUsage) => `${mb(m.heapUsed)} MB heap, ${mb(m.rss)} MB RSS`;
  console.log(
    `soak: ${VISITORS} visitors + ${AGENTS} agents, ${SECONDS} s, ${sent.length} messages sent, ${drops} connection drops, ` +
      `${lost} lost, ${duplicated} duplicated; the hub held ${memory(idle)} idle → ${memory(warm)} warm → ${memory(end)} at the end`,
  );
  assert.ok(sent.length > VISITORS * (SECONDS / (VISITOR_PERIOD_MS / 1000)) * 0.5, 'the load actually ran');
  assert.equal(lost, 0, 'no message lost');
  assert.equal(duplicated, 0, 'no message stored twice');
  assert.ok(end.heapUsed < warm.heapUsed * 1.1, `heap flat: ${mb(warm.heapUsed)} MB after warm-up, ${mb(end.heapUsed)} MB at the end`);
  assert.ok(end.rss < warm.rss * 1.25, `RSS flat: ${mb(warm.rss)} MB after warm-up, ${mb(end.rss)} MB at the end`);
});
