/**
 * Contacts: sessions join a person only on the site's word, agents keep fields, tags and notes about
 * them, admins merge and erase, and New chat reaches the visitor when they come back. Real hub, real
 * sockets, both stores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSigner } from 'fast-jwt';
import type { Contact, ContactList, NewChatResponse } from '../../protocol/contacts.js';
import type { VisitorSession } from '../../protocol/events.js';
import type { ConversationDetail, ConversationSummary, Message, UserData } from '../../protocol/types.js';
import { userHash } from '../../server/auth.js';
import { clientId, next, request, startHub, type TestHub, type VisitorSocket } from '../helpers/hub.js';

const SITE_SECRET = 'demo-site-secret';
const signJwt = createSigner({ key: SITE_SECRET, algorithm: 'HS256' });

async function say(socket: VisitorSocket, text: string): Promise<Message> {
  const ack = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text });
  assert.ok(ack.data, `send failed: ${JSON.stringify(ack.error)}`);
  return ack.data.message;
}

async function contactOf(h: TestHub, token: string, conversationId: string): Promise<Contact> {
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token });
  assert.equal(detail.status, 200);
  const contact = await h.api<Contact>('GET', `/api/contacts/${detail.body.conversation.contactId}`, { token });
  assert.equal(contact.status, 200);
  return contact.body;
}

/** A visitor on a new device (no stored token) who writes once. */
async function device(h: TestHub, userData: UserData, text = 'hello') {
  const visitor = await h.visitor({ userData });
  const message = await say(visitor.socket, text);
  return { ...visitor, message };
}

test('the same signed user_id on two devices is one contact with both conversations; the second device sees it too', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const ada = { user_id: 'u-1', user_hash: userHash('u-1', SITE_SECRET), first_name: 'Ada', email: 'ada@example.com' };
  const laptop = await device(h, ada, 'from my laptop');
  const contact = await contactOf(h, admin, laptop.message.conversationId);
  assert.equal(contact.verified, true);
  assert.equal(contact.identity.userId.verified, true);

  // The phone joins the same person, and its widget shows the open conversation of the laptop.
  const phone = await h.visitor({ userData: ada });
  assert.equal(phone.session.conversation?.id, laptop.message.conversationId);
  const onLaptop = next<Message>(laptop.socket, 'message:new', (m) => m.text === 'from my phone');
  const fromPhone = await say(phone.socket, 'from my phone');
  assert.equal(fromPhone.conversationId, laptop.message.conversationId, 'one open conversation per person');
  await onLaptop;

  // Close it; the phone's next message opens a second conversation of the same contact.
  await h.api('POST', `/api/conversations/${laptop.message.conversationId}/close`, { token: admin, body: {} });
  const second = await say(phone.socket, 'another question');
  assert.notEqual(second.conversationId, laptop.message.conversationId);
  const after = await contactOf(h, admin, second.conversationId);
  assert.equal(after.id, contact.id);
  assert.equal(after.sessionCount, 2);
  assert.deepEqual(after.conversations.map((c) => c.id).sort(), [laptop.message.conversationId, second.conversationId].sort());
  assert.equal(after.conversationCount, 2);
});

test('an email the visitor typed never joins two people; a forged signature is unverified and joins no one', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const a = await device(h, { first_name: 'Sam', email: 'same@example.com' });
  const b = await device(h, { first_name: 'Sam', email: 'same@example.com' });
  const contactA = await contactOf(h, admin, a.message.conversationId);
  const contactB = await contactOf(h, admin, b.message.conversationId);
  assert.notEqual(contactA.id, contactB.id);
  assert.equal(b.session.conversation, null, "the second device does not see the first one's conversation");
  assert.equal(contactA.identity.email.verified, false);

  const real = await device(h, { user_id: 'u-7', user_hash: userHash('u-7', SITE_SECRET), email: 'seven@example.com' });
  const forged = await device(h, { user_id: 'u-7', user_hash: userHash('u-7', 'guessed'), email: 'seven@example.com' });
  const forgedJwt = await device(h, { user_jwt: createSigner({ key: 'guessed', algorithm: 'HS256' })({ user_id: 'u-7' }) });
  const realContact = await contactOf(h, admin, real.message.conversationId);
  for (const attempt of [forged, forgedJwt]) {
    assert.equal(attempt.session.visitor.verified, false);
    assert.equal(attempt.session.conversation, null);
    const contact = await contactOf(h, admin, attempt.message.conversationId);
    assert.notEqual(contact.id, realContact.id);
    assert.equal(contact.verified, false);
    assert.equal(contact.userId, null);
  }

  // Searching finds each Sam by email, and both when asked for the address.
  const found = await h.api<ContactList>('GET', '/api/contacts?query=SAME%40example', { token: admin });
  assert.deepEqual(found.body.items.map((c) => c.id).sort(), [contactA.id, contactB.id].sort());
});

