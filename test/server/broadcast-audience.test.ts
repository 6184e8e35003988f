/**
 * Who hears a message (services/broadcaster.ts): the contact's other tabs and the agents with the conversation open
 * get it; the tab that sent it and the agents without it open do not (they follow the list's summary). A broadcast
 * nobody can hear is not sent at all, so these are the cases that must still reach someone. An agent's reply is answered
 * to its panel in the ack, with the summary and the change the others get pushed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentSent, ConversationChange } from '../../protocol/events.js';
import type { ConversationSummary, Message, VisitorConversation } from '../../protocol/types.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';

type Sent = { message: Message; conversation: VisitorConversation };

/** Every message:new a socket gets, in order. */
function collect(socket: { on(event: 'message:new', listener: (message: Message) => void): unknown }): Message[] {
  const got: Message[] = [];
  socket.on('message:new', (message) => got.push(message));
  return got;
}

test('a message reaches the other tabs and the watching agents, not its own tab nor the agents without it open', { timeout: 20_000 }, async (t) => {
  const h = await startHub(t);
  const watcher = await h.agentSocket((await h.agent('agent', 'Wes')).token);
  const other = await h.agentSocket((await h.agent('agent', 'Olga')).token);
  const tabA = await h.visitor();
  const tabB = await h.visitor({ token: tabA.session.token });
  const gotA = collect(tabA.socket);
  const gotOther = collect(other);

  // The first message: tab B gets it, tab A (the sender) only the bot's answer that follows it on the same socket.
  const atB = next<Message>(tabB.socket, 'message:new', (m) => m.text === 'Hello!');
  const botAtA = next<Message>(tabA.socket, 'message:new', (m) => m.author === 'bot');
  const first = await request<Sent>(tabA.socket, 'message:send', { clientId: clientId(), text: 'Hello!' });
  assert.ok(first.data, JSON.stringify(first.error));
  assert.equal((await atB).author, 'visitor');
  await botAtA;
  assert.deepEqual(
    gotA.filter((m) => m.author === 'visitor'),
    [],
    'the sending tab already shows its message',
  );

  // An agent with the conversation open gets the next message; one without it gets the summary and no message.
  const conversationId = first.data.conversation.id;
  const watched = await request<{ ok: true }>(watcher, 'conversation:watch', { conversationId });
  assert.ok(watched.data, JSON.stringify(watched.error));
  const atWatcher = next<Message>(watcher, 'message:new', (m) => m.text === 'a second question');
  const summaryAtOther = next<ConversationSummary>(other, 'conversation:updated', (s) => s.lastMessage?.text === 'a second question');
  const second = await request<Sent>(tabA.socket, 'message:send', { clientId: clientId(), text: 'a second question' });
  assert.ok(second.data, JSON.stringify(second.error));
  assert.equal((await atWatcher).conversationId, conversationId);
  await summaryAtOther;
  assert.deepEqual(
    gotOther.filter((m) => m.text === 'a second question'),
    [],
    'sent before the summary if at all',
  );

  // The tab that is left alone still hears an agent's reply.
  tabB.socket.disconnect();
  const replyAtA = next<Message>(tabA.socket, 'message:new', (m) => m.author === 'agent');
  const reply = await request<{ message: Message }>(watcher, 'message:send', { conversationId, clientId: clientId(), text: 'Here to help' });
  assert.ok(reply.data, JSON.stringify(reply.error));
  assert.equal((await replyAtA).text, 'Here to help');
});

test("an agent's reply comes back to its panel in the ack, and to the agent's other tabs and other agents as pushes", { timeout: 20_000 }, async (t) => {
  const h = await startHub(t);
  const { token } = await h.agent('agent', 'Ann');
  const sending = await h.agentSocket(token);
  const otherTab = await h.agentSocket(token);
  const colleague = await h.agentSocket((await h.agent('agent', 'Olga')).token);
  const visitor = await h.visitor();
  const first = await request<Sent>(visitor.socket, 'message:send', { clientId: clientId(), text: 'Hello!' });
  assert.ok(first.data, JSON.stringify(first.error));
  const conversationId = first.data.conversation.id;
  for (const socket of [sending, otherTab]) assert.ok((await request(socket, 'conversation:watch', { conversationId })).data);
  const messagesAtSender = collect(sending);
  const summariesAtSender: ConversationSummary[] = [];
  sending.on('conversation:updated', (summary: ConversationSummary) => summariesAtSender.push(summary));

  const text = 'Here to help';
  const atOtherTab = next<Message>(otherTab, 'message:new', (m) => m.text === text);
  const changeAtOtherTab = nextUpdate(otherTab, text);
  const changeAtColleague = nextUpdate(colleague, text);
  const sent = await request<AgentSent>(sending, 'message:send', { conversationId, clientId: clientId(), text });
  assert.ok(sent.data, JSON.stringify(sent.error));
  assert.equal(sent.data.message.text, text);
  assert.equal(sent.data.conversation.lastMessage?.text, text);
  assert.notEqual(sent.data.change?.previous, null, 'the inbox state before the reply, for the counts');
  assert.equal((await atOtherTab).id, sent.data.message.id);
  for (const pushed of [await changeAtOtherTab, await changeAtColleague]) {
    assert.deepEqual(pushed.summary, sent.data.conversation);
    assert.deepEqual(pushed.change, sent.data.change);
  }

  // The visitor's next message reaches the sending panel after anything the reply could have pushed to it.
  const thanks = next<Message>(sending, 'message:new', (m) => m.text === 'thanks');
  assert.ok((await request<Sent>(visitor.socket, 'message:send', { clientId: clientId(), text: 'thanks' })).data);
  await thanks;
  assert.equal(messagesAtSender.at(-1)?.text, 'thanks');
  assert.deepEqual(
    messagesAtSender.filter((m) => m.author === 'agent'),
    [],
    'the reply is not pushed back to the socket that sent it (the bot may still greet, and the system line join)',
  );
  assert.deepEqual(
    summariesAtSender.filter((s) => s.lastMessage?.text === text),
    [],
    'nor its summary',
  );
});

/** The next `conversation:updated` a socket gets for a conversation whose last message is `text`. */
function nextUpdate(socket: Parameters<typeof next>[0], text: string): Promise<{ summary: ConversationSummary; change: ConversationChange }> {
  return new Promise((resolve) => {
    const listener = (summary: ConversationSummary, change: ConversationChange) => {
      if (summary.lastMessage?.text !== text) return;
      socket.off('conversation:updated', listener);
      resolve({ summary, change });
    };
    socket.on('conversation:updated', listener);
  });
}
