/**
 * The attachment rules (server/rules/attachments.ts), called directly: what bytes are (with file-type's real
 * answers), recordings in video containers, plain text, names, previews, Content-Disposition, ranges, signed URLs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileTypeFromBuffer } from 'file-type';
import { DEFAULT_ATTACHMENT_TYPES } from '../../protocol/attachments.js';
import {
  attachmentPreview,
  byteRange,
  classify,
  contentDisposition,
  hasVideoTrack,
  isPlainText,
  safeName,
  servedAs,
  signedPath,
  URL_WINDOW_S,
  urlExpiry,
  urlKey,
  urlSignature,
  validSignature,
} from '../../server/rules/attachments.js';
import { tinyPng, tinyWebm } from '../helpers/attachments.js';

const ALLOWED = DEFAULT_ATTACHMENT_TYPES;

async function sniffAndClassify(bytes: Buffer, declared: { contentType?: string; kind?: string } = {}, allowed: readonly string[] = ALLOWED) {
  return classify((await fileTypeFromBuffer(bytes))?.mime, bytes, declared, allowed);
}

/** An MP4 with one track whose handler is `handler` (`soun` audio, `vide` video), as far as the scan reads. */
function tinyMp4(handler: 'soun' | 'vide'): Buffer {
  const box = (type: string, body: Buffer) => {
    const size = Buffer.alloc(4);
    size.writeUInt32BE(8 + body.length);
    return Buffer.concat([size, Buffer.from(type, 'latin1'), body]);
  };
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom', 'latin1'), Buffer.alloc(4), Buffer.from('isomiso2mp41', 'latin1')]));
  const hdlr = box('hdlr', Buffer.concat([Buffer.alloc(8), Buffer.from(handler, 'latin1'), Buffer.alloc(12), Buffer.from('handler\0', 'latin1')]));
  return Buffer.concat([ftyp, box('moov', box('trak', box('mdia', hdlr)))]);
}

test('classify: the sniffed type against the allow-list; recordings in video containers count as audio only when audio-only', async () => {
  assert.deepEqual(await sniffAndClassify(tinyPng()), { ok: true, contentType: 'image/png', kind: 'image' });
  // A declared type never makes bytes something else.
  assert.equal((await sniffAndClassify(Buffer.from('<html></html>'), { contentType: 'image/png' })).ok, false);
  // WebM: video/webm to file-type. A voice note when the client says audio (kind or declared type) and no video track.
  assert.deepEqual(await sniffAndClassify(tinyWebm(), { kind: 'audio' }), { ok: true, contentType: 'audio/webm', kind: 'audio' });
  assert.deepEqual(await sniffAndClassify(tinyWebm(), { contentType: 'audio/webm;codecs=opus' }), { ok: true, contentType: 'audio/webm', kind: 'audio' });
  assert.equal((await sniffAndClassify(tinyWebm())).ok, false, 'without the hint it is a video/webm, not allowed by default');
  assert.equal((await sniffAndClassify(tinyWebm('V_VP9'), { kind: 'audio' })).ok, false, 'a video track: not a voice note');
  assert.deepEqual(await sniffAndClassify(tinyWebm('V_VP9'), {}, [...ALLOWED, 'video/webm']), { ok: true, contentType: 'video/webm', kind: 'file' });
  // MP4 (Safari's recorder): video/mp4 to file-type; audio-only with the hint is audio/mp4.
  assert.deepEqual(await sniffAndClassify(tinyMp4('soun'), { kind: 'audio' }), { ok: true, contentType: 'audio/mp4', kind: 'audio' });
  assert.equal((await sniffAndClassify(tinyMp4('vide'), { kind: 'audio' })).ok, false);
  assert.equal(hasVideoTrack(tinyMp4('vide'), 'mp4'), true);
  assert.equal(hasVideoTrack(Buffer.from('OggS....\x80theora'), 'ogg'), true);
  assert.equal(hasVideoTrack(Buffer.from('OggS....OpusHead'), 'ogg'), false);
  // Parameters and aliases are normalised (file-type says `audio/ogg; codecs=opus`, `audio/x-m4a`).
  assert.deepEqual(classify('audio/ogg; codecs=opus', Buffer.alloc(1), {}, ALLOWED), { ok: true, contentType: 'audio/ogg', kind: 'audio' });
  assert.deepEqual(classify('audio/x-m4a', Buffer.alloc(1), {}, ALLOWED), { ok: true, contentType: 'audio/mp4', kind: 'audio' });
  assert.deepEqual(classify('application/pdf', Buffer.alloc(1), {}, ALLOWED), { ok: true, contentType: 'application/pdf', kind: 'file' });
});

