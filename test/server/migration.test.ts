/**
 * Upgrading in place: a database written by the previous version (schema 001, before contacts) opens
 * with today's hub, keeps every row, and each visitor becomes a contact. The fixtures were made by
 * that version's real code paths (test/fixtures/make-schema-001.ts, run on commit f6c0992): a SQLite
 * file, and a pg_dump of the same run on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import type { Contact, ContactList } from '../../protocol/contacts.js';
import type { ConversationList } from '../../protocol/api.js';
import { inboxCounts } from '../../protocol/inbox.js';
import type { Agent, ConversationDetail, Message } from '../../protocol/types.js';
import { userHash } from '../../server/auth.js';
import { InboxQueries } from '../../server/store/inbox-queries.js';
import { SEARCH_WINDOWS } from '../../server/store/inbox-search.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl } from '../helpers/databases.mjs';
import { clientId, request, startHub } from '../helpers/hub.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** A data directory holding the schema-001 database, for whichever store this run uses. */
async function oldDatabase(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-migration-'));
  if (!testPostgresUrl()) {
    copyFileSync(new URL('schema-001.sqlite', FIXTURES), join(dir, 'hub.db'));
    return dir;
  }
  const client = new pg.Client({ connectionString: await testDatabaseUrl(dir) });
  await client.connect();
  try {
    await client.query(readFileSync(new URL('schema-001.pg.sql', FIXTURES), 'utf8'));
  } finally {
    await client.end();
  }
  return dir;
}

