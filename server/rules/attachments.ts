/**
 * Attachment rules, without I/O: what an upload's bytes are (and whether the hub takes them), the name kept, the
 * message preview, how a file is served (disposition, content type), and the signed URLs. The attachments service
 * sniffs the bytes (file-type), stores and serves; it asks these.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AttachmentKind } from '../../protocol/attachments.js';
import { LIMITS } from '../../protocol/limits.js';
import { storableText, withoutBidiControls } from '../text.js';

// ------------------------------------------------------------------ what the bytes are

/** What the client said about the file: only hints, never trusted for the type. */
export interface Declared {
  /** The multipart part's Content-Type (the browser's guess from the name, or the recorder's type). */
  contentType?: string | undefined;
  /** `UploadFields.kind`. */
  kind?: string | undefined;
}

export type Classified = { ok: true; contentType: string; kind: AttachmentKind } | { ok: false; reason: string };

/** Types file-type reports under another name than the allow-list uses. */
const ALIASES: Record<string, string> = {
  'audio/x-m4a': 'audio/mp4',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
};

/**
 * Containers that file-type reports as video (it reads the container, not the tracks) but that browsers'
 * MediaRecorder uses for audio-only recordings: WebM (Chrome, Firefox), Ogg, MP4 (Safari). Such a file counts as
 * audio only when the client says it recorded audio (`kind` audio, or a declared `audio/*` type) AND the bytes
 * show no video track (hasVideoTrack). It is then served as the audio type, which a browser only plays as audio.
 */
const RECORDING_CONTAINERS: Record<string, { audio: string; container: Container }> = {
  'video/webm': { audio: 'audio/webm', container: 'matroska' },
  'video/x-matroska': { audio: 'audio/webm', container: 'matroska' },
  'video/ogg': { audio: 'audio/ogg', container: 'ogg' },
  'application/ogg': { audio: 'audio/ogg', container: 'ogg' },
  'video/mp4': { audio: 'audio/mp4', container: 'mp4' },
};

type Container = 'matroska' | 'ogg' | 'mp4';

/**
 * The type and kind of an upload, or why it is refused.
 *
 * @param sniffed the MIME type file-type read from the bytes (magic numbers), undefined when it recognised none.
 * @param allowed the hub's allow-list (ATTACHMENT_TYPES), checked against the sniffed type, never the declared one.
 */
export function classify(sniffed: string | undefined, bytes: Uint8Array, declared: Declared, allowed: readonly string[]): Classified {
  let type: string;
  if (sniffed === undefined) {
    // text/plain has no magic number: only plain UTF-8 text that no browser would take for a page or a script.
    if (!isPlainText(bytes)) return { ok: false, reason: 'The file is not of a type this chat accepts' };
    type = 'text/plain';
  } else {
    // `audio/ogg; codecs=opus` → `audio/ogg`.
    const bare = (sniffed.split(';')[0] ?? '').trim().toLowerCase();
    type = ALIASES[bare] ?? bare;
  }
  const recording = RECORDING_CONTAINERS[type];
  if (recording && saysAudio(declared) && !hasVideoTrack(bytes, recording.container)) type = recording.audio;
  if (!allowed.includes(type)) return { ok: false, reason: `Files of type ${type} are not accepted` };
  return { ok: true, contentType: type, kind: kindOf(type) };
}

function saysAudio(declared: Declared): boolean {
  return declared.kind === 'audio' || (declared.contentType ?? '').trim().toLowerCase().startsWith('audio/');
}

export function kindOf(contentType: string): AttachmentKind {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'file';
}

/** Markup a browser could render or run, looked for at the start of a would-be text file. */
const MARKUP = /<(script|html|body|head|svg|iframe|object|embed|!doctype|\?xml|!--)/i;

/**
 * Plain text: valid UTF-8 (a BOM allowed), no NUL, and nothing that looks like HTML, SVG or a script: it must not
 * start with `<` (after whitespace), and its first KiB holds no markup tag. Served as `text/plain` with `nosniff`
 * and as a download anyway; this keeps such files out altogether.
 */
export function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return false;
  }
  if (text.includes('\u0000')) return false;
  if (text.trimStart().startsWith('<')) return false;
  return !MARKUP.test(text.slice(0, 1024));
}

/** Whether a recording container holds a video track (a light scan of the bytes, no full parse). */
export function hasVideoTrack(bytes: Uint8Array, container: Container): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (container) {
    case 'matroska':
      // A track's CodecID element (ID 0x86, a one-byte size, then the id): video codec ids start with `V_`.
      for (let at = buffer.indexOf('V_'); at !== -1; at = buffer.indexOf('V_', at + 1)) {
        if (at >= 2 && buffer[at - 2] === 0x86 && ((buffer[at - 1] ?? 0) & 0x80) !== 0) return true;
      }
      return false;
    case 'ogg':
      // A logical stream's first packet names its codec: Theora (`\x80theora`), Dirac (`BBCD\0`), Daala.
      return buffer.includes('\x80theora', 0, 'latin1') || buffer.includes('BBCD\x00', 0, 'latin1') || buffer.includes('\x80daala', 0, 'latin1');
    case 'mp4':
      // A track's handler box: `hdlr`, version and flags (4), pre_defined (4), then the handler type `vide`.
      for (let at = buffer.indexOf('hdlr'); at !== -1; at = buffer.indexOf('hdlr', at + 1)) {
        if (buffer.toString('latin1', at + 12, at + 16) === 'vide') return true;
      }
      return false;
  }
}

