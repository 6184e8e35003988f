// Who gets a conversation's messages: the agents who have it open (`conversation:watch`). Every agent who may see it
// follows it in the list (`conversation:updated`, with the last message). The watch answers what it may have missed.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import type { ConversationSummary, Message, VisitorConversation } from '../../protocol/types.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';

/** A hub with one conversation: the visitor's first message (`text`) and the bot's answer to it. */
async function answeredConversation(t: TestContext, text: string) {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket: visitor } = await h.visitor();
  const botAnswer = next<Message>(visitor, 'message:new', (m) => m.author === 'bot');
  const sent = await request<{ message: Message; conversation: VisitorConversation }>(visitor, 'message:send', { clientId: clientId(), text });
  assert.ok(sent.data);
  return { h, admin, visitor, conversationId: sent.data.conversation.id, first: sent.data.message, answer: await botAnswer };
}

test('a new message goes to the agents watching its conversation; the others get the list update alone', async (t) => {
  const { h, admin, visitor, conversationId, answer } = await answeredConversation(t, 'hello');

  const watching = await h.agentSocket(admin);
  const listing = await h.agentSocket((await h.agent('agent', 'Lee')).token);
  assert.deepEqual((await request(watching, 'conversation:watch', { conversationId })).data, { ok: true, messages: [] });
  const listingMessages: Message[] = [];
  listing.on('message:new', (m: Message) => listingMessages.push(m));
  const toWatcher = next<Message>(watching, 'message:new', (m) => m.text === 'are you there?');
  // On one socket, a message:new would come before its conversation:updated (publisher.ts sends them in that order).
  const listed = next<ConversationSummary>(listing, 'conversation:updated', (c) => c.lastMessage?.text === 'are you there?');
  const bot = next<Message>(visitor, 'message:new', (m) => m.author === 'bot' && m.id > answer.id);
  assert.ok((await request(visitor, 'message:send', { clientId: clientId(), text: 'are you there?' })).data);
  assert.equal((await toWatcher).conversationId, conversationId);
  await listed;
  await bot;
  assert.deepEqual(listingMessages, [], 'an agent without it open gets no message:new');
});

test('watch with `after` answers the messages stored since, so nothing between loading and watching is missed', async (t) => {
  const { h, admin, conversationId, first, answer } = await answeredConversation(t, 'one');
  const agent = await h.agentSocket(admin);

  const all = await request<{ ok: true; messages: Message[] }>(agent, 'conversation:watch', { conversationId, after: 0 });
  assert.deepEqual(
    all.data?.messages.map((m) => m.text),
    ['one', answer.text],
  );
  const since = await request<{ ok: true; messages: Message[] }>(agent, 'conversation:watch', { conversationId, after: first.id });
  assert.deepEqual(
    since.data?.messages.map((m) => m.id),
    [answer.id],
  );
  assert.deepEqual((await request(agent, 'conversation:watch', { conversationId, after: answer.id })).data, { ok: true, messages: [] });
  assert.equal((await request(agent, 'conversation:watch', { conversationId, after: -1 })).error?.code, 'bad_request');

  // Not visible: refused, and not watched (no message of it arrives).
  const outsider = await h.agent('agent', 'Out');
  const other = await h.agent('agent', 'Only');
  assert.equal((await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: [other.id] } })).status, 200);
  const outsiderSocket = await h.agentSocket(outsider.token);
  assert.equal((await request(outsiderSocket, 'conversation:watch', { conversationId, after: 0 })).error?.code, 'not_found');
});
