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

/** A file as messages carry it. `url` is signed for the reader and expires (`urlExpiresAt`); ask again for a fresh one. */
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

/** Multipart fields that go with the `file` part of an upload. */
export interface UploadFields {
  /** Chosen by the client; a retried upload with the same one answers the stored file. */
  clientId: string;
  /** Voice notes: the recording's length in ms. */
  durationMs?: number;
}

/** The answer to a transcription request (`POST /api/attachments/:id/transcription`). */
export interface Transcription {
  attachmentId: string;
  text: string;
  /** The model that produced it. */
  model: string;
  createdAt: IsoDate;
}
