/**
 * An agent's later replies to a conversation they already answered are checked by the write itself on PostgreSQL
 * (migration 016, services/messaging.ts `agentSend`), without reading the conversation first. What changed since the
 * last reply must still refuse them, exactly as the ordinary path does: visibility narrowed, the conversation closed
 * or deleted, another agent taken over. Real hub, real sockets, both stores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationDetail, Message } from '../../protocol/types.js';
import { clientId, request, startHub, type TestHub } from '../helpers/hub.js';

/** A visitor's conversation that `agent` has answered once (so their hub knows it), and the agent's socket. */
async function answered(h: TestHub, agent: { token: string }) {
  const { socket: visitor } = await h.visitor();
  const first = await request<{ message: Message }>(visitor, 'message:send', { clientId: clientId(), text: 'hello' });
  const conversationId = first.data?.message.conversationId ?? '';
  const socket = await h.agentSocket(agent.token);
  const reply = (text: string) => request<{ message: Message }>(socket, 'message:send', { conversationId, clientId: clientId(), text });
  assert.ok((await reply('Hi, I am here')).data, 'the first reply takes the conversation over');
  assert.ok((await reply('How can I help?')).data, 'a later reply is written');
  return { conversationId, reply };
}

async function texts(h: TestHub, token: string, conversationId: string): Promise<string[]> {
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token });
  return detail.body.messages.map((m) => m.text);
}

test('a reply after the conversation was hidden from the agent is refused as not found, and nothing is stored', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const sam = await h.agent('agent', 'Sam');
  const robin = await h.agent('agent', 'Robin');
  const { conversationId, reply } = await answered(h, sam);
  const narrowed = await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: [robin.id] } });
  assert.equal(narrowed.status, 200);

  const refused = await reply('still here?');
  assert.equal(refused.error?.code, 'not_found', JSON.stringify(refused));
  assert.ok(!(await texts(h, admin, conversationId)).includes('still here?'));
});

test('a reply after the conversation was closed is refused as closed; after it was deleted, as not found', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const sam = await h.agent('agent', 'Sam');
  const first = await answered(h, sam);
  assert.equal((await h.api('POST', `/api/conversations/${first.conversationId}/close`, { token: admin, body: { ticketStatus: 'resolved' } })).status, 200);
  const closed = await first.reply('one more thing');
  assert.equal(closed.error?.code, 'closed', JSON.stringify(closed));
  assert.ok(!(await texts(h, admin, first.conversationId)).includes('one more thing'));

  const second = await answered(h, sam);
  assert.equal((await h.api('DELETE', `/api/conversations/${second.conversationId}`, { token: admin })).status, 200);
  const gone = await second.reply('hello?');
  assert.equal(gone.error?.code, 'not_found', JSON.stringify(gone));
});

test('a reply after an admin took the conversation over is refused as already claimed', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const sam = await h.agent('agent', 'Sam');
  const { conversationId, reply } = await answered(h, sam);
  assert.equal((await h.api('POST', `/api/conversations/${conversationId}/claim`, { token: admin, body: { force: true } })).status, 200);

  const refused = await reply('I was here first');
  assert.equal(refused.error?.code, 'already_claimed', JSON.stringify(refused));
  assert.ok(!(await texts(h, admin, conversationId)).includes('I was here first'));
});
