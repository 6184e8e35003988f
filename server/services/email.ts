/**
 * Email continuity, outbound (README "Email continuity"):
 *
 * - **Unseen replies.** When an agent replies (`agentReplied`, after the message committed) and the feature is on, the
 *   conversation's thread (store/email-repo.ts) becomes due `delayMinutes` later, unless it is due already. When it is
 *   due, the worker emails the contact every agent reply after the last email that the visitor has not read (no
 *   `read_at`), in one email, unless the visitor is online then or has no known email. The email has a link back to
 *   the chat (`rules/email.ts` `chatLink`) and, with `INBOUND_EMAIL_DOMAIN`, a `reply+<token>@domain` Reply-To whose
 *   answers come back through services/email-inbound.ts.
 * - **Escalations.** When a conversation escalates (`escalated`), every agent who asked for it (`emailOnEscalation`),
 *   may see the conversation and is offline gets an email.
 * - **The queue.** Every email is stored first (`email_outbox`) and sent by whichever hub claims it, with a lease, like
 *   the webhook deliveries; a failure is retried with the webhooks' backoff for 24 h (a recipient refused with a 5xx
 *   fails at once). Nothing is sent while `SMTP_URL` is unset.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EMAIL_DELAY_MINUTES, type EmailSettings, type EmailSettingsInput } from '../../protocol/email.js';
import type { Message, UserData } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { badRequest, forbidden } from '../errors.js';
import type { HubMetrics } from '../metrics.js';
import { chatLink, encodeToken, escalationEmail, httpUrl, replyAddress, replyEmail } from '../rules/email.js';
import type { Actor } from '../rules/handoff.js';
import { canSee } from '../rules/visibility.js';
import { LEASE_MS, afterFailure } from '../rules/webhooks.js';
import { type ConversationRecord, json } from '../store/mappers.js';
import type { ContactsTable, EmailOutboxTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';
import type { MailTransport } from './mail-transport.js';

export interface EmailLog {
  error(details: unknown, message: string): void;
}

interface StoredSettings {
  enabled: boolean;
  delayMinutes: number;
  chatUrl: string | null;
}

const SETTINGS_KEY = 'email';
const DEFAULTS: StoredSettings = { enabled: false, delayMinutes: EMAIL_DELAY_MINUTES.default, chatUrl: null };
const CLAIM_BATCH = 10;
const MAX_ROUNDS = 50;
const THREAD_BATCH = 50;
const PRUNE_EVERY_MS = 3_600_000;

/** A plausible single address (what is emailed must not be a list or carry header syntax). */
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** The person's first name for "Hi …": the signed name's first word, else what the page sent. */
function firstName(contact: ContactsTable): string | null {
  const data = json<UserData>(contact.user_data, {});
  return contact.signed_name?.split(/\s+/)[0] || data.first_name || null;
}

function displayName(contact: ContactsTable | undefined): string {
  if (!contact) return 'A visitor';
  const data = json<UserData>(contact.user_data, {});
  return contact.signed_name || [data.first_name, data.last_name].filter(Boolean).join(' ') || 'A visitor';
}

export class Email {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #again = false;
  #started = false;
  #stopped = false;
  #lastPrune = Number.NEGATIVE_INFINITY;
  #log: EmailLog = { error: () => undefined };

  constructor(
    private readonly store: Store,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly config: Config,
    metrics: HubMetrics,
    private readonly transport: MailTransport | null,
  ) {
    metrics.queueDepth('emails', () => (this.transport ? store.email.depth() : 0));
  }

