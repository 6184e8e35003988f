/**
 * Email continuity, inbound: the visitor answers the reply email (whose Reply-To came from the real outbound path,
 * test/helpers/email.ts) through the hub's built-in SMTP listener (nodemailer to INBOUND_SMTP_PORT on loopback) and
 * through `POST /api/email/inbound`. The answer shows in the conversation as a visitor message with channel `email`,
 * quoted history cut, live on an agent's socket; the same email twice is stored once; a forged reply address, another
 * sender, an automatic reply and a wrong bearer token are refused and change nothing. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import nodemailer from 'nodemailer';
import type { InboundEmailResult } from '../../protocol/email.js';
import type { ConversationDetail, Message } from '../../protocol/types.js';
import { REPLY_DOMAIN, emailHub, emailedChat } from '../helpers/email.js';
import { type TestHub, next, request } from '../helpers/hub.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const INBOUND_TOKEN = 'inbound-token-0123456789abcdef';
const QUOTED = 'Great, thanks! See you.\n\nOn Mon, 10 Aug 2026 at 09:00, Shop Support <support@shop.test>\nwrote:\n> It ships tomorrow.\n> Tracking';

async function messages(h: TestHub, token: string, conversationId: string): Promise<Message[]> {
  return (await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token })).body.messages;
}

/** The raw RFC 822 message a mail client would send (built by nodemailer's own composer). */
async function rawEmail(mail: { from: string; to: string; text: string; messageId: string; headers?: Record<string, string> }): Promise<string> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await composer.sendMail({ ...mail, subject: 'Re: your chat' });
  return (info.message as Buffer).toString('utf8');
}

test('a reply through the built-in SMTP listener joins the conversation (channel email, quoted history cut, live), once', async (t) => {
  const sink = await startSmtpSink(t);
  const { h, admin } = await emailHub(t, sink, { config: { inboundSmtpPort: 0, inboundSmtpHost: '127.0.0.1' } });
  const listener = h.hub.inboundSmtp();
  assert.ok(listener && listener.port > 0, 'the listener is on');
  const c = await emailedChat(h, sink, admin, { firstName: 'Wendy', email: 'wendy@example.com' }, ['It ships tomorrow.']);
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
  t.after(() => client.close());
  const mail = { from: 'Wendy <WENDY@Example.com>', to: c.replyTo, subject: 'Re: your chat', text: QUOTED, messageId: '<reply-1@example.com>' };

  await request(c.agent, 'conversation:watch', { conversationId: c.conversationId }); // the agent has it open
  const live = next<Message>(c.agent, 'message:new', (m) => m.channel === 'email');
  const info = await client.sendMail(mail);
  assert.match(info.response, /^250 .*Stored as message \d+/);
  const seen = await live;
  assert.deepEqual({ author: seen.author, channel: seen.channel, text: seen.text }, { author: 'visitor', channel: 'email', text: 'Great, thanks! See you.' });
  assert.equal(seen.conversationId, c.conversationId, 'the same conversation');

  // Delivered again (same Message-ID): accepted, stored once.
  await client.sendMail(mail);
  const after = await messages(h, admin, c.conversationId);
  assert.equal(after.filter((m) => m.channel === 'email').length, 1);
  assert.ok(after.filter((m) => m.channel !== 'email').every((m) => m.channel === 'webchat'));

  // A forged token: refused at RCPT TO. Another sender: refused after DATA. Neither changes anything.
  const forged = `reply+${'a'.repeat(32)}@${REPLY_DOMAIN}`;
  await assert.rejects(client.sendMail({ ...mail, to: forged, messageId: '<forged@example.com>' }), (error: { responseCode?: number }) => {
    assert.equal(error.responseCode, 550);
    return true;
  });
  await assert.rejects(client.sendMail({ ...mail, from: 'mallory@example.com', messageId: '<spoof@example.com>' }), (error: { responseCode?: number }) => {
    assert.equal(error.responseCode, 550);
    return true;
  });
  // An out-of-office answer (RFC 3834) is not the visitor writing.
  await assert.rejects(client.sendMail({ ...mail, messageId: '<ooo@example.com>', headers: { 'Auto-Submitted': 'auto-replied' } }));
  assert.deepEqual(await messages(h, admin, c.conversationId), after, 'nothing changed');
});

