/**
 * Attachments: uploads (checked, sniffed, stored once per (conversation, clientId)), linking them to a message in
 * the message's own transaction (messaging.ts), serving them to who may read them, and removing their bytes when
 * their rows go (conversation deleted, contact erased, never sent within a day). The rules are in
 * rules/attachments.ts, the bytes in attachment-storage.ts, the rows in store/attachments-repo.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { ATTACHMENT_KINDS, type AttachmentKind, type UploadedAttachment } from '../../protocol/attachments.js';
import { LIMITS } from '../../protocol/limits.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { badRequest, HubError, notFound } from '../errors.js';
import { byteRange, classify, safeName, servedAs, validSignature } from '../rules/attachments.js';
import type { Actor } from '../rules/handoff.js';
import { canSee } from '../rules/visibility.js';
import { isUniqueViolation, type Db } from '../store/base.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { AttachmentsTable, VisitorsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { visibleConversation } from './access.js';
import { type AttachmentStorage, MissingFile, newStorageKey } from './attachment-storage.js';
import type { Views } from './views.js';

/** An upload as the route read it: the file's bytes and what the client said about it. */
export interface IncomingUpload {
  bytes: Buffer;
  /** The file part's filename. */
  filename: string | undefined;
  /** The file part's Content-Type (a hint only). */
  declaredType: string | undefined;
  /** The text fields (UploadFields), as sent. */
  fields: Record<string, string>;
}

/** Who sends a message with files: a visitor may link only their own uploads; an agent any agent's. */
export type Sender = { kind: 'visitor'; id: string } | { kind: 'agent'; id: string };

/** A stored voice note, as transcription needs it: its bytes are read only when the provider is asked. */
export interface StoredAudio {
  id: string;
  name: string;
  contentType: string;
  bytes(): Promise<Buffer>;
}

/** Who asks for a file's bytes. */
export type Reader = { signature: { exp: number; sig: string } } | { agent: Actor } | { visitor: VisitorsTable | undefined };

export interface ServedFile {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body: Readable | null;
}

/** Unlinked uploads older than this are removed by the sweep. */
export const UNLINKED_TTL_MS = 24 * 3_600_000;
/** Rows the sweep removes per run (the next run takes the rest). */
const SWEEP_BATCH = 500;

const CLIENT_ID = /^[\x21-\x7e]{1,64}$/;

export interface AttachmentLog {
  warn(details: unknown, message: string): void;
}

export class Attachments {
  #log: AttachmentLog = { warn: () => undefined };

  constructor(
    private readonly store: Store,
    readonly storage: AttachmentStorage,
    private readonly views: Views,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly urlKey: Buffer,
    /** The visitor's open conversation, opened if they have none (Messaging.conversationForUpload). */
    private readonly conversationForVisitor: (visitor: VisitorsTable) => Promise<ConversationRecord>,
  ) {}

  useLog(log: AttachmentLog): void {
    this.#log = log;
  }

  // ------------------------------------------------------------ uploads

