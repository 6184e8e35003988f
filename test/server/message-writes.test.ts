/**
 * A visitor's message write answers the conversation as it was and as it now is (server/store/message-writes.ts).
 * On SQLite the new state is not read back: it is the row read under the write's lock with the write's changes
 * (`ConversationsRepo.updateRead`), and so is an agent's reply checked by its write. Whatever the summaries, events and rules are built from must be what is stored,
 * the summary's contact included: each write answers it, read in its transaction (both stores).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { toConversationRow } from '../../server/store/mappers.js';
import { afterAgentReply, afterVisitorMessage } from '../../server/rules/ticket-status.js';
import { startHub } from '../helpers/hub.js';

test('a visitor message’s write answers the conversation exactly as stored, before and after', async (t) => {
  const h = await startHub(t);
  const { store, services } = h.hub;
  const now = () => h.clock.now().toISOString();
  const contact = await store.contacts.create({ siteId: 'demo', userData: {}, signed: { userId: null, email: null, name: null }, now: now() });
  const visitor = await store.visitors.create({ siteId: 'demo', contactId: contact.id, userData: {}, verified: false, language: 'en', now: now() });
  await store.contacts.setTags(contact.id, ['vip', 'billing']);
  const { conversation } = await services.messaging.visitorSend(visitor, randomUUID(), 'first');
  // PostgreSQL answers what the summary shows of the contact in the write's own statement (migration 019): the same
  // as the summaries' own read. SQLite answers none, and the summary reads it.
  const summaryContact = async () => {
    const read = (await store.contacts.manyWithTags([contact.id])).get(contact.id);
    return read ? { ...read.contact, id: undefined, tags: read.tags } : undefined;
  };
  // Every column away from its default, so a column the write's answer dropped or mistyped shows.
  const agent = await h.agent('agent', 'Ann');
  await store.conversations.update(conversation.id, {
    muted: 1,
    muted_at: now(),
    muted_by: agent.id,
    holder_id: agent.id,
    agent_replied: 1,
    outgoing: 1,
    expired: 1,
    assignees: JSON.stringify([agent.id]),
    visible_to: JSON.stringify([agent.id]),
    tags: JSON.stringify(['billing', 'vip']),
    unread_count: 4,
    bot_status: 'need_help',
  });

  for (const text of ['second', 'third']) {
    h.clock.advance(1_000);
    const stored = await store.conversations.get(conversation.id);
    const input = {
      visitorId: visitor.id,
      clientId: randomUUID(),
      conversationId: null,
      channel: 'webchat' as const,
      text,
      preview: text,
      now: now(),
      ticketStatus: afterVisitorMessage,
    };
    const written = await store.db.transaction().execute((tx) => store.messageWrites.visitorMessage(tx, input));
    assert.ok('after' in written, 'the message was written');
    assert.deepEqual(written.before, stored);
    assert.deepEqual(written.after, await store.conversations.get(conversation.id));
    assert.equal(written.after.unreadCount, (stored?.unreadCount ?? 0) + 1);
    assert.equal(written.after.lastMessageText, text);
    assert.equal(written.after.outgoing, false);
    assert.equal(written.after.expired, false);
    assert.equal(written.after.ticketStatus, afterVisitorMessage(true));
    assert.deepEqual(written.contact && { ...written.contact, id: undefined }, await summaryContact(), 'the summary’s contact');
  }

  // The holder's reply, checked by its write: the same answer; anyone else's writes nothing.
  const reply = { conversationId: conversation.id, authorName: 'Ann', text: 'on it', preview: 'on it', ticketStatus: afterAgentReply() };
  const notHolder = await store.db
    .transaction()
    .execute((tx) => store.messageWrites.checkedAgentMessage(tx, { ...reply, clientId: randomUUID(), agentId: randomUUID(), admin: true, now: now() }));
  assert.deepEqual(notHolder, { unchecked: true });
  const beforeReply = await store.conversations.get(conversation.id);
  const replied = await store.db
    .transaction()
    .execute((tx) => store.messageWrites.checkedAgentMessage(tx, { ...reply, clientId: randomUUID(), agentId: agent.id, admin: false, now: now() }));
  assert.ok('after' in replied, 'the holder’s reply was written');
  assert.deepEqual(replied.before, beforeReply);
  assert.deepEqual(replied.after, await store.conversations.get(conversation.id));
  assert.equal(replied.after.unreadCount, 0);
  assert.equal(replied.after.lastMessageAuthor, 'agent');
  assert.deepEqual(replied.contact && { ...replied.contact, id: undefined }, await summaryContact(), 'the summary’s contact');

  // The row a record is read from, column for column, as the store holds it.
  const row = await store.db.selectFrom('conversations').selectAll().where('id', '=', conversation.id).executeTakeFirstOrThrow();
  const record = await store.conversations.get(conversation.id);
  assert.ok(record);
  assert.deepEqual(
    { ...toConversationRow(record), unread_count: Number(row.unread_count), unreplied_count: Number(row.unreplied_count) },
    {
      ...row,
      unread_count: Number(row.unread_count),
      unreplied_count: Number(row.unreplied_count),
    },
  );
});
