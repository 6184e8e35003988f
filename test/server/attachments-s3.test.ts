/**
 * The S3 backend of the attachment storage, as a CONTRACT test: a local HTTP server speaking the documented S3 REST
 * shapes (test/helpers/s3-server.ts: path-style PutObject, GetObject with Range, DeleteObject, NoSuchKey, Signature
 * Version 4 checked), not AWS, driven by the real @aws-sdk/client-s3 client. First the storage alone, then a whole
 * hub whose uploads go to the bucket (nothing on disk), are served from it and removed from it.
 */
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import type { S3Config } from '../../server/config.js';
import { MissingFile, newStorageKey, S3Storage } from '../../server/services/attachment-storage.js';
import { download, filesIn, tinyPng, upload } from '../helpers/attachments.js';
import { clientId, request, startHub } from '../helpers/hub.js';
import { type FakeS3, startFakeS3 } from '../helpers/s3-server.js';

const CREDENTIALS = { bucket: 'switchboard-files', accessKeyId: 'test-key', secretAccessKey: 'test-secret-key', region: 'eu-west-3' };

async function fakeS3(t: { after(fn: () => Promise<void>): void }): Promise<{ s3: FakeS3; config: S3Config }> {
  const s3 = await startFakeS3(CREDENTIALS);
  t.after(() => s3.close());
  return { s3, config: { ...CREDENTIALS, endpoint: s3.url, forcePathStyle: true } };
}

test('contract test (a local HTTP server speaking the documented S3 REST shapes, not AWS): put, get, range, delete, missing', async (t) => {
  const { s3, config } = await fakeS3(t);
  const storage = new S3Storage(config);
  t.after(() => storage.close());
  const key = newStorageKey();
  const bytes = Buffer.from('0123456789abcdef');
  await storage.put(key, bytes, 'text/plain');
  assert.deepEqual(s3.objects.get(key), { body: bytes, contentType: 'text/plain' });
  assert.equal(await text(await storage.get(key)), '0123456789abcdef');
  assert.equal(await text(await storage.get(key, { start: 4, end: 7 })), '4567');
  await storage.delete(key);
  assert.equal(s3.objects.has(key), false);
  await storage.delete(key); // nothing stored: not an error
  await assert.rejects(storage.get(key), MissingFile);
  // Path-style requests to /<bucket>/<key>, each signed (the fake server refuses any other).
  assert.ok(s3.requests.every((r) => new URL(r.url, s3.url).pathname === `/${CREDENTIALS.bucket}/${key}`));
  assert.deepEqual(
    s3.requests.map((r) => r.method),
    ['PUT', 'GET', 'GET', 'DELETE', 'DELETE', 'GET'],
  );
  // Wrong credentials are refused by the server, and the storage says so (no silent success).
  const wrong = new S3Storage({ ...config, secretAccessKey: 'not-the-secret' });
  t.after(() => wrong.close());
  await assert.rejects(wrong.put(newStorageKey(), bytes, 'text/plain'), /signature does not match|SignatureDoesNotMatch/);
});

test('contract test (local S3-shaped server, not AWS): a hub with S3_BUCKET keeps uploads in the bucket, serves and removes them', async (t) => {
  const { s3, config } = await fakeS3(t);
  const h = await startHub(t, { config: { s3: config } });
  const admin = await h.login();
  const { socket, session } = await h.visitor();
  const png = tinyPng(4);
  const up = await upload(h, '/api/widget/attachments', session.token, { bytes: png, filename: 'photo.png', type: 'image/png', clientId: 's1' });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(s3.objects.size, 1);
  const [stored] = [...s3.objects.values()];
  assert.deepEqual(stored, { body: png, contentType: 'image/png' });
  assert.deepEqual(filesIn(`${h.dir}/attachments`), [], 'nothing on disk');

  const sent = await request<{ message: { conversationId: string } }>(socket, 'message:send', {
    clientId: clientId(),
    text: '',
    attachmentIds: [up.body.attachment.id],
  });
  assert.ok(sent.data, JSON.stringify(sent.error));
  const file = await download(h, up.body.attachment.url);
  assert.equal(file.status, 200);
  assert.deepEqual(file.bytes, png);
  const part = await download(h, up.body.attachment.url, { range: 'bytes=0-7' });
  assert.equal(part.status, 206);
  assert.deepEqual(part.bytes, png.subarray(0, 8));

  assert.equal((await h.api('DELETE', `/api/conversations/${sent.data.message.conversationId}`, { token: admin })).status, 200);
  assert.equal(s3.objects.size, 0, 'removed from the bucket with its conversation');
});