  /** An agent's upload to a conversation they may see (hidden or unknown: 404; closed: 409 `closed`, as sending). */
  async uploadAsAgent(actor: Actor, conversationId: string, upload: IncomingUpload): Promise<UploadedAttachment> {
    const fields = uploadFields(upload.fields);
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.state === 'closed') throw new HubError('closed', 'The conversation is closed; reopen it first');
    const existing = await this.store.attachments.byClientId(record.id, fields.clientId);
    if (existing) return this.#answer(existing);
    const accepted = await this.#accept(upload, fields);
    return this.#store(record.id, { kind: 'agent', id: actor.id }, accepted, fields);
  }

  /**
   * A visitor's upload, into their open conversation. With none open the upload opens one, as sending a message
   * would (the person's latest conversation if open, else a new one: agents see it at once and the message follows).
   * The file is checked first: a refused upload opens nothing.
   */
  async uploadAsVisitor(visitor: VisitorsTable, upload: IncomingUpload): Promise<UploadedAttachment> {
    const fields = uploadFields(upload.fields);
    const accepted = await this.#accept(upload, fields);
    const record = await this.conversationForVisitor(visitor);
    const existing = await this.store.attachments.byClientId(record.id, fields.clientId);
    if (existing) return this.#answer(existing);
    return this.#store(record.id, { kind: 'visitor', id: visitor.id }, accepted, fields);
  }

  /** Size, then the sniffed type against the allow-list: 413 `file_too_large`, 415 `file_type_not_allowed`. */
  async #accept(upload: IncomingUpload, fields: UploadFieldValues): Promise<Accepted> {
    if (upload.bytes.byteLength > this.config.attachmentMaxBytes) throw tooLarge(this.config.attachmentMaxBytes);
    if (upload.bytes.byteLength === 0) throw badRequest('The file is empty', 'file');
    const sniffed = await fileTypeFromBuffer(upload.bytes);
    const classified = classify(sniffed?.mime, upload.bytes, { contentType: upload.declaredType, kind: fields.kind }, this.config.attachmentTypes);
    if (!classified.ok) throw new HubError('file_type_not_allowed', classified.reason);
    return { bytes: upload.bytes, filename: upload.filename, contentType: classified.contentType, kind: classified.kind };
  }

  /**
   * Bytes first, then the row (in a transaction that holds the conversation, so a concurrent deletion can't leave the
   * row behind). A failed insert removes the bytes again; a concurrent upload with the same clientId answers its file.
   */
  async #store(conversationId: string, uploader: Sender, file: Accepted, fields: UploadFieldValues): Promise<UploadedAttachment> {
    const key = newStorageKey();
    await this.storage.put(key, file.bytes, file.contentType);
    const row: AttachmentsTable = {
      id: randomUUID(),
      conversation_id: conversationId,
      message_id: null,
      position: null,
      uploader_kind: uploader.kind,
      uploader_id: uploader.id,
      client_id: fields.clientId,
      name: safeName(file.filename, file.kind),
      size: file.bytes.byteLength,
      content_type: file.contentType,
      kind: file.kind,
      // Only a recording has a length.
      duration_ms: file.kind === 'audio' ? fields.durationMs : null,
      storage_key: key,
      created_at: this.clock.now().toISOString(),
    };
    let stored: boolean;
    try {
      stored = await this.store.transaction(async (tx) => {
        if (!(await this.store.attachments.holdConversation(conversationId, tx))) return false;
        await this.store.attachments.insert(row, tx);
        return true;
      });
    } catch (error) {
      await this.#removeFiles([key]);
      if (isUniqueViolation(error)) {
        const existing = await this.store.attachments.byClientId(conversationId, fields.clientId);
        if (existing) return this.#answer(existing);
      }
      throw error;
    }
    if (!stored) {
      await this.#removeFiles([key]);
      throw notFound('Conversation');
    }
    return this.#answer(row);
  }

  #answer(row: AttachmentsTable): UploadedAttachment {
    return { attachment: this.views.attachmentRef(row) };
  }

  // ------------------------------------------------------------ linking (inside the message's transaction)

  /** `attachmentIds` as sent: at most LIMITS.attachmentsPerMessage, no repeats. */
  checkIds(ids: string[] | undefined): string[] {
    const list = ids ?? [];
    if (list.length > LIMITS.attachmentsPerMessage) throw badRequest(`At most ${LIMITS.attachmentsPerMessage} files per message`, 'attachmentIds');
    if (new Set(list).size !== list.length) throw badRequest('A file is named twice', 'attachmentIds');
    return list;
  }

  /**
   * Links the files to the message just inserted, in the caller's transaction: each must be an upload to this
   * conversation by this sender (visitor: the same visitor; agent: any agent) and not sent yet. Otherwise throws
   * `bad_request` and the caller's transaction (the message with it) rolls back.
   */
  async link(tx: Db, conversationId: string, messageId: number, ids: string[], sender: Sender): Promise<AttachmentsTable[]> {
    if (ids.length === 0) return [];
    const rows = await this.#sendable(ids, conversationId, sender, tx);
    if ((await this.store.attachments.link(ids, messageId, tx)) !== ids.length)
      throw badRequest('A file was sent in another message meanwhile', 'attachmentIds');
    return rows.map((row, position) => ({ ...row, message_id: messageId, position }));
  }

  /** The same checks as `link`, before anything is done (an agent's send claims the conversation first). */
  async check(conversationId: string, ids: string[], sender: Sender): Promise<void> {
    if (ids.length > 0) await this.#sendable(ids, conversationId, sender);
  }

  async #sendable(ids: string[], conversationId: string, sender: Sender, db?: Db): Promise<AttachmentsTable[]> {
    const rows = new Map((await this.store.attachments.many(ids, db)).map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = rows.get(id);
      const mine = row?.uploader_kind === sender.kind && (sender.kind === 'agent' || row.uploader_id === sender.id);
      if (!row || row.conversation_id !== conversationId || !mine)
        throw badRequest(`File ${id} is not an upload of yours to this conversation`, 'attachmentIds');
      if (row.message_id !== null) throw badRequest(`File ${id} was already sent`, 'attachmentIds');
      return row;
    });
  }

  // ------------------------------------------------------------ reading

  /**
   * The file for a reader: a valid signature (any holder of the URL), an agent who may see the conversation, or a
   * visitor whose person the conversation belongs to. A missing or expired signature: 401; anyone else: 404.
   */
  async read(id: string, reader: Reader, rangeHeader: string | undefined): Promise<ServedFile> {
    const row = await this.#readable(id, reader);
    const { contentType, disposition } = servedAs(row.content_type, row.name);
    const size = Number(row.size);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'content-disposition': disposition,
      'x-content-type-options': 'nosniff',
      // A file is never a page: nothing in it runs, loads or submits, even when opened directly.
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
      'accept-ranges': 'bytes',
      // A file never changes under its id: the signed URL may be cached until it expires; a Bearer read is personal.
      'cache-control':
        'signature' in reader
          ? `private, max-age=${Math.max(0, reader.signature.exp - Math.floor(this.clock.now().getTime() / 1000))}, immutable`
          : 'private, no-store',
    };
    const range = byteRange(rangeHeader, size);
    if (range === 'unsatisfiable') return { status: 416, headers: { 'content-range': `bytes */${size}` }, body: null };
    try {
      const body = await this.storage.get(row.storage_key, range ?? undefined);
      if (!range) return { status: 200, headers: { ...headers, 'content-length': String(size) }, body };
      return {
        status: 206,
        headers: { ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${size}` },
        body,
      };
    } catch (error) {
      if (error instanceof MissingFile) throw notFound('File');
      throw error;
    }
  }

  async #readable(id: string, reader: Reader): Promise<AttachmentsTable> {
    if ('signature' in reader) {
      if (!validSignature(this.urlKey, id, reader.signature.exp, reader.signature.sig, this.clock.now())) {
        throw new HubError('unauthorized', 'The link is invalid or has expired; reload the conversation for a fresh one');
      }
      const row = await this.store.attachments.get(id);
      if (!row) throw notFound('File');
      return row;
    }
    const row = await this.store.attachments.get(id);
    if (!row) throw notFound('File');
    const conversation = await this.store.conversations.get(row.conversation_id);
    if (!conversation) throw notFound('File');
    if ('agent' in reader) {
      if (!canSee(reader.agent, conversation)) throw notFound('File');
      return row;
    }
    const contactId = reader.visitor ? (reader.visitor.contact_id ?? reader.visitor.id) : null;
    if (contactId === null || conversation.contactId !== contactId) throw notFound('File');
    return row;
  }

  /**
   * A voice note for transcription (routes/assist.ts): an `audio` attachment of a conversation the agent may see
   * (hidden or unknown: 404; anything else than audio: 400), with a way to read its bytes whole.
   */
  async audioFor(actor: Actor, id: string): Promise<StoredAudio> {
    const row = await this.store.attachments.get(id);
    const conversation = row ? await this.store.conversations.get(row.conversation_id) : undefined;
    if (!row || !conversation || !canSee(actor, conversation)) throw notFound('File');
    if (row.kind !== 'audio') throw badRequest('Only voice notes (audio files) can be transcribed');
    return {
      id: row.id,
      name: row.name,
      contentType: row.content_type,
      bytes: async () => {
        try {
          const chunks: Buffer[] = [];
          for await (const chunk of await this.storage.get(row.storage_key)) chunks.push(Buffer.from(chunk as Uint8Array));
          return Buffer.concat(chunks);
        } catch (error) {
          if (error instanceof MissingFile) throw notFound('File');
          throw error;
        }
      },
    };
  }

  // ------------------------------------------------------------ removal

  /** Removes stored bytes whose rows are gone; a failure is logged (the rows are gone either way). */
  async removeFiles(keys: string[]): Promise<void> {
    await this.#removeFiles(keys);
  }

  async #removeFiles(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.storage.delete(key).catch((error: unknown) => this.#log.warn({ err: error, key }, 'could not remove an attachment file'));
    }
  }

  /** Uploads never sent in a message within a day: rows and bytes. Answers how many went. */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - UNLINKED_TTL_MS).toISOString();
    const ids = await this.store.attachments.unlinkedBefore(cutoff, SWEEP_BATCH);
    const keys = await this.store.attachments.deleteUnlinked(ids);
    await this.#removeFiles(keys);
    return keys.length;
  }
}

interface UploadFieldValues {
  clientId: string;
  durationMs: number | null;
  kind: AttachmentKind | undefined;
}

interface Accepted {
  bytes: Buffer;
  filename: string | undefined;
  contentType: string;
  kind: AttachmentKind;
}

/** The text fields of an upload (UploadFields), checked. */
function uploadFields(fields: Record<string, string>): UploadFieldValues {
  const clientId = fields.clientId ?? '';
  if (!CLIENT_ID.test(clientId)) throw badRequest('clientId: 1 to 64 printable characters, required', 'clientId');
  let durationMs: number | null = null;
  if (fields.durationMs !== undefined && fields.durationMs !== '') {
    const n = Number(fields.durationMs);
    if (!Number.isInteger(n) || n < 0 || n > 24 * 3_600_000) throw badRequest('durationMs: a whole number of milliseconds', 'durationMs');
    durationMs = n;
  }
  const kind = fields.kind === undefined || fields.kind === '' ? undefined : fields.kind;
  if (kind !== undefined && !(ATTACHMENT_KINDS as readonly string[]).includes(kind)) throw badRequest(`kind: one of ${ATTACHMENT_KINDS.join(', ')}`, 'kind');
  return { clientId, durationMs, kind: kind as AttachmentKind | undefined };
}

export function tooLarge(maxBytes: number): HubError {
  const mb = maxBytes / (1024 * 1024);
  return new HubError('file_too_large', `The file is larger than ${Number.isInteger(mb) ? `${mb} MB` : `${maxBytes} bytes`}`);
}