test('a signed JWT verifies exactly the fields it holds; a later unsigned change is flagged, not trusted', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const jwt = signJwt({ user_id: 'u-9', email: 'Grace@Example.com', name: 'Grace Hopper' });
  const visitor = await device(h, { user_jwt: jwt, first_name: 'Grace', last_name: 'Hopper', phone_number: '+33 1 23' });
  let contact = await contactOf(h, admin, visitor.message.conversationId);
  assert.deepEqual(contact.identity.email, { value: 'grace@example.com', verified: true, visitorValue: null });
  assert.deepEqual(contact.identity.name, { value: 'Grace Hopper', verified: true, visitorValue: null });
  assert.equal(contact.phone, '+33 1 23');

  // The page (or someone at the console) now claims another name and email without a new signature.
  const update = await request<{ verified: boolean }>(visitor.socket, 'user:update', {
    userData: { user_jwt: jwt, first_name: 'Mallory', email: 'mallory@example.com' },
  });
  assert.equal(update.data?.verified, true);
  contact = await contactOf(h, admin, visitor.message.conversationId);
  assert.deepEqual(contact.identity.name, { value: 'Grace Hopper', verified: true, visitorValue: 'Mallory' });
  assert.deepEqual(contact.identity.email, { value: 'grace@example.com', verified: true, visitorValue: 'mallory@example.com' });
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${visitor.message.conversationId}`, { token: admin });
  assert.equal(detail.body.conversation.visitor.name, 'Grace Hopper', 'the list shows the signed name');

  // Legacy user_hash: user_id only; the name and email are the visitor's word.
  const legacy = await device(h, { user_id: 'u-10', user_hash: userHash('u-10', SITE_SECRET), first_name: 'Linus', email: 'linus@example.com' });
  const legacyContact = await contactOf(h, admin, legacy.message.conversationId);
  assert.equal(legacyContact.identity.userId.verified, true);
  assert.equal(legacyContact.identity.name.verified, false);
  assert.equal(legacyContact.identity.email.verified, false);
});

test('a page that sends only a signed token identifies the visitor on connect', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const user_jwt = signJwt({ user_id: 'u-only-token', name: 'Tok En' });
  const laptop = await device(h, { user_jwt }, 'from the laptop');
  // The phone only connects (writes nothing): the signed token alone joins it to the person.
  const phone = await h.visitor({ userData: { user_jwt } });
  assert.equal(phone.session.visitor.verified, true);
  assert.equal(phone.session.conversation?.id, laptop.message.conversationId);
  const contact = await contactOf(h, admin, laptop.message.conversationId);
  assert.equal(contact.sessionCount, 2);
  assert.equal(contact.name, 'Tok En');
});

test('an anonymous visitor who signs in later joins their contact, conversations included', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const known = await device(h, { user_id: 'u-5', user_hash: userHash('u-5', SITE_SECRET) }, 'earlier, signed in');
  const knownContact = await contactOf(h, admin, known.message.conversationId);
  await h.api('POST', `/api/conversations/${known.message.conversationId}/close`, { token: admin, body: {} });

  const anonymous = await device(h, {}, 'before signing in');
  const anonymousContact = await contactOf(h, admin, anonymous.message.conversationId);
  assert.notEqual(anonymousContact.id, knownContact.id);
  await request(anonymous.socket, 'user:update', { userData: { user_id: 'u-5', user_hash: userHash('u-5', SITE_SECRET), first_name: 'Kim' } });
  const joined = await contactOf(h, admin, anonymous.message.conversationId);
  assert.equal(joined.id, knownContact.id);
  assert.equal(joined.conversationCount, 2);
  assert.equal((await h.api('GET', `/api/contacts/${anonymousContact.id}`, { token: admin })).status, 404, 'the anonymous contact was merged away');
});

test('an admin merges two contacts keeping every message; an agent may not', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent();
  const a = await device(h, { first_name: 'Alex', email: 'alex@work.example' }, 'first');
  await say(a.socket, 'second');
  const b = await device(h, { first_name: 'Alex', email: 'alex@home.example' }, 'third');
  const contactA = await contactOf(h, admin, a.message.conversationId);
  const contactB = await contactOf(h, admin, b.message.conversationId);
  await h.api('POST', `/api/contacts/${contactB.id}/notes`, { token: admin, body: { text: 'prefers email' } });

  const refused = await h.api('POST', `/api/contacts/${contactA.id}/merge`, { token: agent.token, body: { otherId: contactB.id } });
  assert.equal(refused.status, 403);
  assert.equal((await h.api('GET', `/api/contacts/${contactB.id}`, { token: admin })).status, 200, 'a refused merge changed nothing');

  const merged = await h.api<Contact>('POST', `/api/contacts/${contactA.id}/merge`, { token: admin, body: { otherId: contactB.id } });
  assert.equal(merged.status, 200);
  assert.equal(merged.body.conversationCount, 2);
  assert.deepEqual(
    merged.body.notes.map((n) => n.text),
    ['prefers email'],
  );
  assert.equal((await h.api('GET', `/api/contacts/${contactB.id}`, { token: admin })).status, 404);
  const exported = await h.api<{ conversations: { messages: Message[] }[] }>('GET', `/api/contacts/${contactA.id}/export`, { token: admin });
  const texts = exported.body.conversations.flatMap((c) => c.messages.filter((m) => m.author === 'visitor').map((m) => m.text));
  assert.deepEqual(texts.sort(), ['first', 'second', 'third']);
  // B's widget now belongs to the merged person: an agent reply in B's conversation still reaches it.
  await h.api('POST', `/api/conversations/${b.message.conversationId}/claim`, { token: admin, body: {} });
  const agentSocket = await h.agentSocket(admin);
  const reaches = next<Message>(b.socket, 'message:new', (m) => m.text === 'still here');
  await request(agentSocket, 'message:send', { conversationId: b.message.conversationId, clientId: clientId(), text: 'still here' });
  await reaches;
});

test("a contact's default assignee and default visibility apply to their new conversations", async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const owner = await h.agent('agent', 'Owner');
  const outsider = await h.agent('agent', 'Outsider');
  const v = await device(h, { first_name: 'Robin' }, 'first visit');
  const contact = await contactOf(h, admin, v.message.conversationId);

  const notAllowed = await h.api('PATCH', `/api/contacts/${contact.id}`, { token: owner.token, body: { defaultAssigneeId: owner.id } });
  assert.equal(notAllowed.status, 403, 'routing is for admins and the owner');
  const badRule = await h.api('PATCH', `/api/contacts/${contact.id}`, { token: admin, body: { defaultAssigneeId: owner.id, defaultVisibleTo: [outsider.id] } });
  assert.equal(badRule.status, 400, 'the assignee must be able to see the contact');
  const set = await h.api<Contact>('PATCH', `/api/contacts/${contact.id}`, {
    token: admin,
    body: { defaultAssigneeId: owner.id, defaultVisibleTo: [owner.id] },
  });
  assert.equal(set.status, 200);
  assert.equal(set.body.ownerId, owner.id);

  await h.api('POST', `/api/conversations/${v.message.conversationId}/close`, { token: admin, body: {} });
  const again = await say(v.socket, 'second visit');
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${again.conversationId}`, { token: owner.token });
  assert.equal(detail.status, 200);
  assert.deepEqual(detail.body.conversation.assignees, [owner.id]);
  assert.deepEqual(detail.body.conversation.visibleTo, [owner.id]);
  assert.equal((await h.api('GET', `/api/conversations/${again.conversationId}`, { token: outsider.token })).status, 404);
  assert.equal((await h.api('GET', `/api/contacts/${contact.id}`, { token: outsider.token })).status, 404, 'the contact is hidden from them too');
  const mine = await h.api<{ items: ConversationSummary[] }>('GET', '/api/conversations?inbox=mine', { token: owner.token });
  assert.ok(mine.body.items.some((c) => c.id === again.conversationId));
});