test('POST /api/email/inbound: the same reply path, behind its own bearer token; refusals change nothing', async (t) => {
  const sink = await startSmtpSink(t);
  const { h, admin } = await emailHub(t, sink, { config: { inboundEmailToken: INBOUND_TOKEN, webhookAllowPrivate: true } });
  // A webhook endpoint: the reply's message.created is stored for it like a widget message's (the worker is off).
  const hook = await h.api<{ id: string }>('POST', '/api/webhooks', { token: admin, body: { url: 'http://127.0.0.1:9/hook', events: ['message.created'] } });
  assert.equal(hook.status, 201);
  const c = await emailedChat(h, sink, admin, { firstName: 'Hana', email: 'hana@example.com' }, ['Your refund is on its way.']);
  const raw = await rawEmail({
    from: 'Hana <hana@example.com>',
    to: c.replyTo,
    text: `Thank you!\n\n> Your refund is on its way.`,
    messageId: '<h1@example.com>',
  });
  const post = (body: string, token: string | null = INBOUND_TOKEN, contentType = 'message/rfc822') =>
    h.api<InboundEmailResult & { code?: string }>('POST', '/api/email/inbound', { ...(token ? { token } : {}), raw: body, contentType });

  await request(c.agent, 'conversation:watch', { conversationId: c.conversationId }); // the agent has it open
  const live = next<Message>(c.agent, 'message:new', (m) => m.channel === 'email');
  const first = await post(raw);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual({ ...first.body, messageId: 0 }, { accepted: true, conversationId: c.conversationId, messageId: 0, duplicate: false });
  assert.equal((await live).text, 'Thank you!');
  const deliveries = await h.api<{ items: { payload: { data: { message: Message } } }[] }>('GET', `/api/webhooks/${hook.body.id}/deliveries?limit=100`, {
    token: admin,
  });
  const fired = deliveries.body.items.map((d) => d.payload.data.message).filter((m) => m.channel === 'email');
  assert.deepEqual(
    fired.map((m) => [m.id, m.text]),
    [[first.body.messageId, 'Thank you!']],
    'message.created fired',
  );
  const again = await post(raw, INBOUND_TOKEN, 'text/plain');
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, { ...first.body, duplicate: true }, 'the same email again: stored once');
  const before = await messages(h, admin, c.conversationId);

  assert.equal((await post(raw, null)).status, 401);
  assert.equal((await post(raw, 'wrong-token-0123456789')).status, 401);
  assert.equal((await post(raw, admin)).status, 401, 'an agent token is not the inbound token');
  const forged = raw.replace(c.replyTo, `reply+${'b'.repeat(32)}@${REPLY_DOMAIN}`).replace('<h1@example.com>', '<h2@example.com>');
  assert.equal((await post(forged)).status, 404);
  const spoofed = raw.replaceAll('hana@example.com', 'mallory@example.com').replace('<h1@example.com>', '<h3@example.com>');
  assert.equal((await post(spoofed)).status, 403);
  const quotedOnly = await rawEmail({ from: 'hana@example.com', to: c.replyTo, text: '> Your refund is on its way.', messageId: '<h4@example.com>' });
  assert.equal((await post(quotedOnly)).status, 400);
  assert.equal((await post('x'.repeat(1024 * 1024 + 10))).status, 413);
  assert.deepEqual(await messages(h, admin, c.conversationId), before, 'nothing changed');

  // The conversation was closed meanwhile: the reply opens a new one, as a widget message would (the bot stays quiet:
  // the visitor is away, and only agents' replies are emailed).
  assert.equal((await h.api('POST', `/api/conversations/${c.conversationId}/close`, { token: admin, body: {} })).status, 200);
  const later = await post(await rawEmail({ from: 'hana@example.com', to: c.replyTo, text: 'One more thing', messageId: '<h5@example.com>' }));
  assert.equal(later.status, 200);
  assert.notEqual(later.body.conversationId, c.conversationId);
  const reopened = await h.api<ConversationDetail>('GET', `/api/conversations/${later.body.conversationId}`, { token: admin });
  assert.equal(reopened.body.conversation.state, 'open');
  assert.deepEqual(
    reopened.body.messages.map((m) => [m.author, m.channel, m.text]),
    [['visitor', 'email', 'One more thing']],
  );
});

test('without INBOUND_EMAIL_TOKEN the inbound route answers 404; without INBOUND_SMTP_PORT there is no listener', async (t) => {
  const sink = await startSmtpSink(t);
  const { h } = await emailHub(t, sink);
  assert.equal(h.hub.inboundSmtp(), null);
  const res = await h.api('POST', '/api/email/inbound', { token: INBOUND_TOKEN, raw: 'From: a@b\n\nhi', contentType: 'message/rfc822' });
  assert.equal(res.status, 404);
});
