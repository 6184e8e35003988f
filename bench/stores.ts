/**
 * Store throughput: the hub's real write path (Messaging.visitorSend: validate, dedupe, insert, update the
 * conversation) on muted conversations, sequential and with 50 in flight, next to a raw-insert baseline measured in
 * the same run with the same driver and database (one INSERT per message into the same table, 50 in flight).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildHub } from '../server/app.js';
import { DEFAULTS } from '../server/config.js';
import { dropTestDatabase, testDatabaseUrl } from '../test/helpers/databases.mjs';
import { inBatches, quick } from './common.js';

const STORE_MESSAGES = quick ? 5000 : 20000;
const IN_FLIGHT = 50;

export interface StoreRow {
  store: string;
  sequentialPerSec: number;
  concurrentPerSec: number;
  rawInsertPerSec: number;
  /**
   * CPU (user + system) this process spent per message with 50 in flight: the hub's own cost, which a busy machine
   * changes far less than it changes the throughput (the hub runs in this process; PostgreSQL's CPU is not in it).
   */
  cpuMicrosPerMessage: number;
  /** concurrentPerSec / rawInsertPerSec. */
  fractionOfRaw: number;
}

const perSec = (count: number, startedAt: number) => Math.round(count / ((performance.now() - startedAt) / 1000));

export async function storeThroughput(postgres?: string): Promise<StoreRow> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const databaseUrl = await testDatabaseUrl(dir, postgres);
  const hub = await buildHub({ ...DEFAULTS, databaseUrl, port: 0, logLevel: 'silent', sweepIntervalMs: 0 }, { logger: false });
  const visitors = await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      const now = new Date().toISOString();
      const contact = await hub.store.contacts.create({ siteId: 'demo', userData: {}, signed: { userId: null, email: null, name: null }, now });
      return hub.store.visitors.create({ siteId: 'demo', contactId: contact.id, userData: {}, verified: false, language: 'en', now });
    }),
  );
  const conversationIds: string[] = [];
  for (const v of visitors) {
    const { conversation } = await hub.services.messaging.visitorSend(v, crypto.randomUUID(), 'first');
    await hub.store.conversations.update(conversation.id, { muted: 1, muted_at: new Date().toISOString() });
    conversationIds.push(conversation.id);
  }
  const visitorAt = (i: number) => visitors[i % visitors.length] as (typeof visitors)[number];
  const half = STORE_MESSAGES / 2;

  let start = performance.now();
  for (let i = 0; i < half; i++) await hub.services.messaging.visitorSend(visitorAt(i), crypto.randomUUID(), `message ${i}`);
  // SQLite indexes messages for search in batches, every second in a running hub (store/search-index.ts): the
  // batch of the messages timed is part of their cost.
  await hub.store.inbox.searchIndex.catchUp();
  const sequentialPerSec = perSec(half, start);

  start = performance.now();
  const cpuBefore = process.cpuUsage();
  await inBatches(half, IN_FLIGHT, (i) => hub.services.messaging.visitorSend(visitorAt(i), crypto.randomUUID(), `concurrent ${i}`));
  await hub.store.inbox.searchIndex.catchUp();
  const concurrentPerSec = perSec(half, start);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMicrosPerMessage = Math.round((cpu.user + cpu.system) / half);

  // The baseline: the least a store must do per message, one INSERT each, through the same driver and pool.
  start = performance.now();
  await inBatches(half, IN_FLIGHT, (i) =>
    hub.store.db
      .insertInto('messages')
      .values({
        conversation_id: conversationIds[i % conversationIds.length] ?? '',
        client_id: crypto.randomUUID(),
        author: 'visitor',
        agent_id: null,
        author_name: null,
        text: `raw ${i}`,
        choices: '[]',
        channel: 'webchat',
        created_at: new Date().toISOString(),
        read_at: null,
      })
      .execute(),
  );
  await hub.store.inbox.searchIndex.catchUp(); // as above: the raw messages are indexed for search too
  const rawInsertPerSec = perSec(half, start);

  const store = hub.store.dialect;
  await hub.close();
  await dropTestDatabase(dir, postgres);
  rmSync(dir, { recursive: true, force: true });
  return {
    store,
    sequentialPerSec,
    concurrentPerSec,
    rawInsertPerSec,
    cpuMicrosPerMessage,
    fractionOfRaw: Number((concurrentPerSec / rawInsertPerSec).toFixed(2)),
  };
}