// ------------------------------------------------------------------ names and previews

/**
 * The name shown and offered on download: storable, without control or bidi characters (`gpj.\u2067exe` would hide
 * an .exe), without path separators, at most LIMITS.attachmentName characters with its extension kept.
 */
export function safeName(name: string | undefined, kind: AttachmentKind): string {
  const cleaned = withoutBidiControls(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    storableText((name ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '')).normalize('NFC'),
  )
    .replace(/[/\\]/g, '_')
    .trim()
    .replace(/^\.+/, '');
  const fallback = kind === 'image' ? 'image' : kind === 'audio' ? 'voice-note' : 'file';
  const chosen = cleaned || fallback;
  if (chosen.length <= LIMITS.attachmentName) return chosen;
  const dot = chosen.lastIndexOf('.');
  const extension = dot > 0 && chosen.length - dot <= 16 ? chosen.slice(dot) : '';
  return `${[...chosen.slice(0, LIMITS.attachmentName - extension.length)].join('')}${extension}`;
}

/** A list row's last message when it has no text: `📎 photo.png`, `📎 photo.png +2`, or `🎤 Voice note`. */
export function attachmentPreview(attachments: readonly { name: string; kind: AttachmentKind }[]): string {
  const [first] = attachments;
  if (!first) return '';
  const label = first.kind === 'audio' ? '🎤 Voice note' : `📎 ${first.name}`;
  return attachments.length > 1 ? `${label} +${attachments.length - 1}` : label;
}

// ------------------------------------------------------------------ serving

/** Types served inline: images a browser renders without running anything (never SVG). */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Types a browser could render as a page or run; never served with their own type. */
const ACTIVE = /^(text\/(html|xml|javascript|css)|application\/(xhtml\+xml|xml|javascript|ecmascript|x-shockwave-flash)|image\/svg\+xml|multipart\/)/i;

/** How a stored file is served: its Content-Type and Content-Disposition. */
export function servedAs(contentType: string, name: string): { contentType: string; disposition: string } {
  const inline = INLINE.has(contentType);
  const type = ACTIVE.test(contentType) || !/^[a-z]+\/[a-z0-9.+-]+$/i.test(contentType) ? 'application/octet-stream' : contentType;
  return {
    contentType: type === 'text/plain' ? 'text/plain; charset=utf-8' : type,
    disposition: contentDisposition(inline ? 'inline' : 'attachment', name),
  };
}

/**
 * `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266, RFC 8187): the quoted form
 * for old clients, with anything outside printable ASCII, quotes, backslashes and % replaced; the encoded form with
 * encodeURIComponent plus the characters RFC 8187's attr-char leaves out (' ( ) *).
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const wellFormed = storableText(name);
  const fallback = wellFormed.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(wellFormed).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` on a file of `size` bytes: the inclusive range, 'unsatisfiable', or null (serve it all). */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges (multipart/byteranges) or another unit: serve the whole file, as RFC 9110 allows.
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (size === 0) return 'unsatisfiable';
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

// ------------------------------------------------------------------ signed URLs

/** A URL stays valid at least this long after it is handed out… */
export const URL_TTL_S = 3600;
/**
 * …and expiries are rounded up to a multiple of this, so every read within one window hands out the same URL
 * (the browser's cache keeps the file; a re-rendered list doesn't download it again). Valid 1 h to 1 h 30.
 */
export const URL_WINDOW_S = 1800;
/** Webhook payloads are retried for up to 24 h (rules/webhooks.ts): their URLs last that long. */
export const WEBHOOK_URL_TTL_S = 24 * 3600 + URL_TTL_S;

/** Seconds since the epoch at which a URL handed out at `now` expires. */
export function urlExpiry(now: Date, ttlSeconds = URL_TTL_S): number {
  const due = Math.floor(now.getTime() / 1000) + ttlSeconds;
  return Math.ceil(due / URL_WINDOW_S) * URL_WINDOW_S;
}

/** The URL key: derived from the hub secret, so it signs nothing else (visitor tokens use the secret itself). */
export function urlKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('switchboard attachment urls v1').digest();
}

/** HMAC-SHA256 over the id and the expiry, base64url. */
export function urlSignature(key: Buffer, id: string, exp: number): string {
  return createHmac('sha256', key).update(`${id}\n${exp}`).digest('base64url');
}

export function signedPath(key: Buffer, id: string, exp: number): string {
  return `/api/attachments/${encodeURIComponent(id)}?exp=${exp}&sig=${urlSignature(key, id, exp)}`;
}

/** A genuine signature for this id whose expiry has not passed (and is not further away than any URL the hub hands out). */
export function validSignature(key: Buffer, id: string, exp: number, sig: string, now: Date): boolean {
  const nowS = Math.floor(now.getTime() / 1000);
  if (!Number.isSafeInteger(exp) || exp <= nowS || exp > nowS + WEBHOOK_URL_TTL_S + URL_WINDOW_S) return false;
  const expected = Buffer.from(urlSignature(key, id, exp));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
