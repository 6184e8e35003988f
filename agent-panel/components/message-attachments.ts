/**
 * A message's files in the transcript: images as thumbnails (the full image opens in a new tab), voice notes as an
 * `<audio controls>` player with their length and, under it, their transcript (a Transcribe button, the text once
 * written, or why it can't be), anything else as a download chip (name and size). Every name and transcript is
 * rendered as text. URLs are the hub's signed paths, resolved against the hub's address; anything that does not
 * resolve to http(s) is not linked.
 */
import { css, html, nothing } from 'lit';
import type { AssistStatus } from '../../protocol/assist.js';
import type { AttachmentRef } from '../../protocol/attachments.js';
import { type TranscriptState, humanSize } from '../controllers/attachments.js';
import { clock } from '../controllers/recorder.js';
import { paperclipIcon } from './icons.js';

/** `ref.url` against the hub's address (`new URL(url, hub)`), or null when it isn't an http(s) URL. */
export function fileUrl(url: string, hub: string): string | null {
  try {
    const resolved = new URL(url, hub || location.origin);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : null;
  } catch {
    return null;
  }
}

export interface AttachmentsView {
  hub: string;
  /** What assist offers (transcription needs a provider); null until known. */
  assist: AssistStatus | null;
  transcripts: Record<string, TranscriptState>;
  transcribe(attachmentId: string): void;
}

export function attachmentsTemplate(attachments: AttachmentRef[], view: AttachmentsView) {
  if (attachments.length === 0) return nothing;
  return html`<div class="files">${attachments.map((a) => attachmentTemplate(a, view))}</div>`;
}

function attachmentTemplate(a: AttachmentRef, view: AttachmentsView) {
  const url = fileUrl(a.url, view.hub);
  if (a.kind === 'image' && url) {
    return html`<a class="thumb" href=${url} target="_blank" rel="noopener noreferrer" title="Open ${a.name} in a new tab"
      ><img src=${url} alt=${a.name} loading="lazy" /></a>`;
  }
  if (a.kind === 'audio' && url) {
    return html`<figure class="voice" data-id=${a.id}>
      <audio controls preload="metadata" src=${url} aria-label="Voice note${a.durationMs !== null ? `, ${clock(a.durationMs)}` : ''}"></audio>
      <figcaption><span class="duration">${a.durationMs !== null ? clock(a.durationMs) : ''}</span> ${transcriptTemplate(a, view)}</figcaption>
    </figure>`;
  }
  const chip = html`<span class="file-name">${a.name}</span> <span class="file-size">${humanSize(a.size)}</span>`;
  return url
    ? html`<a class="file-chip" href=${url} download=${a.name} rel="noopener noreferrer" title="Download ${a.name}">${paperclipIcon} ${chip}</a>`
    : html`<span class="file-chip">${paperclipIcon} ${chip}</span>`;
}

function transcriptTemplate(a: AttachmentRef, view: AttachmentsView) {
  const t = view.transcripts[a.id];
  if (t?.status === 'done') return html`<p class="transcript-text"><span class="label">Transcript:</span> ${t.text || '(nothing was said)'}</p>`;
  if (t?.status === 'loading') return html`<span class="transcribing" role="status">Transcribing…</span>`;
  const error = t?.status === 'error' ? html`<p class="error transcript-error" role="alert">${t.error}</p>` : nothing;
  const status = view.assist;
  if (!status?.settings.transcription) return error;
  if (!status.transcriptionAvailable) return html`<span class="muted transcript-unavailable">Transcription needs an AI provider</span>`;
  return html`<button type="button" class="link transcribe" aria-label="Transcribe the voice note" @click=${() => view.transcribe(a.id)}>
      ${t?.status === 'error' ? 'Try again' : 'Transcribe'}</button>${error}`;
}

export const attachmentStyles = css`
  .files { display: flex; flex-wrap: wrap; gap: 6px; }
  .msg.agent .files, .msg.bot .files { justify-content: flex-end; }
  a.thumb { display: block; border: 1px solid var(--sb-border); border-radius: var(--sb-radius); overflow: hidden; line-height: 0; }
  a.thumb img { max-width: 220px; max-height: 160px; object-fit: contain; background: var(--sb-surface-alt); }
  .file-chip { display: inline-flex; gap: 6px; align-items: center; padding: 4px 10px; border: 1px solid var(--sb-border); border-radius: 999px; font-size: 13px; text-decoration: none; max-width: 100%; }
  .file-chip .file-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 30ch; }
  .file-chip .file-size { color: var(--sb-muted); font-size: 12px; }
  figure.voice { margin: 0; display: grid; gap: 2px; }
  figure.voice audio { height: 36px; max-width: 100%; }
  figure.voice figcaption { font-size: 12px; color: var(--sb-muted); display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; }
  .transcript-text { margin: 0; color: var(--sb-text); white-space: pre-wrap; overflow-wrap: anywhere; flex-basis: 100%; }
  .transcript-text .label { color: var(--sb-muted); }
  .transcript-error { margin: 0; flex-basis: 100%; }
`;
