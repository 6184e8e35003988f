/**
 * Files in the agent's composer and voice notes' transcripts: state the panel renders (it updates its host on change).
 *
 * Upload first, then send (protocol/attachments.ts): a file is uploaded as soon as it is attached (picked, dropped,
 * pasted, or recorded), with its progress, to `POST /api/conversations/:id/attachments`; Send waits until every file
 * of the conversation is stored and then sends one message naming them (`attachmentIds`). A file refused early (too
 * large, empty, a type no browser should receive) or by the hub (413, 415, …) stays in the list with the reason, and
 * while one is there Send sends nothing: the agent removes it first, so a reply never goes out without a file the
 * agent thinks is attached.
 *
 * Transcripts: `POST /api/attachments/:id/transcription` when the agent asks (the Transcribe button), kept per
 * attachment for the session.
 */
import type { ReactiveControllerHost } from 'lit';
import type { AttachmentKind, AttachmentRef } from '../../protocol/attachments.js';
import { LIMITS } from '../../protocol/limits.js';
import { ApiError, type HubApi } from '../api.js';
import type { FilesIntent } from '../events.js';
import { errorText } from '../format.js';

export interface PendingFile {
  /** Local key, also the upload's `clientId` (a retried upload answers the stored file). */
  key: string;
  conversationId: string;
  name: string;
  size: number;
  kind: AttachmentKind;
  durationMs: number | null;
  /** 0…1 while uploading. */
  progress: number;
  status: 'uploading' | 'stored' | 'refused';
  /** Why it was refused. */
  error: string;
  attachment: AttachmentRef | null;
}

export interface TranscriptState {
  status: 'loading' | 'done' | 'error';
  text: string;
  error: string;
}

export interface FilesState {
  pending: PendingFile[];
  /** Why the last Send of a conversation sent nothing, by conversation id. */
  blocked: Record<string, string>;
  transcripts: Record<string, TranscriptState>;
}

export const NO_FILES: FilesState = { pending: [], blocked: {}, transcripts: {} };

/** Types a browser would run or render as a page: refused before uploading (the hub refuses them too). */
const ACTIVE_TYPES = /^(text\/(html|javascript|xml)|application\/(xhtml\+xml|javascript|x-javascript|ecmascript|x-msdownload|x-sh)|image\/svg\+xml)$/i;

/** A file size people read: `812 B`, `14 KB`, `2.3 MB`. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** What is wrong with a file before it is sent to the hub (the hub decides in the end: it reads the bytes), or ''. */
export function precheck(file: File): string {
  if (file.size === 0) return `“${file.name}” is empty`;
  if (file.size > LIMITS.attachmentBytes) return `“${file.name}” is ${humanSize(file.size)}: files may be ${humanSize(LIMITS.attachmentBytes)} at most`;
  if (ACTIVE_TYPES.test(file.type)) return `“${file.name}” can't be sent: ${file.type} files are not accepted`;
  return '';
}

/** What the panel shows for a transcription refusal. */
function transcriptionError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'transcription_unavailable') return 'Transcription needs an AI provider';
  if (error instanceof ApiError && error.code === 'feature_disabled') return 'Transcription is turned off (admin: AI assist settings)';
  return errorText(error);
}

export class AttachmentsController {
  state: FilesState = NO_FILES;
  #api: HubApi | null = null;
  /** Each upload's outcome, by key: Send waits for them. */
  readonly #uploads = new Map<string, Promise<void>>();

  constructor(private readonly host: ReactiveControllerHost) {}

  start(api: HubApi): void {
    this.#api = api;
  }

  stop(): void {
    this.#api = null;
    this.#uploads.clear();
    this.#set(NO_FILES);
  }

  /** The files attached to a conversation's composer. */
  of(conversationId: string): PendingFile[] {
    return this.state.pending.filter((f) => f.conversationId === conversationId);
  }

  async act(intent: FilesIntent): Promise<boolean> {
    switch (intent.action) {
      case 'attach':
        return this.attach(intent.conversationId, intent.files, intent.kind, intent.durationMs);
      case 'remove':
        this.#uploads.delete(intent.key);
        this.#set({ ...this.state, pending: this.state.pending.filter((f) => f.key !== intent.key) });
        return true;
      case 'transcribe':
        return this.transcribe(intent.attachmentId);
    }
  }

