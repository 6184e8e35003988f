/**
 * A returning visitor of the demo site, as a past page of the widget leaves one (browser tests): a session in
 * IndexedDB (token, transcript up to the bot's answer, which they read), and an agent's reply that arrived after they
 * left — unread. `reply()` sends more agent messages.
 */
import { type Socket, io } from 'socket.io-client';
import type { VisitorSession } from '../../protocol/events.js';
import type { Message, UserData } from '../../protocol/types.js';
import { DB_NAME, openSessionStore } from '../../widget/session-db.js';
import { api, login, testHub } from './browser-hub.js';

type Ack<T> = { data?: T; error?: { code: string; message: string } };

async function ask<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const answer = (await socket.emitWithAck(event, payload)) as Ack<T>;
  if (!answer.data) throw new Error(`${event}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

export interface ReturningVisitor {
  token: string;
  visitorId: string;
  conversationId: string;
  /** The agent's reply the visitor has not seen. */
  unseen: Message;
  admin: string;
  /** Another agent message in the conversation. */
  reply(text: string): Promise<Message>;
  /** `GET /api/widget/unread` with the visitor's token. */
  unread(): Promise<{ count: number; lastId: number }>;
  close(): void;
}

export async function returningVisitor(userData: UserData = {}): Promise<ReturningVisitor> {
  await new Promise((resolve) => {
    indexedDB.deleteDatabase(DB_NAME).onsuccess = resolve;
  });
  const visitor = io(`${testHub.url}/visitor`, { auth: { site: 'demo', userData }, transports: ['websocket'], forceNew: true, reconnection: false });
  const session = await new Promise<VisitorSession>((resolve) => visitor.once('session', resolve));
  const botAnswer = new Promise<Message>((resolve) => visitor.on('message:new', (m: Message) => m.author === 'bot' && resolve(m)));
  const sent = await ask<{ message: Message }>(visitor, 'message:send', { clientId: crypto.randomUUID(), text: 'where is my order?' });
  const bot = await botAnswer;
  await ask(visitor, 'messages:read', { upToId: bot.id });
  visitor.disconnect();

  // What the widget had stored when the visitor left.
  const store = await openSessionStore('demo');
  await store.save({
    token: session.token,
    visitorId: session.visitor.id,
    conversationId: sent.message.conversationId,
    lastSeenId: bot.id,
    transcript: [sent.message, bot],
  });

  // Meanwhile an agent takes over and answers.
  const admin = await login();
  const conversationId = sent.message.conversationId;
  await api(admin, 'POST', `/api/conversations/${conversationId}/claim`, {});
  const agent = io(`${testHub.url}/agent`, { auth: { token: admin }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise((resolve) => agent.once('hello', resolve));
  const reply = async (text: string) =>
    (await ask<{ message: Message }>(agent, 'message:send', { conversationId, clientId: crypto.randomUUID(), text })).message;
  const unseen = await reply('Your order left our warehouse this morning.');
  return {
    token: session.token,
    visitorId: session.visitor.id,
    conversationId,
    unseen,
    admin,
    reply,
    unread: async () =>
      (await fetch(`${testHub.url}/api/widget/unread`, { headers: { authorization: `Bearer ${session.token}` } })).json() as Promise<{
        count: number;
        lastId: number;
      }>,
    close: () => agent.disconnect(),
  };
}
