/**
 * PostgreSQL only (SQLite has one writer, so its transactions never interleave): a message written while its
 * conversation is being deleted does not outlive the conversation. The test holds the conversation's row lock from its
 * own connection, so that the delete and the reply both wait on it in a chosen order, and then lets them go.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import type { Ack } from '../../protocol/errors.js';
import type { Message, VisitorConversation } from '../../protocol/types.js';
import { testPostgresUrl } from '../helpers/databases.mjs';
import { clientId, next, request, startHub, type TestHub } from '../helpers/hub.js';

const skip = testPostgresUrl() ? false : 'PostgreSQL only: SQLite runs one transaction at a time';

/** Resolves once `count` backends of this database wait on a lock (polls pg_stat_activity). */
async function waitersOnLocks(client: pg.Client, count: number): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A conversation held by the admin, the bot's answer in; then its deletion and a reply from the admin, queued on the
 * conversation's row lock (held by the test) in the order `first`, and let go.
 */
async function race(t: TestContext, first: 'delete' | 'reply') {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket: visitor } = await h.visitor();
  const botReply = next<Message>(visitor, 'message:new', (m) => m.author === 'bot');
  const sent = await request<{ conversation: VisitorConversation }>(visitor, 'message:send', { clientId: clientId(), text: 'hello' });
  const id = sent.data?.conversation.id ?? '';
  await botReply;
  // Held first, so the reply below is one transaction: its message, then its conversation's update (the row lock).
  assert.equal((await h.api('POST', `/api/conversations/${id}/claim`, { token: admin, body: {} })).status, 200);
  const panel = await h.agentSocket(admin);

  const blocker = new pg.Client({ connectionString: h.databaseUrl });
  await blocker.connect();
  let open = true;
  const close = async () => {
    if (open) await blocker.end();
    open = false;
  };
  t.after(close); // runs after the hub's, which drops the database: ended below on success
  await blocker.query('begin');
  await blocker.query('select id from conversations where id = $1 for update', [id]);
  let deleted: ReturnType<TestHub['api']> | undefined;
  let replied: Promise<Ack<{ message: Message }>> | undefined;
  for (const [i, step] of (first === 'delete' ? ['delete', 'reply'] : ['reply', 'delete']).entries()) {
    if (step === 'delete') deleted = h.api('DELETE', `/api/conversations/${id}`, { token: admin });
    else replied = request<{ message: Message }>(panel, 'message:send', { conversationId: id, clientId: clientId(), text: 'just in time?' });
    await waitersOnLocks(blocker, i + 1); // queued on the lock before the next one starts
  }
  await blocker.query('commit');
  await close();
  assert.ok(deleted && replied);
  return { deleted: await deleted, reply: await replied, left: await h.hub.store.messages.count(id) };
}

test('a reply sent while its conversation is being deleted is refused and rolled back, not left without it', { skip }, async (t) => {
  const { deleted, reply, left } = await race(t, 'delete');
  assert.equal(deleted.status, 200);
  assert.equal(reply.error?.code, 'not_found');
  assert.equal(left, 0, 'no message of the deleted conversation is left');
});

test('a reply that took the conversation just before its deletion is deleted with it', { skip }, async (t) => {
  const { deleted, reply, left } = await race(t, 'reply');
  assert.equal(deleted.status, 200);
  assert.equal(reply.data?.message.text, 'just in time?');
  assert.equal(left, 0, 'no message of the deleted conversation is left');
});
