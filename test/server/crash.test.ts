/**
 * Nothing acknowledged is lost, nothing is stored twice: visitors and agents stream messages to a
 * hub process through outboxes (as the widget and panel do), drop their connections mid-stream,
 * then the hub is killed with SIGKILL and restarted on the same database and port. Every client
 * resends only what was not acknowledged, and the store must hold every message exactly once.
 * Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ConversationDetail } from '../../protocol/types.js';
import { dropTestDatabase, testDatabaseUrl } from '../helpers/databases.mjs';
import { OutboxClient } from '../helpers/outbox-client.js';
import { TEST_ADMIN, spawnHub } from '../helpers/spawn-hub.mjs';

const VISITORS = 20;
const AGENTS = 4;
const PER_CLIENT = 30;
/** Kill the hub once this many messages were acknowledged: well inside the stream. */
const KILL_AFTER_ACKS = 200;

test('SIGKILL mid-stream and network drops: every acknowledged message stored once, every unacknowledged one resent, 0 lost, 0 duplicated', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
  const env = { DATABASE_URL: await testDatabaseUrl(dir), MESSAGES_PER_MINUTE: '100000', REQUESTS_PER_MINUTE: '100000' };
  let hub = await spawnHub({ dir, env });
  const port = Number(new URL(hub.url).port);
  const clients: OutboxClient[] = [];
  t.after(async () => {
    for (const client of clients) client.close();
    await hub.stop();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const login = async (email: string, password: string) => {
    const res = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  const adminToken = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  const agentTokens: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const email = `crash-agent-${i}@test.local`;
    const res = await fetch(`${hub.url}/api/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: `Agent ${i}`, role: 'agent', password: 'password-123' }),
    });
    assert.equal(res.status, 201);
    agentTokens.push(await login(email, 'password-123'));
  }

  const visitors = await Promise.all(Array.from({ length: VISITORS }, (_, i) => OutboxClient.visitor(hub.url, { userData: { first_name: `Crash ${i}` } })));
  clients.push(...visitors);
  // Each agent answers one visitor's conversation: open those first.
  for (const v of visitors.slice(0, AGENTS)) v.send('hello, anyone there?');
  await Promise.all(visitors.slice(0, AGENTS).map((v) => v.drained()));
  const agents = await Promise.all(agentTokens.map((token) => OutboxClient.agent(hub.url, token)));
  clients.push(...agents);

  // Stream: every client keeps sending; each visitor drops its connection once mid-stream.
  const totalAcked = () => clients.reduce((sum, c) => sum + c.acked.size, 0);
  let killed = false;
  const streams = clients.map(async (client, index) => {
    for (let n = 0; n < PER_CLIENT; n++) {
      if (client.kind === 'agent') client.send(`agent ${index} #${n}`, visitors[index - VISITORS]?.conversationId);
      else client.send(`visitor ${index} #${n}`);
      if (n === 3 && client.kind === 'visitor' && !killed) client.dropConnection();
      // Pipelined: up to 3 unacknowledged messages per client, like a fast typist on a slow link.
      await client.below(3);
    }
  });

  // Kill the hub mid-stream, when enough messages were acknowledged.
  await new Promise<void>((resolve) => {
    const check = () => (totalAcked() >= KILL_AFTER_ACKS ? resolve() : setImmediate(check));
    check();
  });
  await hub.stop('SIGKILL');
  killed = true;
  const ackedBeforeKill = totalAcked();
  const unackedAtKill = clients.reduce((sum, c) => sum + c.outbox.size, 0);

  // Same database, same port: the clients reconnect by themselves and resend their outboxes.
  hub = await spawnHub({ dir, env, port });
  await Promise.all(streams);
  await Promise.all(clients.map((c) => c.drained()));

  // Every message any client sent is stored exactly once.
  const freshAdmin = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  const storedByClientId = new Map<string, number>();
  for (const v of visitors) {
    assert.ok(v.conversationId, 'the visitor has a conversation');
    const res = await fetch(`${hub.url}/api/conversations/${v.conversationId}`, { headers: { authorization: `Bearer ${freshAdmin}` } });
    const detail = (await res.json()) as ConversationDetail;
    for (const m of detail.messages) if (m.clientId) storedByClientId.set(m.clientId, (storedByClientId.get(m.clientId) ?? 0) + 1);
  }
  const sent = clients.flatMap((c) => [...c.sent.keys()]);
  const lost = sent.filter((id) => !storedByClientId.has(id));
  const duplicated = [...storedByClientId.values()].filter((count) => count > 1).length;
  const stored = [...storedByClientId.values()].reduce((a, b) => a + b, 0);
  console.log(
    `crash test (${env.DATABASE_URL.split(':')[0]}): ${sent.length} sent, ${ackedBeforeKill} acked before SIGKILL, ${unackedAtKill} unacked at kill and resent, ` +
      `${clients.reduce((s, c) => s + c.acked.size, 0)} acked in all, ${stored} stored, ${lost.length} lost, ${duplicated} duplicated, ` +
      `${visitors.reduce((s, v) => s + v.sessions, 0) - VISITORS} visitor reconnects`,
  );
  assert.ok(ackedBeforeKill < sent.length, 'the hub was killed mid-stream');
  assert.equal(lost.length, 0, 'no message lost');
  assert.equal(duplicated, 0, 'no message stored twice');
  assert.equal(stored, sent.length);
  assert.deepEqual(
    clients.flatMap((c) => c.refused),
    [],
    'no send was refused',
  );
});
