/**
 * Files in the widget: the early checks before an upload (the hub still decides: it sniffs the bytes), and how a
 * message's files are shown — images as thumbnails that open the full file in a new tab, voice notes as an
 * `<audio>` player with their length, anything else as a download chip "name · size". File names are only ever
 * text bindings and `alt` attributes, never HTML.
 */
import { html, nothing } from 'lit';
import { type AttachmentRef, DEFAULT_ATTACHMENT_TYPES } from '../protocol/attachments.js';
import { LIMITS } from '../protocol/limits.js';
import type { PendingFile } from './controllers/connection.js';
import type { FileRefusal } from './controllers/outbox.js';
import { type WidgetStrings, format } from './strings.js';

/** "512 B", "2.4 kB", "1.2 MB". */
export function humanSize(bytes: number): string {
  let n = bytes;
  let unit = 'B';
  for (const next of ['kB', 'MB', 'GB']) {
    if (n < 1024) break;
    n /= 1024;
    unit = next;
  }
  return `${unit === 'B' || n >= 10 ? Math.round(n) : n.toFixed(1)} ${unit}`;
}

/** "1:05". */
export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Why a file can't be sent, before uploading it: larger than the default limit, or a declared type the hub's
 * default allow-list refuses (an empty type — an unknown extension — is left to the hub).
 */
export function checkFile(file: File, t: WidgetStrings): string | null {
  const type = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  if (file.size > LIMITS.attachmentBytes) return format(t.fileTooLarge, { name: file.name });
  const allowed =
    !type ||
    (DEFAULT_ATTACHMENT_TYPES as readonly string[]).includes(type) ||
    type.startsWith('audio/') ||
    (type.startsWith('text/') && !/html|xml|javascript|css/.test(type));
  return allowed ? null : format(t.fileTypeNotAllowed, { name: file.name });
}

/** The line under a message the hub refused a file of. */
export function refusalText(refused: FileRefusal, t: WidgetStrings): string {
  const template = refused.code === 'file_too_large' ? t.fileTooLarge : refused.code === 'file_type_not_allowed' ? t.fileTypeNotAllowed : t.fileFailed;
  return format(template, { name: refused.name });
}

export interface FileEvents {
  /** An image loaded (the transcript may need scrolling). */
  loaded: (event: Event) => void;
  /** An image did not load (its signed URL may have expired). */
  broken: (event: Event) => void;
}

/** A stored file; `url` is already resolved against the hub. */
export function renderAttachment(a: AttachmentRef, url: string, t: WidgetStrings, on: FileEvents) {
  if (a.kind === 'image') {
    return html`<a class="thumb" href=${url} target="_blank" rel="noopener noreferrer"><img src=${url} alt=${a.name} @load=${on.loaded} @error=${on.broken} /></a>`;
  }
  if (a.kind === 'audio') {
    const length = a.durationMs === null ? '' : clock(a.durationMs);
    return html`<div class="voice"><audio controls preload="metadata" src=${url} aria-label=${length ? `${t.voiceNote} ${length}` : t.voiceNote}></audio><span class="length">${length}</span></div>`;
  }
  return html`<a class="chip" href=${url} target="_blank" rel="noopener noreferrer" download=${a.name}>${a.name} · ${humanSize(a.size)}</a>`;
}

/** A file of a message not sent yet, with its upload's progress. */
export function renderPendingFile(f: PendingFile, progress: number | undefined, t: WidgetStrings) {
  const label = f.kind === 'audio' ? `${t.voiceNote} · ${clock(f.durationMs ?? 0)}` : `${f.name} · ${humanSize(f.size)}`;
  return html`<div class="chip">${label}${
    progress === undefined ? nothing : html`<progress max="1" value=${progress} aria-label=${format(t.uploading, { name: f.name })}></progress>`
  }</div>`;
}