test('plain text: UTF-8 without NUL that does not look like a page or a script', () => {
  const ok = (text: string | Buffer) => isPlainText(typeof text === 'string' ? Buffer.from(text) : text);
  assert.equal(ok('Hello\r\nOrder #12 — merci 👍\n'), true);
  assert.equal(ok(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('with a BOM')])), true);
  assert.equal(ok('a < b and c > d'), true, 'a < inside text is fine');
  assert.equal(ok(Buffer.from([0x68, 0x69, 0xff, 0xfe])), false, 'not UTF-8');
  assert.equal(ok('nul\u0000inside'), false);
  assert.equal(ok('   \n\t<p>hi</p>'), false, 'starts with <');
  assert.equal(ok('hello\n<script>alert(1)</script>'), false, 'a script tag near the start');
  assert.equal(ok(`${'x'.repeat(2000)}<script>`), true, 'far into the file it is only text (still served as a text/plain download)');
  assert.equal(ok('hello <SVG onload=alert(1)>'), false);
});

test('names, previews, how files are served', () => {
  assert.equal(safeName('../../etc/passwd', 'file'), '_.._etc_passwd');
  assert.equal(safeName('  report\u0000\u0007.pdf ', 'file'), 'report.pdf');
  assert.equal(safeName('invoice\u202Efdp.exe', 'file'), 'invoicefdp.exe');
  assert.equal(safeName('', 'audio'), 'voice-note');
  assert.equal(safeName(undefined, 'image'), 'image');
  const long = safeName(`${'é'.repeat(300)}.jpeg`, 'image');
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('é.jpeg'));

  assert.equal(attachmentPreview([{ name: 'photo.png', kind: 'image' }]), '📎 photo.png');
  assert.equal(
    attachmentPreview([
      { name: 'a.pdf', kind: 'file' },
      { name: 'b.pdf', kind: 'file' },
      { name: 'c.png', kind: 'image' },
    ]),
    '📎 a.pdf +2',
  );
  assert.equal(attachmentPreview([{ name: 'voice-note', kind: 'audio' }]), '🎤 Voice note');

  assert.deepEqual(servedAs('image/png', 'a.png'), { contentType: 'image/png', disposition: `inline; filename="a.png"; filename*=UTF-8''a.png` });
  assert.equal(servedAs('text/plain', 'a.txt').contentType, 'text/plain; charset=utf-8');
  assert.match(servedAs('application/pdf', 'a.pdf').disposition, /^attachment; /);
  assert.match(servedAs('audio/webm', 'voice-note').disposition, /^attachment; /);
  // Whatever an admin allows, nothing a browser would render as a page is served with its own type.
  for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript']) {
    assert.equal(servedAs(type, 'x').contentType, 'application/octet-stream', type);
  }
  assert.equal(
    contentDisposition('attachment', 'Ünïcødé "quote" 50%.txt'),
    `attachment; filename="_n_c_d_ _quote_ 50_.txt"; filename*=UTF-8''%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20%22quote%22%2050%25.txt`,
  );
  assert.equal(contentDisposition('attachment', "it's (1)*.txt"), `attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`);
});

test('ranges', () => {
  assert.deepEqual(byteRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(byteRange('bytes=900-', 1000), { start: 900, end: 999 });
  assert.deepEqual(byteRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(byteRange('bytes=990-2000', 1000), { start: 990, end: 999 });
  assert.equal(byteRange('bytes=1000-', 1000), 'unsatisfiable');
  assert.equal(byteRange('bytes=5-2', 1000), 'unsatisfiable');
  assert.equal(byteRange('bytes=0-1,5-6', 1000), null, 'several ranges: the whole file');
  assert.equal(byteRange('items=0-1', 1000), null);
  assert.equal(byteRange(undefined, 1000), null);
});

test('signed URLs: rounded expiry (one URL per window), HMAC over id and expiry, refused once expired or tampered', () => {
  const key = urlKey('hub-secret');
  const now = new Date('2026-08-10T09:10:00Z');
  const exp = urlExpiry(now);
  assert.equal(exp % URL_WINDOW_S, 0);
  assert.ok(exp - now.getTime() / 1000 >= 3600 && exp - now.getTime() / 1000 < 3600 + URL_WINDOW_S);
  assert.equal(urlExpiry(new Date('2026-08-10T09:25:00Z')), exp, 'the same URL a quarter of an hour later');
  const path = signedPath(key, 'file-1', exp);
  const sig = new URLSearchParams(path.split('?')[1]).get('sig') ?? '';
  assert.equal(sig, urlSignature(key, 'file-1', exp));
  assert.equal(validSignature(key, 'file-1', exp, sig, now), true);
  assert.equal(validSignature(key, 'file-2', exp, sig, now), false, 'another file');
  assert.equal(validSignature(key, 'file-1', exp + 1, sig, now), false, 'another expiry');
  assert.equal(validSignature(urlKey('other-secret'), 'file-1', exp, sig, now), false, 'another hub');
  assert.equal(validSignature(key, 'file-1', exp, sig, new Date(exp * 1000)), false, 'expired');
  const far = exp + 10 * 86_400;
  assert.equal(validSignature(key, 'file-1', far, urlSignature(key, 'file-1', far), now), false, 'further away than any URL the hub signs');
  assert.notEqual(urlKey('hub-secret').toString('hex'), Buffer.from('hub-secret').toString('hex'), 'a key of its own, derived');
});
