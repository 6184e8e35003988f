/**
 * Attachments (files, images, voice notes): the contract between the hub, the widget and the panel.
 *
 * Flow: the sender uploads the file first (multipart, one file per request) and gets back an
 * `UploadedAttachment`; then it sends its message with `attachmentIds`. The message is sent only once
 * every file it names is stored, so nobody ever sees a message whose file is missing. A file not
 * linked to a message within a day is removed by the hub's sweep.
 *
 * Uploads are idempotent per (conversation, clientId): a retried upload (the widget's outbox after a
 * reconnect) answers the file already stored instead of storing a second copy.
 *
 * ## The routes (all on the hub's origin)
 *
 * - Agent: `POST /api/conversations/:id/attachments` with `Authorization: Bearer <agent token>`; any agent who may
 *   see the conversation (a hidden or unknown one answers 404; a closed one 409 `closed`, as sending would).
 * - Visitor: `POST /api/widget/attachments` with `Authorization: Bearer <the widget session's token>` (the `token`
 *   of the socket's `session` event). The file goes into the visitor's open conversation; when they have none, the
 *   upload opens one, exactly as sending a message would (agents see it appear, the message follows). Counted
 *   against the visitor's upload rate limit (429 `rate_limited`).
 * - Both: body `multipart/form-data` with the text fields of `UploadFields` and exactly one file part named `file`
 *   (its filename is shown to people; its declared type is only a hint, see `UploadFields.kind`). Fields may come
 *   before or after the file. Answer: 201 `UploadedAttachment`.
 *   Refusals: 413 `file_too_large` (over the hub's ATTACHMENT_MAX_BYTES, LIMITS.attachmentBytes by default),
 *   415 `file_type_not_allowed` (the bytes are not an accepted type, whatever the name says), 400 `bad_request`
 *   (no file, no clientId, two files), 401, 404, 429. A refused upload stores nothing.
 * - Reading: `GET /api/attachments/:id?exp=…&sig=…` — `AttachmentRef.url` as is. The URL is a path on the hub:
 *   resolve it against the hub's URL (`new URL(ref.url, hubUrl)`). It needs no header, so it works in `<img src>`,
 *   `<audio src>` and `<a href download>`; it expires at `urlExpiresAt` (about an hour, reused within a window so
 *   the browser's cache works). After that, ask again (`messages:since`, `GET /api/conversations/:id/messages`): the
 *   answers always carry fresh URLs. Without a signature the same path answers to a Bearer token instead (an agent
 *   who may see the conversation, or the conversation's visitor). Images are served inline with their sniffed type;
 *   everything else as a download (`Content-Disposition: attachment`). `Range` is supported (206) for seeking.
 *
 * Then send: visitor `message:send { clientId, text, attachmentIds }` (socket `/visitor`), agent
 * `message:send { conversationId, clientId, text, attachmentIds }` (socket `/agent`). `text` may be empty when there
 * is at least one attachment; at most LIMITS.attachmentsPerMessage. Each id must be an upload to that conversation by
 * the same sender (visitor: the same visitor; agent: any agent's upload) not yet sent in another message; otherwise
 * the ack answers `bad_request` (field `attachmentIds`) and nothing is stored. The stored message (ack, `message:new`,
 * history) carries `attachments: AttachmentRef[]` in the order of `attachmentIds`.
 */
import type { IsoDate } from './types.js';

export const ATTACHMENT_KINDS = ['image', 'audio', 'file'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** Content types the hub accepts by default; the type is sniffed from the file's bytes, never taken from its name. */
export const DEFAULT_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'audio/webm',
  'audio/ogg',
  'audio/mp4',
  'audio/mpeg',
  'audio/wav',
  'application/pdf',
  'text/plain',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

/**
 * A file as messages carry it. `url` is a signed path on the hub (`/api/attachments/<id>?exp=…&sig=…`, resolve it
 * against the hub's URL) and expires (`urlExpiresAt`); ask again for a fresh one.
 */
export interface AttachmentRef {
  id: string;
  name: string;
  /** Bytes. */
  size: number;
  /** The sniffed type (the one the file is served with). */
  contentType: string;
  kind: AttachmentKind;
  /** Voice notes: the recording's length as the recorder measured it. */
  durationMs: number | null;
  url: string;
  urlExpiresAt: IsoDate;
}

/** The answer to an upload (agent: `POST /api/conversations/:id/attachments`; visitor: `POST /api/widget/attachments`). */
export interface UploadedAttachment {
  attachment: AttachmentRef;
}

/** Multipart fields that go with the `file` part of an upload (as text fields: `durationMs=5230`). */
export interface UploadFields {
  /** Chosen by the client (1–64 characters); a retried upload with the same one answers the stored file. */
  clientId: string;
  /** Voice notes: the recording's length in ms. */
  durationMs?: number;
  /**
   * `audio` for a recording (a voice note). The hub sniffs the type from the bytes; WebM, Ogg and MP4 are
   * containers that it reports as video, so a recording counts as audio (served as `audio/webm`, `audio/ogg`,
   * `audio/mp4`) when this says `audio` or the file part's declared type is `audio/*`, and it has no video track.
   */
  kind?: AttachmentKind;
}

/** The answer to a transcription request (`POST /api/attachments/:id/transcription`). */
export interface Transcription {
  attachmentId: string;
  text: string;
  /** The model that produced it. */
  model: string;
  createdAt: IsoDate;
}
