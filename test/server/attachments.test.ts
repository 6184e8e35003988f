/**
 * Attachments against a real hub with real files on disk, both stores: what an upload may be (size, sniffed type),
 * who may read a file (signed URL, Bearer of its conversation's visitor or of an agent who sees it, nobody else),
 * and the send flow (upload, then message:send with attachmentIds; idempotent uploads; pushes and history carry
 * the files with signed URLs). Removal (deletion, erasure, sweep) is in attachments-lifecycle.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttachmentRef } from '../../protocol/attachments.js';
import type { ConversationSummary, Message, VisitorConversation } from '../../protocol/types.js';
import { download, filesIn, tinyPng, tinyWebm, upload } from '../helpers/attachments.js';
import { clientId, next, request, startHub, type TestHub, type VisitorSocket } from '../helpers/hub.js';

const WIDGET = '/api/widget/attachments';
const attachmentDir = (h: TestHub) => `${h.dir}/attachments`;

async function send(socket: VisitorSocket, text: string, attachmentIds: string[] = []) {
  return request<{ message: Message; conversation: VisitorConversation }>(socket, 'message:send', { clientId: clientId(), text, attachmentIds });
}

test('uploads: the sniffed type decides, not the name; too large is 413; refused uploads store nothing', async (t) => {
  const h = await startHub(t, { config: { attachmentMaxBytes: 4096 } });
  const { session } = await h.visitor();
  const token = session.token;

  // HTML named .png, declared image/png: the bytes say otherwise.
  const html = await upload(h, WIDGET, token, {
    bytes: '<html><script>alert(document.cookie)</script></html>',
    filename: 'cat.png',
    type: 'image/png',
    clientId: 'u1',
  });
  assert.equal(html.status, 415);
  assert.equal(html.body.code, 'file_type_not_allowed');
  // SVG (script inside an image) and text that starts with markup are refused too; so are bytes that are nothing known.
  for (const [bytes, filename] of [
    ['  <svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'logo.svg'],
    ['\n\n<!doctype html><p>hi', 'notes.txt'],
    [Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]), 'data.bin'],
  ] as const) {
    const refused = await upload(h, WIDGET, token, { bytes, filename, type: 'text/plain', clientId: `u-${filename}` });
    assert.equal(refused.status, 415, filename);
  }
  // A video in a WebM container is not a voice note, whatever the client says.
  const video = await upload(h, WIDGET, token, { bytes: tinyWebm('V_VP8'), filename: 'clip.webm', type: 'audio/webm', kind: 'audio', clientId: 'u-video' });
  assert.equal(video.status, 415);

  const big = await upload(h, WIDGET, token, { bytes: Buffer.concat([tinyPng(), Buffer.alloc(5000)]), filename: 'big.png', type: 'image/png', clientId: 'u2' });
  assert.equal(big.status, 413);
  assert.equal(big.body.code, 'file_too_large');
  assert.match(big.body.message, /4096 bytes/);

  const missing = await fetch(`${h.url}${WIDGET}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(missing.status, 400);
  const noClientId = await upload(h, WIDGET, token, { bytes: tinyPng(), filename: 'a.png', type: 'image/png' });
  assert.equal(noClientId.status, 400);
  assert.equal(noClientId.body.field, 'clientId');

  // Nothing was stored: no file on disk, no row, and no conversation opened for the refused files.
  assert.deepEqual(filesIn(attachmentDir(h)), []);
  assert.equal(await h.hub.store.attachments.count(), 0);
  assert.equal((await h.hub.store.conversations.ofVisitor(session.visitor.id)).length, 0);

  // A real PNG is accepted, as an image, with its sniffed type and the cleaned name.
  const png = tinyPng(3);
  const ok = await upload(h, WIDGET, token, { bytes: png, filename: 'holiday\u202Egnp.exe', type: 'application/octet-stream', clientId: 'u3' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const ref = ok.body.attachment;
  assert.equal(ref.kind, 'image');
  assert.equal(ref.contentType, 'image/png');
  assert.equal(ref.size, png.length);
  assert.equal(ref.name, 'holidaygnp.exe', 'bidi controls removed from the name');
  assert.equal(ref.durationMs, null);
  assert.match(ref.url, new RegExp(`^/api/attachments/${ref.id}\\?exp=\\d+&sig=[\\w-]+$`));
  assert.ok(Date.parse(ref.urlExpiresAt) - Date.now() >= 3_590_000, 'the URL lasts about an hour at least');
  // Random storage key on disk, never the user's name.
  const files = filesIn(attachmentDir(h));
  assert.equal(files.length, 1);
  assert.doesNotMatch(files[0] ?? '', /holiday|gnp|exe/);
  assert.deepEqual((await download(h, ref.url)).bytes, png);

  // A voice note recorded as WebM: audio, served as audio/webm, with its length; plain text is a file.
  const voice = await upload(h, WIDGET, token, { bytes: tinyWebm(), filename: 'voice.webm', type: 'audio/webm;codecs=opus', clientId: 'u4', durationMs: 5230 });
  assert.equal(voice.status, 201, JSON.stringify(voice.body));
  assert.deepEqual([voice.body.attachment.kind, voice.body.attachment.contentType, voice.body.attachment.durationMs], ['audio', 'audio/webm', 5230]);
  const text = await upload(h, WIDGET, token, { bytes: 'Order 1234\nplease call me', filename: 'note.txt', type: 'text/plain', clientId: 'u5' });
  assert.deepEqual([text.status, text.body.attachment.kind, text.body.attachment.contentType], [201, 'file', 'text/plain']);
  // Not in the allow-list (ATTACHMENT_TYPES), though recognised: a GIF on a hub that only takes PNG.
  const strict = await startHub(t, { config: { attachmentTypes: ['image/png'] } });
  const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
  const refusedGif = await upload(strict, WIDGET, (await strict.visitor()).session.token, { bytes: gif, filename: 'a.gif', type: 'image/gif', clientId: 'g' });
  assert.equal(refusedGif.status, 415);
});

test('files: only the signature, the conversation’s visitor or an agent who sees it may read them', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const seer = await h.agent('agent', 'Sees it');
  const hidden = await h.agent('agent', 'Does not');
  const alice = await h.visitor({ userData: { first_name: 'Alice' } });
  const eve = await h.visitor({ userData: { first_name: 'Eve' } });
  const text = 'invoice 42\nthank you\n';
  const up = await upload(h, WIDGET, alice.session.token, { bytes: text, filename: 'invoice "42".txt', type: 'text/plain', clientId: 'f1' });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const ref = up.body.attachment;
  const sent = await send(alice.socket, 'here it is', [ref.id]);
  assert.ok(sent.data, JSON.stringify(sent.error));
  const conversationId = sent.data.conversation.id;
  await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: [seer.id] } });
  await eve.socket.emitWithAck('message:send', { clientId: clientId(), text: 'hi' });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const plain = `/api/attachments/${ref.id}`;
  const [, query] = ref.url.split('?');
  const params = new URLSearchParams(query);
  const checks: [string, string, Record<string, string>, number][] = [
    ['signed URL, anonymous', ref.url, {}, 200],
    ["the conversation's visitor", plain, bearer(alice.session.token), 200],
    ['an agent who sees it', plain, bearer(seer.token), 200],
    ['an admin', plain, bearer(admin), 200],
    ['no signature, no token', plain, {}, 401],
    ['a forged signature', `${plain}?exp=${params.get('exp')}&sig=${'A'.repeat(43)}`, {}, 401],
    ['the signature of another expiry', `${plain}?exp=${Number(params.get('exp')) + 1800}&sig=${params.get('sig')}`, {}, 401],
    ['another visitor', plain, bearer(eve.session.token), 404],
    ['an agent it is hidden from', plain, bearer(hidden.token), 404],
    ['a garbage token', plain, bearer('nonsense'), 401],
  ];
  for (const [label, path, headers, status] of checks) {
    const res = await download(h, path, headers);
    assert.equal(res.status, status, label);
    if (status === 200) assert.equal(res.bytes.toString(), text, label);
  }
  // The URL's signature covers this id only.
  const other = await upload(h, WIDGET, alice.session.token, { bytes: tinyPng(), filename: 'p.png', type: 'image/png', clientId: 'f2' });
  assert.equal((await download(h, `/api/attachments/${other.body.attachment.id}?${query}`)).status, 401);

  // A non-image is a download, never rendered: attachment disposition (RFC 8187 name), nosniff, a sandboxing CSP.
  const res = await download(h, ref.url);
  assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="invoice _42_.txt"; filename*=UTF-8''invoice%20%2242%22.txt`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; sandbox");
  assert.match(res.headers.get('cache-control') ?? '', /^private, max-age=\d+/);
  // An image is inline, with its sniffed type.
  const image = await download(h, other.body.attachment.url);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.match(image.headers.get('content-disposition') ?? '', /^inline; /);
  // Ranges (seeking in a voice note): 206 with Content-Range; outside the file: 416.
  const part = await download(h, ref.url, { range: 'bytes=8-9' });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 8-9/${text.length}`);
  assert.equal(part.bytes.toString(), text.slice(8, 10));
  assert.equal(res.headers.get('accept-ranges'), 'bytes');
  assert.equal((await download(h, ref.url, { range: 'bytes=999-' })).status, 416);

  // Expired: two hours later the URL handed out is refused; a fresh read hands out a new one that works.
  h.clock.advance(2 * 3_600_000);
  assert.equal((await download(h, ref.url)).status, 401);
  const messages = await h.api<{ messages: Message[] }>('GET', `/api/conversations/${conversationId}/messages`, { token: seer.token });
  const fresh = messages.body.messages.find((m) => m.attachments.length > 0)?.attachments[0];
  assert.ok(fresh && fresh.url !== ref.url);
  assert.equal((await download(h, fresh.url)).status, 200);
});

test('send flow: upload, then message:send with attachmentIds; pushes, history and exports carry the files', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const panel = await h.agentSocket(admin);
  const { socket, session } = await h.visitor({ userData: { first_name: 'Ada' } });

  // The upload opens the conversation (none was open): agents see it at once, the message follows.
  const appeared = next<ConversationSummary>(panel, 'conversation:updated');
  const png = await upload(h, WIDGET, session.token, { bytes: tinyPng(), filename: 'photo.png', type: 'image/png', clientId: 'p1' });
  assert.equal(png.status, 201, JSON.stringify(png.body));
  const opened = await appeared;
  // Idempotent: the same clientId answers the stored file, and only one is kept.
  const again = await upload(h, WIDGET, session.token, { bytes: tinyPng(), filename: 'photo.png', type: 'image/png', clientId: 'p1' });
  assert.equal(again.status, 201);
  assert.equal(again.body.attachment.id, png.body.attachment.id);
  assert.equal(filesIn(attachmentDir(h)).length, 1);
  assert.equal(await h.hub.store.attachments.count(), 1);

  // A photo alone (no text): the agent's panel gets it with the file, the list row says what it is.
  await request(panel, 'conversation:watch', { conversationId: opened.id }); // the agent has it open
  const pushed = next<Message>(panel, 'message:new');
  const sent = await send(socket, '', [png.body.attachment.id]);
  assert.ok(sent.data, JSON.stringify(sent.error));
  assert.equal(sent.data.conversation.id, opened.id);
  const onPanel = await pushed;
  assert.equal(onPanel.attachments.length, 1);
  const [pushedRef] = onPanel.attachments as [AttachmentRef];
  assert.equal(pushedRef.id, png.body.attachment.id);
  assert.equal((await download(h, pushedRef.url)).status, 200);
  const row = await h.api<{ conversation: ConversationSummary }>('GET', `/api/conversations/${opened.id}`, { token: admin });
  assert.equal(row.body.conversation.lastMessage?.text, '📎 photo.png');
  // A resend of the same message (same clientId) answers the stored one, files included.
  const resend = await request<{ message: Message }>(socket, 'message:send', {
    clientId: sent.data.message.clientId,
    text: '',
    attachmentIds: [png.body.attachment.id],
  });
  assert.equal(resend.data?.message.id, sent.data.message.id);
  assert.equal(resend.data?.message.attachments[0]?.id, png.body.attachment.id);

  // Refused: a file already sent, another visitor's file, an agent's upload, an unknown id, nothing at all.
  const bob = await h.visitor({ userData: { first_name: 'Bob' } });
  const bobs = await upload(h, WIDGET, bob.session.token, { bytes: 'bob file', filename: 'b.txt', type: 'text/plain', clientId: 'b1' });
  const agentUpload = await upload(h, `/api/conversations/${opened.id}/attachments`, admin, {
    bytes: 'from the agent',
    filename: 'a.txt',
    type: 'text/plain',
    clientId: 'a1',
  });
  assert.equal(agentUpload.status, 201, JSON.stringify(agentUpload.body));
  for (const [label, ids] of [
    ['already sent', [png.body.attachment.id]],
    ["another conversation's file", [bobs.body.attachment.id]],
    ["an agent's upload", [agentUpload.body.attachment.id]],
    ['unknown', ['no-such-file']],
  ] as const) {
    const refused = await send(socket, 'with a file', [...ids]);
    assert.equal(refused.error?.code, 'bad_request', label);
    assert.equal(refused.error?.field, 'attachmentIds', label);
  }
  assert.equal((await send(socket, '   ')).error?.code, 'bad_request', 'no text and no file');
  assert.equal(
    (
      await send(
        socket,
        'x',
        Array.from({ length: 11 }, (_, i) => `id-${i}`),
      )
    ).error?.code,
    'bad_request',
    'at most 10',
  );
  // The refused sends stored no message.
  assert.equal(await h.hub.store.messages.count(opened.id), 1);

  // The agent answers with a file: the visitor gets it live; an id of another conversation is refused.
  const toVisitor = next<Message>(socket, 'message:new', (m) => m.author === 'agent');
  const reply = await request<{ message: Message }>(panel, 'message:send', {
    conversationId: opened.id,
    clientId: clientId(),
    text: 'Here is the form',
    attachmentIds: [agentUpload.body.attachment.id],
  });
  assert.ok(reply.data, JSON.stringify(reply.error));
  assert.equal((await toVisitor).attachments[0]?.name, 'a.txt');
  const wrong = await request(panel, 'message:send', { conversationId: opened.id, clientId: clientId(), text: 'x', attachmentIds: [bobs.body.attachment.id] });
  assert.equal(wrong.error?.code, 'bad_request');

  // History (widget and panel), the contact export and the transcript carry the files with fresh URLs.
  const since = await request<{ messages: Message[] }>(socket, 'messages:since', { afterId: 0 });
  assert.deepEqual(
    since.data?.messages.map((m) => [m.author, m.attachments.map((a) => a.name)]),
    [
      ['visitor', ['photo.png']],
      ['system', []],
      ['agent', ['a.txt']],
    ],
  );
  const detail = await h.api<{ messages: Message[]; conversation: { contactId: string } }>('GET', `/api/conversations/${opened.id}`, { token: admin });
  assert.equal(detail.body.messages[0]?.attachments[0]?.contentType, 'image/png');
  const exported = await h.api<{ attachments: AttachmentRef[] }>('GET', `/api/contacts/${detail.body.conversation.contactId}/export`, { token: admin });
  assert.deepEqual(exported.body.attachments.map((a) => a.name).sort(), ['a.txt', 'photo.png']);
  const transcript = await h.api<string>('GET', `/api/conversations/${opened.id}/export?format=text`, { token: admin });
  assert.match(transcript.body, /Ada: \[file: photo\.png\]/);
  assert.match(transcript.body, /Here is the form \[file: a\.txt\]/);

  // The order of attachmentIds is the message's order.
  const one = await upload(h, WIDGET, session.token, { bytes: 'one', filename: '1.txt', type: 'text/plain', clientId: 'o1' });
  const two = await upload(h, WIDGET, session.token, { bytes: 'two', filename: '2.txt', type: 'text/plain', clientId: 'o2' });
  const both = await send(socket, 'two files', [two.body.attachment.id, one.body.attachment.id]);
  assert.deepEqual(
    both.data?.message.attachments.map((a) => a.name),
    ['2.txt', '1.txt'],
  );
  const reread = await request<{ messages: Message[] }>(socket, 'messages:since', { afterId: both.data?.message.id ? both.data.message.id - 1 : 0 });
  assert.deepEqual(
    reread.data?.messages[0]?.attachments.map((a) => a.name),
    ['2.txt', '1.txt'],
  );
});

test('agents: upload to a conversation they may see (hidden: 404, closed: 409); visitors are rate-limited', async (t) => {
  const h = await startHub(t, { config: { uploadsPerMinute: 3 } });
  const admin = await h.login();
  const hidden = await h.agent('agent');
  const { socket, session } = await h.visitor();
  const sent = await send(socket, 'hello');
  const conversationId = sent.data?.conversation.id ?? '';
  await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: [] } });
  const other = await h.agent('agent');
  await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: [other.id] } });
  const path = `/api/conversations/${conversationId}/attachments`;
  assert.equal((await upload(h, path, hidden.token, { bytes: 'x', filename: 'x.txt', clientId: 'h1' })).status, 404);
  assert.equal((await upload(h, path, session.token, { bytes: 'x', filename: 'x.txt', clientId: 'v1' })).status, 401, 'a visitor token is not an agent token');
  assert.equal((await upload(h, WIDGET, admin, { bytes: 'x', filename: 'x.txt', clientId: 'a1' })).status, 401, 'an agent token is not a widget session');
  await h.api('POST', `/api/conversations/${conversationId}/close`, { token: admin, body: {} });
  const closed = await upload(h, path, admin, { bytes: 'x', filename: 'x.txt', clientId: 'c1' });
  assert.equal(closed.status, 409);
  assert.equal(closed.body.code, 'closed');

  // Three uploads a minute for this visitor: the fourth is refused before its body is read.
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await upload(h, WIDGET, session.token, { bytes: `file ${i}`, filename: 'n.txt', clientId: `r${i}` })).status);
  assert.deepEqual(statuses, [201, 201, 201, 429]);
});