  /** Checks each file, then uploads those that pass; resolves false when any was refused at once. */
  attach(conversationId: string, files: File[], kind?: 'audio', durationMs?: number): boolean {
    const api = this.#api;
    if (!api) return false;
    let ok = true;
    const room = LIMITS.attachmentsPerMessage - this.of(conversationId).filter((f) => f.status !== 'refused').length;
    const added = files.map((file, index): PendingFile => {
      const error = index >= room ? `“${file.name}”: at most ${LIMITS.attachmentsPerMessage} files per message` : precheck(file);
      if (error) ok = false;
      return {
        key: crypto.randomUUID(),
        conversationId,
        name: file.name,
        size: file.size,
        kind: kind ?? (file.type.startsWith('image/') ? 'image' : file.type.startsWith('audio/') ? 'audio' : 'file'),
        durationMs: durationMs ?? null,
        progress: 0,
        status: error ? 'refused' : 'uploading',
        error,
        attachment: null,
      };
    });
    const { [conversationId]: _, ...blocked } = this.state.blocked;
    this.#set({ ...this.state, pending: [...this.state.pending, ...added], blocked });
    added.forEach((entry, index) => {
      const file = files[index];
      if (entry.status === 'uploading' && file) this.#uploads.set(entry.key, this.#upload(api, entry, file, kind));
    });
    return ok;
  }

  async #upload(api: HubApi, entry: PendingFile, file: File, kind: 'audio' | undefined): Promise<void> {
    const form = new FormData();
    form.set('clientId', entry.key);
    if (kind) form.set('kind', kind);
    if (entry.durationMs !== null) form.set('durationMs', String(Math.round(entry.durationMs)));
    form.set('file', file, file.name);
    try {
      const { attachment } = await api.upload('POST /api/conversations/:id/attachments', {
        params: { id: entry.conversationId },
        form,
        onProgress: (progress) => this.#patch(entry.key, { progress }),
      });
      this.#patch(entry.key, { status: 'stored', progress: 1, attachment, kind: attachment.kind });
    } catch (error) {
      this.#patch(entry.key, { status: 'refused', error: `“${entry.name}” was not attached: ${errorText(error)}` });
    }
  }

  /**
   * For Send: waits until each file attached to the conversation now is stored, and answers their ids in order; null
   * (and the reason, shown in the composer) when one was refused: then nothing is to be sent.
   */
  async ready(conversationId: string): Promise<{ keys: string[]; ids: string[] } | null> {
    const files = this.of(conversationId);
    await Promise.all(files.map((f) => this.#uploads.get(f.key)));
    const now = this.of(conversationId).filter((f) => files.some((g) => g.key === f.key));
    if (now.some((f) => f.status !== 'stored' || !f.attachment)) {
      this.#block(conversationId, 'Nothing was sent: remove the files that could not be attached, then send again.');
      return null;
    }
    return { keys: now.map((f) => f.key), ids: now.map((f) => f.attachment?.id ?? '') };
  }

  /** The message naming these files was stored: they leave the composer. */
  sent(keys: string[]): void {
    for (const key of keys) this.#uploads.delete(key);
    this.#set({ ...this.state, pending: this.state.pending.filter((f) => !keys.includes(f.key)) });
  }

  #block(conversationId: string, reason: string): void {
    this.#set({ ...this.state, blocked: { ...this.state.blocked, [conversationId]: reason } });
  }

  async transcribe(attachmentId: string): Promise<boolean> {
    const api = this.#api;
    if (!api || this.state.transcripts[attachmentId]?.status === 'loading') return false;
    const put = (t: TranscriptState) => this.#set({ ...this.state, transcripts: { ...this.state.transcripts, [attachmentId]: t } });
    put({ status: 'loading', text: '', error: '' });
    try {
      const transcript = await api.call('POST /api/attachments/:id/transcription', { params: { id: attachmentId } });
      put({ status: 'done', text: transcript.text, error: '' });
      return true;
    } catch (error) {
      put({ status: 'error', text: '', error: transcriptionError(error) });
      return false;
    }
  }

  #patch(key: string, changes: Partial<PendingFile>): void {
    if (!this.state.pending.some((f) => f.key === key)) return; // removed meanwhile
    this.#set({ ...this.state, pending: this.state.pending.map((f) => (f.key === key ? { ...f, ...changes } : f)) });
  }

  #set(state: FilesState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}