test('New chat: an outgoing conversation waits in Outgoing and reaches the widget when the visitor comes back', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent('agent', 'Nina');
  const first = await device(h, { first_name: 'Jo', email: 'jo@example.com' }, 'hi');
  const contact = await contactOf(h, admin, first.message.conversationId);
  const open = await h.api('POST', `/api/contacts/${contact.id}/conversations`, { token: agent.token, body: { text: 'Hello again' } });
  assert.equal(open.status, 409, 'one open conversation per person');
  await h.api('POST', `/api/conversations/${first.message.conversationId}/close`, { token: admin, body: {} });
  first.socket.disconnect();
  h.clock.advance(60_000);

  const empty = await h.api('POST', `/api/contacts/${contact.id}/conversations`, { token: agent.token, body: { text: '   ' } });
  assert.equal(empty.status, 400);
  const chat = await h.api<NewChatResponse>('POST', `/api/contacts/${contact.id}/conversations`, {
    token: agent.token,
    body: { text: 'Your order shipped today!' },
  });
  assert.equal(chat.status, 201);
  assert.equal(chat.body.conversation.outgoing, true);
  assert.equal(chat.body.conversation.holderId, agent.id);
  assert.equal(chat.body.message.author, 'agent');
  const outgoing = await h.api<{ items: ConversationSummary[]; counts: { outgoing: number } }>('GET', '/api/conversations?inbox=outgoing', {
    token: agent.token,
  });
  assert.deepEqual(
    outgoing.body.items.map((c) => c.id),
    [chat.body.conversation.id],
  );
  assert.equal(outgoing.body.counts.outgoing, 0, 'nothing unreplied: the agent wrote last');

  // The visitor comes back (same browser: the stored session token).
  const back = await h.visitor({ token: first.session.token });
  assert.equal(back.session.conversation?.id, chat.body.conversation.id);
  const history = await request<{ messages: Message[] }>(back.socket, 'messages:since', { afterId: first.message.id });
  const fromAgent = history.data?.messages.filter((m) => m.author === 'agent') ?? [];
  assert.deepEqual(
    fromAgent.map((m) => m.text),
    ['Your order shipped today!'],
  );
  assert.equal(fromAgent[0]?.readAt, null, 'unread until the visitor opens the chat');

  // Their answer takes it out of Outgoing.
  await say(back.socket, 'Great, thanks');
  const after = await h.api<{ items: ConversationSummary[] }>('GET', '/api/conversations?inbox=outgoing', { token: agent.token });
  assert.deepEqual(after.body.items, []);
});