  #now(): string {
    return this.clock.now().toISOString();
  }

  // ------------------------------------------------------------ settings

  async #stored(): Promise<StoredSettings> {
    return { ...DEFAULTS, ...((await this.store.settings.get<Partial<StoredSettings>>(SETTINGS_KEY)) ?? {}) };
  }

  async settings(actor: Actor): Promise<EmailSettings> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can manage email');
    const stored = await this.#stored();
    return {
      ...stored,
      smtpConfigured: this.transport !== null,
      inboundSmtp: this.config.inboundSmtpPort !== null,
      inboundHttp: this.config.inboundEmailToken !== null,
      replyDomain: this.config.inboundEmailDomain,
    };
  }

  async setSettings(actor: Actor, input: EmailSettingsInput): Promise<EmailSettings> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can manage email');
    const next = { ...(await this.#stored()) };
    if (input.enabled !== undefined) next.enabled = input.enabled;
    if (input.delayMinutes !== undefined) next.delayMinutes = input.delayMinutes;
    if (input.chatUrl !== undefined) {
      const text = input.chatUrl?.trim() ?? '';
      if (text && !httpUrl(text)) throw badRequest('The chat page must be an http(s) URL', 'chatUrl');
      next.chatUrl = text ? (httpUrl(text)?.href ?? null) : null;
    }
    await this.store.settings.put(SETTINGS_KEY, next);
    return this.settings(actor);
  }

  // ------------------------------------------------------------ what raises an email

  /**
   * An agent's reply committed: when the feature is on, the conversation's unseen replies become due `delayMinutes`
   * from now (unless they already are due earlier). Never throws: the reply is sent either way.
   */
  async agentReplied(record: ConversationRecord, message: Message): Promise<void> {
    if (!this.transport) return;
    try {
      const settings = await this.#stored();
      if (!settings.enabled) return;
      // A new thread starts just before this reply: older replies (sent while the feature was off) are not emailed.
      await this.#thread(record.id, message.id - 1);
      await this.store.email.schedule(record.id, new Date(this.clock.now().getTime() + settings.delayMinutes * 60_000).toISOString());
    } catch (error) {
      this.#log.error({ err: error, conversationId: record.id }, 'email follow-up not scheduled');
    }
  }

  /** The conversation's thread, created (with a new random reply token) when it has none. */
  #thread(conversationId: string, emailedId: number) {
    return this.store.email.ensureThread({
      conversation_id: conversationId,
      token: encodeToken(randomBytes(20)),
      due_at: null,
      emailed_id: emailedId,
      last_sent_at: null,
      created_at: this.#now(),
    });
  }

  /** The conversation's reply address (`reply+<token>@INBOUND_EMAIL_DOMAIN`); null without that domain. */
  async replyAddress(conversationId: string): Promise<string | null> {
    const domain = this.config.inboundEmailDomain;
    if (!domain) return null;
    const thread = await this.#thread(conversationId, await this.store.messages.lastId(conversationId));
    return replyAddress(thread.token, domain);
  }

  /**
   * The conversation just escalated: an email to each agent who asked for one, may see it, and is offline now.
   * `visitorText` is what the visitor wrote. Never throws.
   */
  async escalated(record: ConversationRecord, visitorText: string | null): Promise<void> {
    if (!this.transport || !this.config.mailFrom) return;
    try {
      const agents = (await this.store.agents.escalationSubscribers()).filter((a) => canSee({ id: a.id, role: a.role as Actor['role'] }, record));
      const offline = [];
      for (const agent of agents) if (ADDRESS.test(agent.email) && !(await this.broadcaster.agentOnline(agent.id))) offline.push(agent);
      if (offline.length === 0) return;
      const [contact, site] = await Promise.all([this.store.contacts.get(record.contactId), this.store.settings.getSite(record.siteId)]);
      const now = this.#now();
      const rows = offline.map((agent) => {
        const { subject, body } = escalationEmail({
          agentName: agent.name,
          visitorName: displayName(contact),
          visitorEmail: contact?.email ?? null,
          lastMessage: visitorText,
          conversationId: record.id,
          siteName: site?.name ?? record.siteId,
        });
        return this.#mail({ kind: 'escalation', conversationId: record.id, to: agent.email, subject, body, replyTo: null, now });
      });
      await this.store.email.enqueue(rows);
      this.kick();
    } catch (error) {
      this.#log.error({ err: error, conversationId: record.id }, 'escalation emails not stored');
    }
  }

  #mail(input: { kind: string; conversationId: string; to: string; subject: string; body: string; replyTo: string | null; now: string }): EmailOutboxTable {
    const domain = /@([^\s>]+)>?\s*$/.exec(this.config.mailFrom ?? '')?.[1] ?? 'switchboard.invalid';
    return {
      id: randomUUID(),
      kind: input.kind,
      conversation_id: input.conversationId,
      to_address: input.to,
      subject: input.subject,
      body: input.body,
      reply_to: input.replyTo,
      message_id: `<${randomUUID()}@${domain}>`,
      status: 'pending',
      attempts: 0,
      next_attempt_at: input.now,
      lease_until: null,
      lease_token: null,
      last_error: null,
      created_at: input.now,
      sent_at: null,
    };
  }

  // ------------------------------------------------------------ due threads → the queue

  /** Every thread due now: its email stored (or nothing, if the visitor has seen it all or is here). */
  async #queueDueReplies(): Promise<number> {
    const now = this.#now();
    const ids = await this.store.email.dueThreads(now, THREAD_BATCH);
    if (ids.length === 0) return 0;
    const settings = await this.#stored();
    let queued = 0;
    for (const id of ids) if (await this.#threadDue(id, now, settings)) queued++;
    return queued;
  }

  async #threadDue(conversationId: string, now: string, settings: StoredSettings): Promise<boolean> {
    const record = await this.store.conversations.get(conversationId);
    const [contact, site, online] = record
      ? await Promise.all([
          this.store.contacts.get(record.contactId),
          this.store.settings.getSite(record.siteId),
          this.broadcaster.contactOnline(record.contactId),
        ])
      : [undefined, undefined, false];
    const to = contact?.email && ADDRESS.test(contact.email) ? contact.email : null;
    return this.store.transaction(async (tx) => {
      // Taken (no longer due) in this transaction: another hub may have taken it meanwhile.
      const thread = await this.store.email.takeDue(conversationId, now, tx);
      if (!thread) return false;
      const mayEmail = record && contact && to && settings.enabled && !online && this.config.mailFrom;
      const replies = mayEmail ? await this.store.messages.unseenAgentReplies(conversationId, thread.emailed_id, tx) : [];
      const last = replies.at(-1);
      // Seen, or the visitor is here, or nobody to write to: nothing waits now (the next reply starts a new wait).
      if (!record || !contact || !to || !last) return false;
      const domain = this.config.inboundEmailDomain;
      const { subject, body } = replyEmail({
        firstName: firstName(contact),
        siteName: site?.name ?? record.siteId,
        replies: replies.map((m) => ({ authorName: m.authorName, text: m.text })),
        link: chatLink(settings.chatUrl, site ? json<string[]>(site.allowed_origins, []) : []),
        replyable: domain !== null,
      });
      const replyTo = domain ? replyAddress(thread.token, domain) : null;
      await this.store.email.enqueue([this.#mail({ kind: 'visitor_reply', conversationId, to, subject, body, replyTo, now })], tx);
      await this.store.email.updateThread(conversationId, { emailed_id: last.id, last_sent_at: now }, tx);
      return true;
    });
  }

  // ------------------------------------------------------------ the worker

  /** A mail was stored: run the worker now rather than at the next tick (when it runs at all). */
  kick(): void {
    if (!this.#started || this.#stopped) return;
    setImmediate(() => void this.runDue().catch((error: unknown) => this.#log.error({ err: error }, 'email run failed')));
  }

  /** Starts this hub's worker once the hub listens; off without SMTP_URL, or with `EMAIL_POLL_MS` = 0. */
  start(log: EmailLog): void {
    this.#log = log;
    if (!this.transport || this.config.emailPollMs <= 0 || this.#started) return;
    this.#started = true;
    const tick = () => void this.runDue().catch((error: unknown) => this.#log.error({ err: error }, 'email run failed'));
    this.#timer = setInterval(tick, this.config.emailPollMs);
    this.#timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
    this.transport?.close();
  }

  /**
   * Queues the emails of the threads due now, then sends every mail due now (claimed by this hub); resolves with the
   * number of send attempts. One run at a time per hub (a call during a run makes it go round once more). Tests call it.
   */
  runDue(): Promise<number> {
    if (!this.transport) return Promise.resolve(0);
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      let attempts = 0;
      do {
        this.#again = false;
        await this.#prune();
        await this.#queueDueReplies();
        attempts += await this.#sendDue();
      } while (this.#again && !this.#stopped);
      return attempts;
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #sendDue(): Promise<number> {
    const transport = this.transport;
    if (!transport || !this.config.mailFrom) return 0;
    const from = this.config.mailFrom;
    let attempts = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.#stopped; round++) {
      const now = this.clock.now();
      const token = randomUUID();
      const claimed = await this.store.email.claimDue(now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString(), token, CLAIM_BATCH);
      if (claimed.length === 0) break;
      await Promise.all(
        claimed.map(async (mail) => {
          const result = await transport.send({
            from,
            to: mail.to_address,
            subject: mail.subject,
            text: mail.body,
            replyTo: mail.reply_to,
            messageId: mail.message_id,
          });
          const tries = Number(mail.attempts) + 1;
          const next = result.ok || result.permanent ? null : afterFailure(mail.created_at, this.clock.now(), tries);
          await this.store.email.finish(mail.id, token, {
            status: result.ok ? 'sent' : next?.status === 'pending' ? 'pending' : 'failed',
            attempts: tries,
            last_error: result.ok ? null : result.error,
            next_attempt_at: next?.status === 'pending' ? next.nextAttemptAt : null,
            sent_at: result.ok ? this.#now() : null,
          });
          if (!result.ok) this.#log.error({ mail: mail.id, kind: mail.kind, error: result.error, permanent: result.permanent }, 'email not sent');
        }),
      );
      attempts += claimed.length;
    }
    return attempts;
  }

  async #prune(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    await this.store.email.prune(new Date(now - this.config.retentionDays * 86_400_000).toISOString());
  }
}
