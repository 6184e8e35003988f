/**
 * What the email tests share: a hub wired to an SMTP sink (test/helpers/smtp-sink.ts) with the manual clock and the
 * worker run by hand, a poll with a deadline, and the whole outbound path (a visitor writes, an agent replies, the
 * visitor leaves, the delay passes, one email arrives) whose Reply-To the inbound tests answer.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { EmailSettings } from '../../protocol/email.js';
import type { Message } from '../../protocol/types.js';
import type { Config } from '../../server/config.js';
import { type AgentSocket, type TestHub, type VisitorSocket, clientId, next, request, startHub } from './hub.js';
import type { ReceivedMail, SmtpSink } from './smtp-sink.js';

export const MAIL_FROM = 'Shop Support <support@shop.test>';
export const REPLY_DOMAIN = 'reply.shop.test';
export const SHOP_ORIGIN = 'https://shop.example';
export const MINUTE = 60_000;

/** Polls `check` until it holds, failing after `ms` (the condition is what is waited for, not a duration). */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A hub sending through `sink` (the manual clock; tests run `hub.services.email.runDue()`), the demo site's first real
 * origin `SHOP_ORIGIN`, and the feature switched on by the admin unless `enable` is false.
 */
export async function emailHub(
  t: TestContext,
  sink: SmtpSink,
  options: { config?: Partial<Config>; enable?: boolean; dir?: string } = {},
): Promise<{ h: TestHub; admin: string }> {
  const h = await startHub(t, {
    ...(options.dir ? { dir: options.dir } : {}),
    config: { smtpUrl: sink.url, mailFrom: MAIL_FROM, inboundEmailDomain: REPLY_DOMAIN, emailPollMs: 0, ...options.config },
  });
  // '*' stays allowed (the test sockets send no Origin); the link takes the first real origin.
  await h.hub.store.db
    .updateTable('sites')
    .set({ allowed_origins: JSON.stringify([SHOP_ORIGIN, '*']) })
    .where('id', '=', 'demo')
    .execute();
  const admin = await h.login();
  if (options.enable !== false) {
    const res = await h.api<EmailSettings>('PUT', '/api/email/settings', { token: admin, body: { enabled: true } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  return { h, admin };
}

export interface Chat {
  conversationId: string;
  contactId: string;
  visitor: VisitorSocket;
  agent: AgentSocket;
  /** The agent's replies as stored. */
  replies: Message[];
}

/** A visitor (with an email) writes; the agent behind `agentToken` replies with each of `replies`. */
export async function chat(h: TestHub, agentToken: string, who: { firstName: string; email: string }, replies: string[]): Promise<Chat> {
  const { socket: visitor } = await h.visitor({ userData: { first_name: who.firstName, email: who.email } });
  const sent = await request<{ message: Message }>(visitor, 'message:send', { clientId: clientId(), text: 'Where is my order?' });
  assert.ok(sent.data, JSON.stringify(sent.error));
  const conversationId = sent.data.message.conversationId;
  const agent = await h.agentSocket(agentToken);
  const stored: Message[] = [];
  for (const text of replies) {
    const arrived = next<Message>(visitor, 'message:new', (m) => m.author === 'agent' && m.text === text);
    const reply = await request<{ message: Message }>(agent, 'message:send', { conversationId, clientId: clientId(), text });
    assert.ok(reply.data, JSON.stringify(reply.error));
    stored.push(reply.data.message);
    await arrived;
  }
  const detail = await h.api<{ conversation: { contactId: string } }>('GET', `/api/conversations/${conversationId}`, { token: agentToken });
  return { conversationId, contactId: detail.body.conversation.contactId, visitor, agent, replies: stored };
}

/** The visitor's widget goes away; resolves once the hub no longer counts them online. */
export async function leave(h: TestHub, c: Chat): Promise<void> {
  c.visitor.disconnect();
  await until(async () => !(await h.hub.services.broadcaster.contactOnline(c.contactId)), 'the visitor to be offline');
}

/** The whole outbound path: a chat, the visitor leaves unread, the delay passes, the worker sends; the one email. */
export async function emailedChat(
  h: TestHub,
  sink: SmtpSink,
  agentToken: string,
  who: { firstName: string; email: string },
  replies: string[],
): Promise<Chat & { mail: ReceivedMail; replyTo: string }> {
  const c = await chat(h, agentToken, who, replies);
  await leave(h, c);
  const before = sink.received.length;
  h.clock.advance(5 * MINUTE);
  await h.hub.services.email.runDue();
  const [mail] = (await sink.waitFor(before + 1)).slice(before);
  assert.ok(mail);
  const replyTo = mail.parsed.replyTo?.value[0]?.address ?? '';
  assert.match(replyTo, new RegExp(`^reply\\+[a-z2-7]{32}@${REPLY_DOMAIN.replaceAll('.', '\\.')}$`));
  return { ...c, mail, replyTo };
}
