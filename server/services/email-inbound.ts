/**
 * Email continuity, inbound: a visitor's answer to a reply email, from the built-in SMTP listener
 * (sockets/inbound-smtp.ts) or `POST /api/email/inbound`, becomes a visitor message (`channel: 'email'`) of the
 * conversation its reply address names, through the same path as a widget message (`Messaging.visitorSend`): agents
 * see it live, it reopens or updates the conversation as a widget message would, webhooks fire.
 *
 * Refused, changing nothing (and logged): an address that names no conversation (`reply+<token>` unknown or
 * malformed: 404), a From other than the contact's email (403), an automatic reply (out of office), a mail with no
 * text of its own once the quoted history is cut (400). The same email delivered twice (same Message-ID) is stored once.
 */
import { createHash } from 'node:crypto';
import type { InboundEmailResult } from '../../protocol/email.js';
import { INBOUND_EMAIL_MAX_BYTES } from '../../protocol/email.js';
import type { Config } from '../config.js';
import { HubError, badRequest, forbidden, notFound } from '../errors.js';
import { clip, findToken, isAutomatic, sameAddress, stripQuotedHistory, tokenOf } from '../rules/email.js';
import type { Store } from '../store/store.js';
import { storableText } from '../text.js';
import type { Messaging } from './messaging.js';

export interface InboundLog {
  warn(details: unknown, message: string): void;
}

/** Every address-looking string in a header value as mailparser gives it (text, address objects, lists). */
function addressesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.match(/[^\s<>,;:"]+@[^\s<>,;:"]+/g) ?? [];
  if (Array.isArray(value)) return value.flatMap(addressesIn);
  if (value && typeof value === 'object') {
    const { address, value: inner, group } = value as { address?: unknown; value?: unknown; group?: unknown };
    return [...(typeof address === 'string' ? [address] : []), ...addressesIn(inner), ...addressesIn(group)];
  }
  return [];
}

export class EmailInbound {
  #log: InboundLog = { warn: () => undefined };

  constructor(
    private readonly store: Store,
    private readonly messaging: Messaging,
    private readonly config: Config,
  ) {}

  useLog(log: InboundLog): void {
    this.#log = log;
  }

  /** Whether `address` is a reply address of a conversation (the SMTP listener refuses others at RCPT TO). */
  async knows(address: string): Promise<boolean> {
    const domain = this.config.inboundEmailDomain;
    const token = domain ? tokenOf(address, domain) : null;
    return token !== null && (await this.store.email.threadByToken(token)) !== undefined;
  }

  /**
   * Stores the reply in `raw` (an RFC 822 message). `envelope` is the SMTP envelope's recipients when there is one
   * (the listener), which count like the To and Cc headers. Throws a HubError for a refusal.
   */
  async receive(raw: Buffer, envelope: { rcptTo: string[]; remote?: string } = { rcptTo: [] }): Promise<InboundEmailResult> {
    try {
      return await this.#receive(raw, envelope.rcptTo);
    } catch (error) {
      if (error instanceof HubError) this.#log.warn({ code: error.code, reason: error.message, remote: envelope.remote }, 'inbound email refused');
      throw error;
    }
  }

  async #receive(raw: Buffer, rcptTo: string[]): Promise<InboundEmailResult> {
    const domain = this.config.inboundEmailDomain;
    if (!domain) throw notFound('Reply address (INBOUND_EMAIL_DOMAIN is not set)');
    if (raw.length > INBOUND_EMAIL_MAX_BYTES) throw new HubError('too_large', `An email may be ${INBOUND_EMAIL_MAX_BYTES} bytes at most`);
    // Loaded at the first inbound email: most hubs never receive one, and the parser is a tenth of a start.
    const { simpleParser } = await import('mailparser');
    const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const header = (name: string): string | null => {
      const value = mail.headers.get(name);
      return typeof value === 'string' ? value : value === undefined ? null : JSON.stringify(value);
    };
    const recipients = [
      ...rcptTo,
      ...addressesIn(mail.to),
      ...addressesIn(mail.cc),
      ...addressesIn(mail.headers.get('delivered-to')),
      ...addressesIn(mail.headers.get('x-original-to')),
    ];
    const token = findToken(recipients, domain);
    if (!token) throw badRequest('The email is not addressed to a reply address');
    const thread = await this.store.email.threadByToken(token);
    const record = thread ? await this.store.conversations.get(thread.conversation_id) : undefined;
    const contact = record ? await this.store.contacts.get(record.contactId) : undefined;
    const visitor = record ? await this.store.visitors.get(record.visitorId) : undefined;
    if (!record || !contact || !visitor) throw notFound('Reply address');
    const from = mail.from?.value[0]?.address ?? null;
    if (!sameAddress(from, contact.email)) throw forbidden("The sender is not the conversation's contact");
    if (isAutomatic(header)) throw badRequest('Automatic replies are not stored');
    const text = clip(storableText(stripQuotedHistory(mail.text ?? '')), this.config.maxMessageLength);
    if (text.trim().length === 0) throw badRequest('The email has no text of its own (only quoted history)');
    // The Message-ID names the email: a redelivery has the same one, so the same clientId, and is stored once.
    const id = mail.messageId ?? createHash('sha256').update(raw).digest('hex');
    const clientId = `email-${createHash('sha256').update(id).digest('base64url').slice(0, 43)}`;
    const sent = await this.messaging.visitorSend(visitor, clientId, text, undefined, [], { channel: 'email', conversationId: record.id });
    return { accepted: true, conversationId: sent.message.conversationId, messageId: sent.message.id, duplicate: sent.duplicate };
  }
}
