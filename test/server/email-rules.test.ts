/**
 * Email continuity's pure rules (server/rules/email.ts): where a reply's quoted history starts in what common mail
 * clients send, the reply token and address, the link back to the chat, automatic replies, the emails' text.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  REPLY_TOKEN,
  chatLink,
  encodeToken,
  escalationEmail,
  findToken,
  isAutomatic,
  replyAddress,
  replyEmail,
  sameAddress,
  stripQuotedHistory,
  tokenOf,
} from '../../server/rules/email.js';
import { loadConfig } from '../../server/config.js';

test('quoted history is cut at the attribution line, separators, the signature; quoted lines dropped', () => {
  const cases: [string, string][] = [
    // Gmail, the attribution wrapped over two lines.
    ['Thanks!\r\n\r\nOn Mon, 10 Aug 2026 at 09:00, Shop Support <support@shop.test>\r\nwrote:\r\n> It ships tomorrow.\r\n', 'Thanks!'],
    // Apple Mail / Thunderbird, one line.
    ['Yes please\n\nOn 10 Aug 2026, at 09:00, Support wrote:\n\n> Shall we?\n', 'Yes please'],
    // Outlook.
    ['Fine by me.\n\n________________________________\nFrom: Shop Support <support@shop.test>\nSent: Monday\nSubject: Re', 'Fine by me.'],
    ['Ok\n\n-----Original Message-----\nFrom: x\n', 'Ok'],
    // French and German clients.
    ['Merci\n\nLe lun. 10 août 2026 à 09:00, Support <s@shop.test> a écrit :\n> Bonjour', 'Merci'],
    ['Danke\n\nAm 10.08.2026 um 09:00 schrieb Support <s@shop.test>:\n> Hallo', 'Danke'],
    // An inline reply keeps the visitor's lines, not the quoted ones.
    ['> When?\nTomorrow at 10\n> Where?\nAt home', 'Tomorrow at 10\nAt home'],
    // Signature and the phone's footer.
    ['See you\n-- \nWendy, ACME Ltd', 'See you'],
    ['On my way\n\nSent from my iPhone', 'On my way'],
    // Nothing quoted: kept as written (a line starting "On" that is no attribution stays).
    ['On Monday I ordered two.\nThey did not arrive.', 'On Monday I ordered two.\nThey did not arrive.'],
    // Only quoted history: nothing of their own.
    ['> It ships tomorrow.\n', ''],
  ];
  for (const [input, expected] of cases) assert.equal(stripQuotedHistory(input), expected, JSON.stringify(input));
});

test('reply tokens: 32 base32 characters of 160 random bits; addresses parsed in any case, for our domain only', () => {
  const token = encodeToken(randomBytes(20));
  assert.match(token, REPLY_TOKEN);
  assert.notEqual(encodeToken(randomBytes(20)), token);
  assert.equal(encodeToken(new Uint8Array(20)), 'a'.repeat(32));
  const address = replyAddress(token, 'reply.shop.test');
  assert.equal(tokenOf(address, 'reply.shop.test'), token);
  assert.equal(tokenOf(address.toUpperCase(), 'reply.shop.test'), token, 'some systems upper-case addresses');
  assert.equal(tokenOf(address, 'other.test'), null);
  assert.equal(tokenOf(`reply+${token.slice(1)}@reply.shop.test`, 'reply.shop.test'), null, 'malformed');
  assert.equal(tokenOf(`reply+${token}x@reply.shop.test`, 'reply.shop.test'), null);
  assert.equal(findToken(['support@shop.test', address], 'reply.shop.test'), token);
  assert.ok(sameAddress('Wendy@Example.com ', 'wendy@example.com'));
  assert.ok(!sameAddress('wendy@example.com', null));
});

test('the link back: the admin chat page, else the first real allowed origin, with #switchboard-chat', () => {
  assert.equal(chatLink(null, ['*', 'https://shop.example', 'https://other.example']), 'https://shop.example/#switchboard-chat');
  assert.equal(chatLink('https://shop.example/help?x=1#top', ['https://a.example']), 'https://shop.example/help?x=1#switchboard-chat');
  assert.equal(chatLink(null, ['*']), null, 'a site open to any origin has no address of its own');
  assert.equal(chatLink('javascript:alert(1)', []), null);
});

test('automatic replies are known by their headers', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
  assert.ok(isAutomatic(headers({ 'auto-submitted': 'auto-replied' })));
  assert.ok(isAutomatic(headers({ precedence: 'bulk' })));
  assert.ok(isAutomatic(headers({ 'x-autoreply': 'yes' })));
  assert.ok(!isAutomatic(headers({ 'auto-submitted': 'no' })));
  assert.ok(!isAutomatic(headers({})));
});

test('the emails are plain text: every reply, the link, how to answer; one-line subjects', () => {
  const { subject, body } = replyEmail({
    firstName: 'Wendy\r\nBcc: evil@example.com',
    siteName: 'Shop',
    replies: [
      { authorName: 'Ana', text: '<b>Hi</b>\nline 2' },
      { authorName: 'Ana', text: 'More' },
    ],
    link: 'https://shop.example/#switchboard-chat',
    replyable: false,
  });
  assert.equal(subject, 'Ana replied to your chat with Shop');
  assert.ok(body.startsWith('Hi Wendy Bcc: evil@example.com,\n'), 'no line break from a name');
  assert.ok(body.includes('Ana wrote:\n\n  <b>Hi</b>\n  line 2\n'), body);
  assert.ok(body.includes('Continue the chat: https://shop.example/#switchboard-chat'));
  assert.ok(body.includes('Replies to this email are not read'));
  const escalation = escalationEmail({
    agentName: 'Bo',
    visitorName: 'Erin\nX',
    visitorEmail: null,
    lastMessage: 'help',
    conversationId: 'c1',
    siteName: 'Shop',
  });
  assert.equal(escalation.subject, 'Needs a human: Erin X on Shop');
});

test('configuration: mail is off unless SMTP_URL is set, which needs MAIL_FROM; the listener and the route are off by default', () => {
  const off = loadConfig({});
  assert.deepEqual(
    [off.smtpUrl, off.mailFrom, off.inboundEmailDomain, off.inboundEmailToken, off.inboundSmtpPort, off.inboundSmtpHost],
    [null, null, null, null, null, '127.0.0.1'],
  );
  assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com' }), /MAIL_FROM/);
  assert.throws(() => loadConfig({ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@b.c' }), /smtp:\/\//);
  assert.throws(() => loadConfig({ INBOUND_EMAIL_TOKEN: 'short' }), /16 characters/);
  const on = loadConfig({
    SMTP_URL: 'smtps://u:p@mail.example.com:465',
    MAIL_FROM: 'Support <s@example.com>',
    INBOUND_EMAIL_DOMAIN: 'Reply.Example.com',
    INBOUND_SMTP_PORT: '2525',
    INBOUND_EMAIL_TOKEN: 'x'.repeat(24),
  });
  assert.deepEqual([on.inboundEmailDomain, on.inboundSmtpPort], ['reply.example.com', 2525]);
});
