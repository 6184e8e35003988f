/**
 * Where attachments go, against a real hub with real files on disk, both stores: deleting a conversation or erasing
 * its contact (also through DELETE /api/visitors/:id) removes their files from disk and from the table; the sweep
 * removes uploads never sent within a day and keeps sent ones; message.created webhook payloads carry the files.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UploadedAttachment } from '../../protocol/attachments.js';
import type { Message } from '../../protocol/types.js';
import type { WebhookPayload } from '../../protocol/webhooks.js';
import { download, filesIn, tinyPng, upload } from '../helpers/attachments.js';
import { clientId, request, startHub, type TestHub } from '../helpers/hub.js';

const WIDGET = '/api/widget/attachments';

/** A visitor who sends a photo and a text file, and an agent's answer with a file: three files in one conversation. */
async function conversationWithFiles(h: TestHub, admin: string, name: string) {
  const visitor = await h.visitor({ userData: { first_name: name } });
  const files: UploadedAttachment[] = [];
  for (const [bytes, filename] of [
    [tinyPng(), 'photo.png'],
    ['the notes', 'notes.txt'],
  ] as const) {
    const up = await upload(h, WIDGET, visitor.session.token, { bytes, filename, clientId: clientId() });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    files.push(up.body);
  }
  const sent = await request<{ message: Message }>(visitor.socket, 'message:send', {
    clientId: clientId(),
    text: 'see attached',
    attachmentIds: files.map((f) => f.attachment.id),
  });
  assert.ok(sent.data, JSON.stringify(sent.error));
  const conversationId = sent.data.message.conversationId;
  const agentFile = await upload(h, `/api/conversations/${conversationId}/attachments`, admin, { bytes: 'reply', filename: 'reply.txt', clientId: clientId() });
  assert.equal(agentFile.status, 201);
  const panel = await h.agentSocket(admin);
  const replied = await request(panel, 'message:send', { conversationId, clientId: clientId(), text: '', attachmentIds: [agentFile.body.attachment.id] });
  assert.ok(!replied.error, JSON.stringify(replied.error));
  panel.disconnect();
  return { visitor, conversationId, urls: [...files, agentFile.body].map((f) => f.attachment.url) };
}

test('deleting a conversation, erasing a contact or a visitor removes their files from disk and the table', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const dir = `${h.dir}/attachments`;
  const keep = await conversationWithFiles(h, admin, 'Keep');
  const deleted = await conversationWithFiles(h, admin, 'Deleted');
  const erased = await conversationWithFiles(h, admin, 'Erased');
  const viaVisitor = await conversationWithFiles(h, admin, 'Visitor');
  assert.equal(filesIn(dir).length, 12);
  assert.equal(await h.hub.store.attachments.count(), 12);

  assert.equal((await h.api('DELETE', `/api/conversations/${deleted.conversationId}`, { token: admin })).status, 200);
  assert.equal(filesIn(dir).length, 9);
  assert.equal(await h.hub.store.attachments.count(deleted.conversationId), 0);
  for (const url of deleted.urls) assert.equal((await download(h, url)).status, 404, 'a deleted file is gone, even with a valid signature');

  const contactId = (await h.api<{ conversation: { contactId: string } }>('GET', `/api/conversations/${erased.conversationId}`, { token: admin })).body
    .conversation.contactId;
  assert.equal((await h.api('DELETE', `/api/contacts/${contactId}`, { token: admin })).status, 200);
  assert.equal(filesIn(dir).length, 6);
  assert.equal(await h.hub.store.attachments.count(erased.conversationId), 0);

  assert.equal((await h.api('DELETE', `/api/visitors/${viaVisitor.visitor.session.visitor.id}`, { token: admin })).status, 200);
  assert.equal(filesIn(dir).length, 3);
  assert.equal(await h.hub.store.attachments.count(), 3);

  // The other conversation's files are untouched.
  for (const url of keep.urls) assert.equal((await download(h, url)).status, 200);
});

test('the sweep removes uploads never sent within a day, and keeps sent ones', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const dir = `${h.dir}/attachments`;
  const sent = await conversationWithFiles(h, admin, 'Sent');
  const { session } = await h.visitor({ userData: { first_name: 'Abandoned' } });
  const abandoned = await upload(h, WIDGET, session.token, { bytes: tinyPng(), filename: 'never-sent.png', clientId: 'a1' });
  assert.equal(abandoned.status, 201);
  assert.equal(filesIn(dir).length, 4);

  h.clock.advance(23 * 3_600_000);
  assert.equal((await h.hub.sweep()).attachmentsRemoved, 0, 'younger than a day: kept');
  h.clock.advance(2 * 3_600_000);
  const swept = await h.hub.sweep();
  assert.equal(swept.attachmentsRemoved, 1);
  assert.equal(filesIn(dir).length, 3);
  assert.equal(await h.hub.store.attachments.get(abandoned.body.attachment.id), undefined);
  // The sent files are still there and readable (with a fresh URL: the old ones expired meanwhile; so did the token).
  const messages = await h.api<{ messages: Message[] }>('GET', `/api/conversations/${sent.conversationId}/messages`, { token: await h.login() });
  const refs = messages.body.messages.flatMap((m) => m.attachments);
  assert.equal(refs.length, 3);
  for (const ref of refs) assert.equal((await download(h, ref.url)).status, 200);
});

test('message.created webhooks carry the files, with URLs that outlast the retries', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const hook = await h.api<{ id: string }>('POST', '/api/webhooks', { token: admin, body: { url: 'http://127.0.0.1:9/hook', events: ['message.created'] } });
  assert.equal(hook.status, 201);
  await conversationWithFiles(h, admin, 'Hooked');
  const rows = await h.hub.store.db.selectFrom('webhook_deliveries').select('payload').execute();
  const messages = rows.map((row) => JSON.parse(row.payload) as WebhookPayload).flatMap((p) => (p.type === 'message.created' ? [p.data.message] : []));
  const withFiles = messages.filter((m) => m.attachments.length > 0);
  assert.deepEqual(
    withFiles.map((m) => m.attachments.map((a) => a.name)),
    [['photo.png', 'notes.txt'], ['reply.txt']],
  );
  const [first] = withFiles[0]?.attachments ?? [];
  assert.ok(first);
  assert.ok(Date.parse(first.urlExpiresAt) - Date.now() > 24 * 3_600_000, 'valid for the 24 h of retries');
  h.clock.advance(20 * 3_600_000);
  assert.equal((await download(h, first.url)).status, 200);
});
