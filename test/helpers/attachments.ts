/** Files for the attachment tests: a real PNG built byte by byte, multipart uploads, and what is on disk. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { UploadedAttachment } from '../../protocol/attachments.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { TestHub } from './hub.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid `width`×1 RGB PNG (signature, IHDR, IDAT with zlib data, IEND, each chunk with its CRC). */
export function tinyPng(width = 1): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x7f)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(row)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The start of a WebM file as MediaRecorder writes it: the EBML header (DocType `webm`), then a Segment with one
 * track whose CodecID is `codec` (`A_OPUS` for a voice note, `V_VP8` for a video).
 */
export function tinyWebm(codec = 'A_OPUS'): Buffer {
  const element = (id: number[], data: Buffer) => Buffer.concat([Buffer.from(id), Buffer.from([0x80 | data.length]), data]);
  const ebml = element(
    [0x1a, 0x45, 0xdf, 0xa3],
    Buffer.concat([element([0x42, 0x82], Buffer.from('webm')), element([0x42, 0x87], Buffer.from([4])), element([0x42, 0x85], Buffer.from([2]))]),
  );
  const trackEntry = element([0xae], Buffer.concat([element([0xd7], Buffer.from([1])), element([0x86], Buffer.from(codec))]));
  const tracks = element([0x16, 0x54, 0xae, 0x6b], trackEntry);
  // Segment of unknown size (as live recorders write it), then the tracks and some audio-ish bytes.
  return Buffer.concat([ebml, Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), tracks, Buffer.alloc(64, 0x42)]);
}

export interface UploadOptions {
  bytes: Uint8Array | string;
  filename?: string;
  /** The file part's declared type. */
  type?: string;
  clientId?: string;
  kind?: string;
  durationMs?: number;
}

/** A multipart upload as the widget and the panel send it (FormData through fetch). */
export async function upload(
  h: TestHub,
  path: string,
  token: string | undefined,
  options: UploadOptions,
): Promise<{ status: number; body: UploadedAttachment & ErrorBody }> {
  const form = new FormData();
  if (options.clientId !== undefined) form.set('clientId', options.clientId);
  if (options.kind !== undefined) form.set('kind', options.kind);
  if (options.durationMs !== undefined) form.set('durationMs', String(options.durationMs));
  const bytes = typeof options.bytes === 'string' ? Buffer.from(options.bytes) : options.bytes;
  form.set('file', new Blob([new Uint8Array(bytes)], { type: options.type ?? 'application/octet-stream' }), options.filename ?? 'file.bin');
  const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  return { status: res.status, body: (await res.json()) as UploadedAttachment & ErrorBody };
}

/** GET a path of the hub, answering status, headers and the raw bytes. */
export async function download(h: TestHub, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${h.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every file under `dir` (recursively), none if it doesn't exist. */
export function filesIn(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesIn(path) : [path];
  });
}