test('a schema-001 database upgrades in place: every row kept, every visitor a contact, signed sessions of one user joined', async (t) => {
  const dir = await oldDatabase();
  t.after(() => dropTestDatabase(dir));
  const h = await startHub(t, { dir });
  const admin = await h.login();

  const list = await h.api<ConversationList>('GET', '/api/conversations?includeOld=true&limit=200', { token: admin });
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 5, 'all five conversations');
  // 011_count_totals counted the conversations stored before it: the tab counts are those of the listed ones
  // within the retention window.
  const me = await h.api<Agent>('GET', '/api/me', { token: admin });
  const cutoff = new Date(h.clock.now().getTime() - 30 * 86_400_000).toISOString();
  const recent = list.body.items.filter((c) => c.lastActivityAt >= cutoff);
  assert.deepEqual(list.body.counts, inboxCounts(recent, me.body.id));
  // 012_language_totals too: the language filter offers the listed ones' languages.
  const languages = await h.api<{ items: { language: string; count: number }[] }>('GET', '/api/languages', { token: admin });
  assert.equal(
    languages.body.items.reduce((n, l) => n + l.count, 0),
    recent.length,
  );
  const details = await Promise.all(list.body.items.map((c) => h.api<ConversationDetail>('GET', `/api/conversations/${c.id}`, { token: admin })));
  const messages = details.flatMap((d) => d.body.messages);
  assert.equal(messages.length, 11, 'every message');
  // 010_message_search indexed the messages stored before it: each conversation is found by the first word of its
  // first message, which is not its latest (the hub answered after it).
  let searched = 0;
  for (const detail of details) {
    const first = detail.body.messages[0];
    const word = first?.text.match(/[\p{L}\p{N}]{3,}/u)?.[0];
    if (!first || !word || detail.body.messages.length < 2) continue;
    const found = await h.api<ConversationList>('GET', `/api/conversations?q=${encodeURIComponent(word)}&limit=200`, { token: admin });
    assert.ok(
      found.body.items.some((c) => c.id === detail.body.conversation.id),
      `a search for "${word}" finds the migrated conversation`,
    );
    searched++;
  }
  assert.ok(searched >= 3, `${searched} migrated conversations searched`);
  assert.ok(
    messages.every((m) => m.channel === 'webchat'),
    'every existing message is a webchat one (migration 008)',
  );
  const agents = await h.api<{ items: { emailOnEscalation: boolean }[] }>('GET', '/api/agents', { token: admin });
  assert.ok(agents.body.items.length > 0 && agents.body.items.every((a) => a.emailOnEscalation === false), 'no existing agent is emailed');
  const tagged = details.find((d) => d.body.conversation.tags.length > 0)?.body;
  assert.ok(tagged, 'the tagged conversation');
  assert.deepEqual(tagged.conversation.tags, ['billing', 'vip']);
  assert.equal(tagged.conversation.assignees.length, 1);
  // 020_inbox_tables wrote the tags and the assignee of the conversations stored before it as rows: the tag filter and
  // the assignee's Mine view find it.
  const byTag = await h.api<ConversationList>('GET', '/api/conversations?includeOld=true&tag=vip', { token: admin });
  assert.deepEqual(
    byTag.body.items.map((c) => c.id),
    [tagged.conversation.id],
  );
  const assignee = tagged.conversation.assignees[0];
  const mine = (await h.hub.services.inbox.list({ id: assignee ?? '', name: 'Assignee', role: 'agent' }, { inbox: 'mine', includeOld: true })).items;
  assert.ok(
    mine.some((c) => c.id === tagged.conversation.id),
    "the assignee's Mine view lists it",
  );
  // 021_conversation_facets wrote their language and bot status as rows: those filters, which start from the rows when
  // few conversations match, list every migrated conversation with that language or status.
  const { language, botStatus } = tagged.conversation;
  const byLanguage = await h.api<ConversationList>('GET', `/api/conversations?includeOld=true&limit=200&language=${language}`, { token: admin });
  assert.deepEqual(
    byLanguage.body.items.map((c) => c.id).sort(),
    list.body.items
      .filter((c) => c.language === language)
      .map((c) => c.id)
      .sort(),
  );
  const byStatus = await h.api<ConversationList>('GET', `/api/conversations?includeOld=true&limit=200&botStatus=${botStatus}`, { token: admin });
  assert.ok(
    byStatus.body.items.some((c) => c.id === tagged.conversation.id),
    'the bot status filter lists it',
  );
  // 024_conversation_viewers wrote who may see them as rows: an agent's list started from those rows (as it does when
  // the agent may see a small share of a large site's conversations) lists all five, each the whole team's.
  const fromViewerRows = new InboxQueries(h.hub.store.db, h.hub.store.dialect, SEARCH_WINDOWS, 5_000, 1);
  const agentSees = await fromViewerRows.list({ id: 'agent-after-upgrade', role: 'agent' }, { includeOld: true, limit: 200, retentionCutoff: cutoff });
  assert.deepEqual(agentSees.rows.map((c) => c.id).sort(), list.body.items.map((c) => c.id).sort(), "an agent's list shows every migrated conversation");
  assert.deepEqual(
    tagged.notes.map((n) => n.text),
    ['VIP customer'],
  );

  const contacts = await h.api<ContactList>('GET', '/api/contacts', { token: admin });
  // anonymous, Ada (two signed sessions → one), Sam A, Sam B (typed emails → two), Quiet (identified, never wrote)
  assert.equal(contacts.body.items.length, 5);
  const ada = contacts.body.items.find((c) => c.userId === 'u-42');
  assert.ok(ada);
  assert.equal(ada.verified, true);
  assert.equal(ada.conversationCount, 2);
  assert.equal(contacts.body.items.filter((c) => c.email === 'same@example.com').length, 2, 'a typed email joins no one');
  const adaPage = await h.api<Contact>('GET', `/api/contacts/${ada.id}`, { token: admin });
  assert.equal(adaPage.body.sessionCount, 2);
  assert.equal(adaPage.body.identity.name.verified, false, 'user_hash never signed the name');
  assert.equal(adaPage.body.name, 'Ada Lovelace');

  // After the upgrade, Ada on a third device joins the migrated contact.
  const phone = await h.visitor({ userData: { user_id: 'u-42', user_hash: userHash('u-42', 'demo-site-secret') } });
  const sent = await request<{ message: Message }>(phone.socket, 'message:send', { clientId: clientId(), text: 'new device' });
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${sent.data?.message.conversationId}`, { token: admin });
  assert.equal(detail.body.conversation.contactId, ada.id);

  // Migration 005 found when each visitor last wrote: a day later, every unanswered conversation expires.
  h.clock.advance(25 * 3_600_000);
  const swept = await h.hub.sweep();
  assert.equal(swept.expired.length, 5);
  // The message path's functions (013, PostgreSQL) write to a migrated conversation: an agent's reply to it.
  const fresh = await h.login(); // a day later: the first sign-in has expired
  const agentSocket = await h.agentSocket(fresh);
  const conversationId = detail.body.conversation.id;
  const reply = await request<{ message: Message }>(agentSocket, 'message:send', { conversationId, clientId: clientId(), text: 'welcome back' });
  assert.equal(reply.data?.message.conversationId, conversationId, JSON.stringify(reply.error));
  const replied = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: fresh });
  const last = replied.body.messages.at(-1);
  assert.deepEqual([last?.author, last?.text], ['agent', 'welcome back']);
  assert.ok(replied.body.messages.some((m) => m.text === 'new device'));
  assert.equal(replied.body.conversation.ticketStatus, 'active');
  assert.equal(replied.body.conversation.unreadCount, 0);
  agentSocket.disconnect();

  // Starting again runs nothing twice and loses nothing.
  await h.stop();
  const again = await startHub(t, { dir });
  const token = await again.login();
  const after = await again.api<ContactList>('GET', '/api/contacts', { token });
  assert.equal(after.body.items.length, 5);
});

test('during a rolling upgrade hubs of previous versions still store messages: 013’s functions stay beside 014’s, whose calls work on 019’s bodies', {
  skip: testPostgresUrl() ? false : 'PostgreSQL only (the message functions)',
}, async (t) => {
  const h = await startHub(t);
  const { socket } = await h.visitor();
  const first = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'before the old hub writes' });
  const admin = await h.login();
  const conversationId = first.data?.message.conversationId ?? '';
  const { conversation } = (await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin })).body;
  // The previous version's calls, as it sends them: untyped parameters, 013's argument lists.
  const client = new pg.Client({ connectionString: await testDatabaseUrl(h.dir) });
  await client.connect();
  const now = new Date().toISOString();
  const visitorCall = await client.query('select switchboard_visitor_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) as result', [
    conversation.contactId,
    conversation.visitorId,
    'old-hub-visitor',
    null,
    'webchat',
    'from an older hub',
    'from an older hub',
    now,
    'new',
    'open',
  ]);
  assert.equal(visitorCall.rows[0]?.result?.message?.text, 'from an older hub');
  const agentCall = await client.query('select switchboard_agent_message($1, $2, $3, $4, $5, $6, $7, $8) as result', [
    conversationId,
    'old-hub-agent',
    null,
    'Old hub',
    'answered by an older hub',
    'answered by an older hub',
    now,
    'pending',
  ]);
  assert.equal(agentCall.rows[0]?.result?.message?.text, 'answered by an older hub');
  // 014–018's hubs: typed calls of the same functions (019 replaced their bodies), and the summary's contact read
  // from the answer by their own wrapper.
  const previousCall = await client.query(
    `select r as result, (select c.id from contacts c where c.id = r->'after'->>'contact_id') as contact
      from (select switchboard_visitor_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::boolean) as r) as written`,
    [conversation.visitorId, 'previous-hub-visitor', null, 'webchat', 'from the previous hub', 'from the previous hub', now, 'new', 'open', true],
  );
  assert.equal(previousCall.rows[0]?.result?.message?.text, 'from the previous hub');
  assert.equal(previousCall.rows[0]?.contact, conversation.contactId);
  await client.end(); // before the hub's database is dropped
  // And this version's calls still find their own functions.
  const after = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'after the old hub wrote' });
  assert.equal(after.data?.message.conversationId, conversationId, JSON.stringify(after.error));
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin });
  assert.deepEqual(
    detail.body.messages.filter((m) => m.author !== 'bot' && m.author !== 'system').map((m) => m.text),
    ['before the old hub writes', 'from an older hub', 'answered by an older hub', 'from the previous hub', 'after the old hub wrote'],
  );
});
