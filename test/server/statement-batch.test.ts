/**
 * The message writes of a group commit send their function calls as one statement on PostgreSQL
 * (server/store/statement-batch.ts), in a transaction or, when every write may be alone, outside any: each write is
 * answered as if it had run alone, a write that fails is refused alone, and one person's writes arriving together
 * still run one after another (the second finds the conversation the first opened).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterVisitorMessage } from '../../server/rules/ticket-status.js';
import type { Db } from '../../server/store/base.js';
import { openDatabase } from '../../server/store/db.js';
import { GroupCommit } from '../../server/store/group-commit.js';
import type { VisitorWrite } from '../../server/store/message-writes.js';
import { withPreparedStatements } from '../../server/store/prepared-statements.js';
import type { Database } from '../../server/store/schema.js';
import { Store } from '../../server/store/store.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl } from '../helpers/databases.mjs';
import { startHub } from '../helpers/hub.js';

const NOW = '2026-11-26T12:00:00.000Z';
const postgresOnly = { skip: testPostgresUrl() ? false : 'PostgreSQL only (SQLite has no round trips to save)' };

/** A migrated PostgreSQL database, with a store whose every statement is logged, and a group commit of one lane. */
async function loggedStore(t: { after(fn: () => Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-batch-'));
  const url = await testDatabaseUrl(dir);
  await (await openDatabase(url)).db.destroy(); // migrations
  const statements: string[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle pooled connection ended by the server (another test dropping its database) is replaced on the next query,
  // as the hub's pool does (store/db.ts); without a listener its 'error' was an uncaught exception (a CI run).
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }),
    log: (event) => {
      statements.push(event.query.sql);
    },
  });
  const store = new Store(db, 'postgres');
  t.after(async () => {
    await store.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  // One lane: every write of a turn lands in the same group.
  return { store, statements, groups: new GroupCommit(db, 'postgres', 1) };
}

/** A person with a session. */
async function session(store: Store) {
  const contact = await store.contacts.create({ siteId: 'demo', userData: {}, signed: { userId: null, email: null, name: null }, now: NOW });
  const visitor = await store.visitors.create({ siteId: 'demo', contactId: contact.id, userData: {}, verified: false, language: 'en', now: NOW });
  return { contact, visitor };
}

/** A person with a session and an open conversation. */
async function person(store: Store) {
  const { contact, visitor } = await session(store);
  const conversation = await store.conversations.create(store.db, { visitor, contactId: contact.id, now: NOW, assignees: [], visibleTo: [] });
  return { contact, visitor, conversation };
}

const visitorInput = (visitorId: string, text: string) => ({
  visitorId,
  clientId: randomUUID(),
  conversationId: null,
  channel: 'webchat' as const,
  text,
  preview: text,
  now: NOW,
  ticketStatus: afterVisitorMessage,
});

const calls = (statements: string[]) => statements.filter((s) => s.includes('switchboard_visitor_message('));

test('a group’s visitor messages go as one statement, each answered as if written alone', postgresOnly, async (t) => {
  const { store, statements, groups } = await loggedStore(t);
  const people = await Promise.all(Array.from({ length: 8 }, () => person(store)));
  statements.length = 0;

  const written = await Promise.all(
    people.map((p, i) => groups.run(p.contact.id, (tx) => store.messageWrites.visitorMessage(tx, visitorInput(p.visitor.id, `message ${i}`)))),
  );

  assert.equal(calls(statements).length, 1, `the 8 writes made ${calls(statements).length} calls`);
  for (const [i, write] of written.entries()) {
    const p = people[i];
    assert.ok(p && 'after' in write, `write ${i} was stored`);
    assert.equal(write.message.text, `message ${i}`);
    assert.equal(write.message.conversationId, p.conversation.id, 'in the person’s own conversation');
    assert.deepEqual(write.after, await store.conversations.get(p.conversation.id), 'answered as stored');
    assert.equal(write.after.unreadCount, 1);
    assert.deepEqual(
      (await store.messages.after(p.conversation.id, 0)).map((m) => m.text),
      [`message ${i}`],
    );
  }
});

test('writes that may be alone go as one statement outside a transaction, which commits them', postgresOnly, async (t) => {
  const { store, statements, groups } = await loggedStore(t);
  const people = await Promise.all(Array.from({ length: 8 }, () => person(store)));
  statements.length = 0;

  const written = await Promise.all(
    people.map((p, i) => groups.run(p.contact.id, (tx) => store.messageWrites.visitorMessage(tx, visitorInput(p.visitor.id, `message ${i}`)), true)),
  );

  assert.deepEqual(
    statements.map((s) => (s.includes('switchboard_visitor_message(') ? 'call' : s)),
    ['call'],
    'one statement, without BEGIN or COMMIT',
  );
  for (const [i, write] of written.entries()) {
    const p = people[i];
    assert.ok(p && 'after' in write, `write ${i} was stored`);
    assert.deepEqual(
      (await store.messages.after(p.conversation.id, 0)).map((m) => m.text),
      [`message ${i}`],
    );
  }
});

test('a statement failing outside a transaction refuses only the write that failed it', postgresOnly, async (t) => {
  const { store, groups } = await loggedStore(t);
  // A failure in the database, as a full disk or a broken constraint would give, for one message of the statement.
  await sql`create function refuse_boom() returns trigger language plpgsql as $$
    begin if new.text = 'boom' then raise exception 'refused: boom'; end if; return new; end $$`.execute(store.db);
  await sql`create trigger refuse_boom before insert on messages for each row execute function refuse_boom()`.execute(store.db);
  const people = await Promise.all(Array.from({ length: 4 }, () => person(store)));
  const texts = ['one', 'boom', 'three', 'four'];

  const outcomes = await Promise.allSettled(
    people.map((p, i) => groups.run(p.contact.id, (tx) => store.messageWrites.visitorMessage(tx, visitorInput(p.visitor.id, texts[i] ?? '')), true)),
  );

  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  const [, refused] = outcomes;
  assert.match(String(refused?.status === 'rejected' && refused.reason), /refused: boom/, 'refused with its own error');
  for (const [i, p] of people.entries()) {
    const stored = (await store.messages.after(p.conversation.id, 0)).map((m) => m.text);
    assert.deepEqual(stored, i === 1 ? [] : [texts[i]], `person ${i}’s messages`);
  }
});

test('a write failing after its call is refused alone; the others of its statement commit', postgresOnly, async (t) => {
  const { store, groups } = await loggedStore(t);
  const people = await Promise.all(Array.from({ length: 5 }, () => person(store)));
  const outcomes = await Promise.allSettled(
    people.map((p, i) =>
      groups.run(p.contact.id, async (tx) => {
        const write = await store.messageWrites.visitorMessage(tx, visitorInput(p.visitor.id, `message ${i}`));
        if (i === 2) throw new Error('refused after its write');
        return write;
      }),
    ),
  );
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  for (const [i, p] of people.entries()) {
    const texts = (await store.messages.after(p.conversation.id, 0)).map((m) => m.text);
    assert.deepEqual(texts, i === 2 ? [] : [`message ${i}`], `person ${i}’s messages`);
  }
});

test('one person’s messages arriving together open one conversation between them', async (t) => {
  const h = await startHub(t);
  const { store } = h.hub;
  const { contact, visitor } = await session(store);
  // The message path's steps (services/messaging.ts): a person with no open conversation opens one, then writes.
  const send = (text: string) =>
    store.grouped(contact.id, async (tx: Db) => {
      const input = visitorInput(visitor.id, text);
      let write: VisitorWrite = await store.messageWrites.visitorMessage(tx, input);
      if ('noOpenConversation' in write) {
        const opened = await store.conversations.create(tx, { visitor, contactId: contact.id, now: NOW, assignees: [], visibleTo: [] });
        write = await store.messageWrites.visitorMessage(tx, { ...input, conversationId: opened.id });
      }
      assert.ok('after' in write, `${text} was stored`);
      return write.message.conversationId;
    });

  const conversations = await Promise.all(['one', 'two', 'three'].map(send));

  assert.equal(new Set(conversations).size, 1, 'all three in one conversation');
  const opened = await store.db.selectFrom('conversations').select('id').where('contact_id', '=', contact.id).execute();
  assert.equal(opened.length, 1, `${opened.length} conversations opened`);
  assert.deepEqual(
    (await store.messages.after(conversations[0] ?? '', 0)).map((m) => m.text),
    ['one', 'two', 'three'],
  );
});

test('writes that may be alone are refused, not left waiting, when the database cannot be reached', { ...postgresOnly, timeout: 30_000 }, async (t) => {
  const url = new URL(testPostgresUrl() ?? '');
  url.pathname = '/switchboard_no_such_database';
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }) });
  t.after(() => db.destroy());
  const groups = new GroupCommit(db, 'postgres', 1);

  const outcomes = await Promise.allSettled(
    [1, 2].map((i) =>
      groups.run(
        `contact-${i}`,
        async (tx) => {
          await sql`select 1`.execute(tx);
          return i;
        },
        true,
      ),
    ),
  );

  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['rejected', 'rejected'],
  );
});
