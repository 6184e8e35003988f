/**
 * Email continuity, outbound, against a real receiving MTA (smtp-server on loopback, test/helpers/smtp-sink.ts) and
 * the hub's manual clock: an agent's unseen replies reach a visitor who left, in one email with the link back and the
 * reply address, once the delay passed; a visitor who read them, or is still there, gets none; nothing is sent while
 * the feature is off; a refused attempt is retried; two hubs on one database send a mail once; offline agents who
 * asked for it get an escalation email, within their visibility. Runs on SQLite and, in the PostgreSQL pass, on
 * PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmailSettings } from '../../protocol/email.js';
import type { Agent, Me, Message } from '../../protocol/types.js';
import { MAIL_FROM, MINUTE, REPLY_DOMAIN, SHOP_ORIGIN, chat, emailHub, leave } from '../helpers/email.js';
import { testPostgresUrl } from '../helpers/databases.mjs';
import { clientId, next, request, startHub } from '../helpers/hub.js';
import { SINK_USER, startSmtpSink } from '../helpers/smtp-sink.js';

async function queueDepth(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('switchboard_queue_depth{queue="emails"}'));
  return Number(line?.split(' ').at(-1));
}

test('the settings: off by default, admin only, and the server status (no SMTP: unavailable)', async (t) => {
  const plain = await startHub(t);
  const admin = await plain.login();
  const res = await plain.api<EmailSettings>('GET', '/api/email/settings', { token: admin });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, {
    enabled: false,
    delayMinutes: 5,
    chatUrl: null,
    smtpConfigured: false,
    inboundSmtp: false,
    inboundHttp: false,
    replyDomain: null,
  });
  const agent = await plain.agent();
  assert.equal((await plain.api('GET', '/api/email/settings', { token: agent.token })).status, 403);
  // Every agent learns, with their own account, that their escalation emails would go nowhere yet.
  assert.equal((await plain.api<Me>('GET', '/api/me', { token: agent.token })).body.mailEnabled, false);
  assert.equal((await plain.api<Me>('PATCH', '/api/me', { token: agent.token, body: { emailOnEscalation: true } })).body.mailEnabled, false);
  const bad = await plain.api<{ field: string }>('PUT', '/api/email/settings', { token: admin, body: { chatUrl: 'javascript:alert(1)' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'chatUrl');
  assert.equal((await plain.api('PUT', '/api/email/settings', { token: admin, body: { delayMinutes: 0 } })).status, 400);
  const saved = await plain.api<EmailSettings>('PUT', '/api/email/settings', {
    token: admin,
    body: { enabled: true, delayMinutes: 10, chatUrl: 'https://shop.example/help' },
  });
  assert.deepEqual({ ...saved.body }, { ...res.body, enabled: true, delayMinutes: 10, chatUrl: 'https://shop.example/help' });
});

test('an unseen reply is emailed once after the delay, with every unseen reply, the link back and the reply address', async (t) => {
  const sink = await startSmtpSink(t);
  const { h, admin } = await emailHub(t, sink);
  const status = (await h.api<EmailSettings>('GET', '/api/email/settings', { token: admin })).body;
  assert.deepEqual({ smtp: status.smtpConfigured, enabled: status.enabled, domain: status.replyDomain }, { smtp: true, enabled: true, domain: REPLY_DOMAIN });
  assert.equal((await h.api<Me>('GET', '/api/me', { token: admin })).body.mailEnabled, true, 'with SMTP_URL, escalation emails can go out');

  const c = await chat(h, admin, { firstName: 'Wendy', email: 'Wendy@Example.com' }, ['It ships tomorrow.', 'Tracking number:\nZX-42']);
  await leave(h, c);
  assert.equal(await h.hub.services.email.runDue(), 0, 'not due yet');
  h.clock.advance(5 * MINUTE - 1000);
  assert.equal(await h.hub.services.email.runDue(), 0, 'still not due');
  h.clock.advance(1000);
  assert.equal(await h.hub.services.email.runDue(), 1, 'one email sent');
  const [mail] = await sink.waitFor(1);
  assert.ok(mail);
  assert.equal(mail.user, SINK_USER, 'the SMTP_URL credentials were used');
  assert.deepEqual(mail.to, ['wendy@example.com']);
  assert.deepEqual(
    mail.parsed.from?.value.map((a) => `${a.name} <${a.address}>`),
    [MAIL_FROM],
  );
  assert.match(mail.parsed.subject ?? '', /replied to your chat with Demo shop/);
  assert.equal(mail.parsed.headers.get('auto-submitted'), 'auto-generated');
  const replyTo = mail.parsed.replyTo?.value[0]?.address ?? '';
  assert.match(replyTo, /^reply\+[a-z2-7]{32}@reply\.shop\.test$/);
  const text = mail.parsed.text ?? '';
  assert.match(text, /^Hi Wendy,/);
  assert.ok(text.includes('It ships tomorrow.') && text.includes('  Tracking number:\n  ZX-42'), text);
  assert.ok(text.includes(`Continue the chat: ${SHOP_ORIGIN}/#switchboard-chat`), text);
  assert.ok(text.includes('reply to this email'), text);
  assert.equal(mail.parsed.html, false, 'plain text only');

  // Exactly one: later runs send nothing more, and the queue is empty.
  h.clock.advance(60 * MINUTE);
  assert.equal(await h.hub.services.email.runDue(), 0);
  assert.equal(sink.received.length, 1);
  assert.equal(await queueDepth(h.url), 0);

  // A later reply: the next email holds only it (the earlier ones were emailed already), and the same reply address.
  const reply = await request<{ message: Message }>(c.agent, 'message:send', { conversationId: c.conversationId, clientId: clientId(), text: 'Delivered?' });
  assert.ok(reply.data);
  h.clock.advance(5 * MINUTE);
  assert.equal(await h.hub.services.email.runDue(), 1);
  const second = (await sink.waitFor(2))[1];
  assert.ok(second?.parsed.text?.includes('Delivered?') && !second.parsed.text.includes('ships tomorrow'), second?.parsed.text);
  assert.equal(second?.parsed.replyTo?.value[0]?.address, replyTo);
});

test('no email to a visitor who read the reply, who is online at due time, or while the feature is off', async (t) => {
  const sink = await startSmtpSink(t);
  const { h, admin } = await emailHub(t, sink, { enable: false });

  // Off (the default): a reply to a visitor who left is never emailed.
  const off = await chat(h, admin, { firstName: 'Olga', email: 'olga@example.com' }, ['Hello Olga']);
  await leave(h, off);
  assert.equal((await h.api('PUT', '/api/email/settings', { token: admin, body: { enabled: true } })).status, 200);
  h.clock.advance(10 * MINUTE);
  await h.hub.services.email.runDue();

  // Read: the widget marked the reply read before leaving.
  const read = await chat(h, admin, { firstName: 'Rita', email: 'rita@example.com' }, ['Hello Rita']);
  const last = read.replies.at(-1);
  assert.ok(last);
  assert.ok((await request(read.visitor, 'messages:read', { upToId: last.id })).data);
  await leave(h, read);

  // Online: still connected when the delay is over.
  const here = await chat(h, admin, { firstName: 'Olive', email: 'olive@example.com' }, ['Hello Olive']);

  h.clock.advance(5 * MINUTE);
  await h.hub.services.email.runDue();
  h.clock.advance(60 * MINUTE);
  await h.hub.services.email.runDue();
  assert.deepEqual(
    sink.received.map((m) => m.to),
    [],
    'no email at all',
  );
  here.visitor.disconnect();
});

test('a refused attempt is retried with backoff and sent once; the queue depth is reported', async (t) => {
  const sink = await startSmtpSink(t);
  const { h, admin } = await emailHub(t, sink);
  const c = await chat(h, admin, { firstName: 'Tess', email: 'tess@example.com' }, ['Retry me']);
  await leave(h, c);
  sink.refuseNext(1);
  h.clock.advance(5 * MINUTE);
  assert.equal(await h.hub.services.email.runDue(), 1, 'one attempt, refused with 451');
  assert.equal(sink.received.length, 0);
  assert.equal(await queueDepth(h.url), 1, 'waiting for its retry');
  const [mail] = await h.hub.store.email.mailsOf(c.conversationId);
  assert.equal(mail?.status, 'pending');
  assert.equal(mail?.attempts, 1);
  assert.match(mail?.last_error ?? '', /451/);
  assert.equal(await h.hub.services.email.runDue(), 0, 'not before its backoff');
  h.clock.advance(10_000);
  assert.equal(await h.hub.services.email.runDue(), 1);
  await sink.waitFor(1);
  assert.equal((await h.hub.store.email.mailsOf(c.conversationId))[0]?.status, 'sent');
  assert.equal(await queueDepth(h.url), 0);
  h.clock.advance(60 * MINUTE);
  await h.hub.services.email.runDue();
  assert.equal(sink.received.length, 1, 'sent once');
});

test('two hubs on one database: each due email is sent by one of them', async (t) => {
  const sink = await startSmtpSink(t);
  const { h, admin } = await emailHub(t, sink);
  const other = await startHub(t, {
    dir: h.dir,
    clock: h.clock,
    config: { smtpUrl: sink.url, mailFrom: MAIL_FROM, inboundEmailDomain: REPLY_DOMAIN, emailPollMs: 0 },
  });
  const chats = [];
  for (const name of ['Ann', 'Ben', 'Cat']) chats.push(await chat(h, admin, { firstName: name, email: `${name.toLowerCase()}@example.com` }, [`Hi ${name}`]));
  for (const c of chats) await leave(h, c);
  h.clock.advance(5 * MINUTE);
  const hubs = [h, other, h, other].map((hub) => hub.hub.services.email);
  // PostgreSQL (several hubs' store): all at once. SQLite is one hub's store (docs/deploy.md): two in one process would
  // block each other's write lock, so there they take turns, which still shows a mail is not sent twice.
  if (testPostgresUrl()) await Promise.all(hubs.map((email) => email.runDue()));
  else for (const email of hubs) await email.runDue();
  await sink.waitFor(3);
  h.clock.advance(60 * MINUTE);
  for (const email of hubs) await email.runDue();
  assert.deepEqual(sink.received.map((m) => m.to[0]).sort(), ['ann@example.com', 'ben@example.com', 'cat@example.com']);
});

test('escalation: offline agents who asked for it and may see the conversation are emailed; no one else', async (t) => {
  const sink = await startSmtpSink(t);
  const { h, admin } = await emailHub(t, sink, { enable: false });
  const wants = await h.agent('agent', 'Wanda Wants');
  const notWanted = await h.agent('agent', 'Nico Never');
  const hidden = await h.agent('agent', 'Hugo Hidden');
  const online = await h.agent('agent', 'Otto Online');
  // The agent's own switch (PATCH /api/me), and the admin's (PUT /api/agents/:id).
  const me = await h.api<Agent>('PATCH', '/api/me', { token: wants.token, body: { emailOnEscalation: true } });
  assert.equal(me.status, 200);
  assert.equal(me.body.emailOnEscalation, true);
  for (const agent of [hidden, online]) {
    const res = await h.api<Agent>('PUT', `/api/agents/${agent.id}`, { token: admin, body: { emailOnEscalation: true } });
    assert.equal(res.body.emailOnEscalation, true);
  }
  assert.equal((await h.api<Agent>('GET', '/api/me', { token: notWanted.token })).body.emailOnEscalation, false, 'off by default');
  const onlineSocket = await h.agentSocket(online.token);

  const { socket } = await h.visitor({ userData: { first_name: 'Erin', last_name: 'Esc', email: 'erin@example.com' } });
  const greeted = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const first = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'hello' });
  assert.ok(first.data);
  await greeted;
  const conversationId = first.data.message.conversationId;
  const visibleTo = [wants.id, notWanted.id, online.id];
  assert.equal((await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: visibleTo } })).status, 200);
  // The escalation emails are stored before the bot's handoff answer is pushed.
  const handoff = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  await request(socket, 'message:send', { clientId: clientId(), text: 'I want to talk to a human' });
  await handoff;
  const detail = await h.api<{ conversation: { botStatus: string } }>('GET', `/api/conversations/${conversationId}`, { token: admin });
  assert.equal(detail.body.conversation.botStatus, 'need_help');
  await h.hub.services.email.runDue();
  const [mail] = await sink.waitFor(1);
  h.clock.advance(60 * MINUTE);
  await h.hub.services.email.runDue();
  assert.deepEqual(
    sink.received.map((m) => m.to),
    [[wants.email]],
    'only the offline agent who asked and may see it',
  );
  assert.match(mail?.parsed.subject ?? '', /^Needs a human: Erin Esc on Demo shop$/);
  const text = mail?.parsed.text ?? '';
  assert.ok(text.includes('I want to talk to a human') && text.includes(conversationId) && text.includes('erin@example.com'), text);
  assert.equal(mail?.parsed.replyTo, undefined, 'agents answer in the panel, not by email');
  onlineSocket.disconnect();
  socket.disconnect();
});