test('custom fields are typed and required as defined; tags follow the catalogue when free tags are off', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent();
  const v = await device(h, { first_name: 'Pat' });
  const contact = await contactOf(h, admin, v.message.conversationId);
  const fields = [
    { key: 'plan', label: 'Plan', type: 'select', options: ['Free', 'Pro'], required: true },
    { key: 'seats', label: 'Seats', type: 'number', options: [], required: false },
    { key: 'renewal', label: 'Renewal', type: 'date', options: [], required: false },
  ];
  assert.equal((await h.api('PUT', '/api/contact-fields', { token: agent.token, body: { items: fields } })).status, 403);
  assert.equal((await h.api('PUT', '/api/contact-fields', { token: admin, body: { items: [{ ...fields[0], options: [] }] } })).status, 400);
  assert.equal((await h.api('PUT', '/api/contact-fields', { token: admin, body: { items: fields } })).status, 200);

  const patch = (body: unknown) => h.api<Contact & { message?: string }>('PATCH', `/api/contacts/${contact.id}`, { token: agent.token, body });
  assert.equal((await patch({ fields: { plan: 'Gold' } })).status, 400);
  assert.equal((await patch({ fields: { seats: 'many' } })).status, 400);
  assert.equal((await patch({ fields: { renewal: '2026-02-30' } })).status, 400);
  assert.equal((await patch({ fields: { unknown: 'x' } })).status, 400);
  const saved = await patch({ fields: { plan: 'Pro', seats: 12, renewal: '2027-01-31' } });
  assert.equal(saved.status, 200);
  assert.deepEqual(saved.body.fields, { plan: 'Pro', seats: 12, renewal: '2027-01-31' });
  assert.equal((await patch({ fields: { plan: null } })).status, 400, 'a required field cannot be cleared');
  assert.deepEqual((await patch({ fields: { seats: null } })).body.fields, { plan: 'Pro', renewal: '2027-01-31' });

  await h.api('PUT', '/api/tags', {
    token: admin,
    body: {
      tags: [
        { name: 'vip', color: '#aa3300' },
        { name: 'beta', color: '#0033aa' },
      ],
      freeTags: false,
    },
  });
  assert.equal((await patch({ tags: ['made-up'] })).status, 400);
  assert.deepEqual((await patch({ tags: ['vip', 'beta'] })).body.tags, ['beta', 'vip']);
  const conversationTags = await h.api('PUT', `/api/conversations/${v.message.conversationId}/tags`, { token: agent.token, body: { tags: ['made-up'] } });
  assert.equal(conversationTags.status, 400, 'conversation tags follow the catalogue too');
  const byContactTag = await h.api<{ items: ConversationSummary[] }>('GET', '/api/conversations?contactTag=vip', { token: agent.token });
  assert.deepEqual(
    byContactTag.body.items.map((c) => c.id),
    [v.message.conversationId],
  );
  assert.deepEqual(byContactTag.body.items[0]?.contactTags, ['beta', 'vip'], "a summary shows the contact's tags, sorted");
  const listed = await h.api<ContactList>('GET', '/api/contacts?tag=vip', { token: agent.token });
  assert.deepEqual(
    listed.body.items.map((c) => c.id),
    [contact.id],
  );
});

