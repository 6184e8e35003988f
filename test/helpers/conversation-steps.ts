/** Steps that build a conversation through the real sockets, for the AI assist tests. */
import assert from 'node:assert/strict';
import type { ConversationDetail, Message } from '../../protocol/types.js';
import { type TestHub, type VisitorSocket, clientId, request } from './hub.js';

/** Waits until the conversation holds `count` messages (the bot answers after the visitor's ack). */
export async function settle(h: TestHub, token: string, conversationId: string, count: number): Promise<Message[]> {
  for (let i = 0; i < 200; i++) {
    const { body } = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token });
    if (body.messages.length >= count) return body.messages;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`conversation ${conversationId} never reached ${count} messages`);
}

/** A visitor's message; resolves the conversation id. */
export async function ask(socket: VisitorSocket, text: string): Promise<string> {
  const sent = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text });
  assert.ok(sent.data, JSON.stringify(sent.error));
  return sent.data.conversation.id;
}

/** An agent's reply over the agent socket (taking the conversation over first). */
export async function answer(h: TestHub, token: string, conversationId: string, text: string): Promise<void> {
  await h.api('POST', `/api/conversations/${conversationId}/claim`, { token, body: {} });
  const socket = await h.agentSocket(token);
  const sent = await request(socket, 'message:send', { conversationId, clientId: clientId(), text });
  assert.ok(!sent.error, JSON.stringify(sent.error));
  socket.disconnect();
}
