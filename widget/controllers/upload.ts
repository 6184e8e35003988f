/**
 * One file's upload to the hub (`POST /api/widget/attachments`, protocol/attachments.ts) with its progress.
 * XMLHttpRequest rather than fetch: only XHR reports upload progress in every browser (fetch's streamed request
 * bodies need HTTP/2 and are Chromium-only), and the upload is a single multipart request either way.
 */
import type { UploadedAttachment } from '../../protocol/attachments.js';
import type { ErrorCode } from '../../protocol/errors.js';
import type { OutboxFile } from '../session-db.js';

/** The stored file, or why not: the hub's error code, or `network` when it did not answer. */
export type UploadResult = UploadedAttachment | { error: ErrorCode | 'network' };

/** Refusals that won't change on retry: the message is shown as not sent with the reason. */
export const PERMANENT_UPLOAD = new Set<string>(['bad_request', 'file_too_large', 'file_type_not_allowed', 'too_large', 'forbidden']);

/** When the answer is not the hub's JSON (a proxy's 413 page), its status says enough. */
const BY_STATUS: Record<number, ErrorCode> = { 400: 'bad_request', 403: 'forbidden', 413: 'file_too_large', 415: 'file_type_not_allowed', 429: 'rate_limited' };

/** A stalled upload gives up (and is retried later) rather than holding the outbox forever. */
const UPLOAD_TIMEOUT_MS = 5 * 60_000;

export function uploadFile(url: string, token: string, file: OutboxFile, onProgress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const form = new FormData();
    form.set('clientId', file.clientId);
    if (file.kind) form.set('kind', file.kind);
    if (file.durationMs !== undefined) form.set('durationMs', String(Math.round(file.durationMs)));
    form.set('file', file.blob, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve({ error: 'network' });
    xhr.onload = () => {
      let body: Partial<UploadedAttachment> & { code?: ErrorCode } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not the hub's answer (a proxy's page): the status decides.
      }
      if (xhr.status === 201 && body.attachment) resolve({ attachment: body.attachment });
      else resolve({ error: body.code ?? BY_STATUS[xhr.status] ?? 'network' });
    };
    xhr.send(form);
  });
}