test('the summary pushed with each message shows its contact as they are now: name, email, tags', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const v = await device(h, { first_name: 'Pat', email: 'pat@example.com' });
  const conversationId = v.message.conversationId;
  const contact = await contactOf(h, admin, conversationId);
  const panel = await h.agentSocket(admin);
  assert.ok((await request(panel, 'conversation:watch', { conversationId })).data);
  assert.equal((await h.api('PATCH', `/api/contacts/${contact.id}`, { token: admin, body: { tags: ['vip', 'beta'] } })).status, 200);

  const pushed = next<ConversationSummary>(panel, 'conversation:updated', (c) => c.id === conversationId && c.lastMessage?.text === 'any news?');
  await say(v.socket, 'any news?');
  const onVisitorMessage = await pushed;
  assert.equal(onVisitorMessage.visitor.name, 'Pat');
  assert.equal(onVisitorMessage.visitor.email, 'pat@example.com');
  assert.deepEqual(onVisitorMessage.contactTags, ['beta', 'vip']);

  assert.equal((await h.api('PATCH', `/api/contacts/${contact.id}`, { token: admin, body: { tags: ['vip'] } })).status, 200);
  const reply = await request<{ conversation: ConversationSummary }>(panel, 'message:send', { conversationId, clientId: clientId(), text: 'Yes!' });
  assert.ok(reply.data, JSON.stringify(reply.error));
  assert.equal(reply.data.conversation.visitor.name, 'Pat');
  assert.deepEqual(reply.data.conversation.contactTags, ['vip'], 'the tag taken off since shows gone');
  assert.equal(reply.data.conversation.visitor.online, true);
});

test('erasing a contact deletes everything it owns and resets its widget sessions', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const signed = { user_id: 'u-3', user_hash: userHash('u-3', SITE_SECRET), email: 'gone@example.com' };
  const one = await device(h, signed);
  const two = await h.visitor({ userData: signed });
  const contact = await contactOf(h, admin, one.message.conversationId);
  const resets = Promise.all([next(one.socket, 'session:reset'), next(two.socket, 'session:reset')]);
  const erased = await h.api<{ conversations: number }>('DELETE', `/api/contacts/${contact.id}`, { token: admin });
  assert.equal(erased.status, 200);
  assert.equal(erased.body.conversations, 1);
  await resets;
  assert.equal((await h.api('GET', `/api/contacts/${contact.id}`, { token: admin })).status, 404);
  assert.equal((await h.api('GET', `/api/conversations/${one.message.conversationId}`, { token: admin })).status, 404);
  const search = await h.api<ContactList>('GET', '/api/contacts?query=gone%40example.com', { token: admin });
  assert.deepEqual(search.body.items, []);
  // Coming back with the old token starts a fresh, empty session.
  const back = await h.visitor({ token: one.session.token, userData: signed });
  assert.equal((back.session as VisitorSession).conversation, null);
});
