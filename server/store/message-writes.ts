/**
 * The message path's writes, inside the caller's (grouped) transaction: a visitor's message and an agent's reply,
 * each with its conversation's new state.
 *
 * A visitor's message takes six statements: the session's person, the person's lock, the resend check under it, the
 * conversation it goes to (locked), the insert, the update. On SQLite each is a function call; on PostgreSQL each was
 * a round trip, and those round trips were most of the hub's and the database's work per message
 * (docs/performance.md). There the same steps run in one call of a PL/pgSQL function (migrations 013 and 014), with
 * the same locks and the same snapshots. The SQLite steps below are the reference: the functions do exactly what
 * they do.
 *
 * On PostgreSQL the function's answer also carries what the conversation's summary shows of its contact (name,
 * email, tags; migration 019): the summary pushed for the message needs no read of its own (a round trip per message
 * on both hubs' side). There the session's person is read and locked in one statement. On SQLite the write reads it
 * too, in its transaction: 5 µs there, against 25–30 for the summaries' batched read after the commit (a read
 * transaction of its own, through Kysely's executor), and the hub's CPU in the delivery flow fell 10–15%.
 */
import type { Message, MessageChannel, TicketStatus } from '../../protocol/types.js';
import type { Db } from './base.js';
import type { ContactsRepo } from './contacts-repo.js';
import type { ConversationsRepo } from './conversations-repo.js';
import { type ConversationRecord, type Row, toConversation, toMessage } from './mappers.js';
import type { MessagesRepo } from './messages-repo.js';
import type { Dialect } from './migrations.js';
import type { VisitorsRepo } from './visitors-repo.js';
import { canSee } from '../rules/visibility.js';
import type { ContactsTable, ConversationsTable, MessagesTable, WebhookEndpointsTable } from './schema.js';
import { NeedsTransaction } from './group-commit.js';
import { BatchableCall, callFunction } from './statement-batch.js';

export interface VisitorMessageInput {
  /** The session: its person is read under the write (a merge may have moved it since the hub last looked). */
  visitorId: string;
  clientId: string;
  /** Write here if it is open and the contact's (an email reply names it); else in the contact's latest open one. */
  conversationId: string | null;
  channel: MessageChannel;
  text: string;
  /** The list row's last-message text. */
  preview: string;
  now: string;
  /** The ticket status after this message, by whether an agent has replied in the conversation (rules/ticket-status.ts). */
  ticketStatus(agentReplied: boolean): TicketStatus;
}

/**
 * The enabled webhook endpoints, read in the same round trip on PostgreSQL (the message's events are recorded in its
 * transaction: services/webhooks.ts); undefined on SQLite, where reading them costs no round trip.
 */
export type Endpoints = Pick<WebhookEndpointsTable, 'id' | 'events'>[] | undefined;

/** What a conversation's summary shows of its contact (services/views.ts). */
export type SummaryContact = Pick<ContactsTable, 'signed_name' | 'user_data' | 'email' | 'user_id'> & { tags: string[] };

export type VisitorWrite =
  /** The session has no row, or no person, yet: nothing was written. */
  | { noVisitor: true }
  | { resent: Message }
  /** The session's person has no open conversation: nothing was written, the person's lock is held. */
  | { noOpenConversation: true; contactId: string }
  | { before: ConversationRecord; message: Message; after: ConversationRecord; endpoints: Endpoints; contact?: SummaryContact };

export interface AgentMessageInput {
  conversationId: string;
  clientId: string;
  agentId: string;
  authorName: string;
  text: string;
  preview: string;
  now: string;
  ticketStatus: TicketStatus;
}

/** The reply and its conversation's new state; undefined (nothing written) when the conversation is gone. */
export type AgentWrite = { message: Message; after: ConversationRecord; endpoints: Endpoints; contact?: SummaryContact } | undefined;

/**
 * A reply written after checking, under the conversation's lock, what the hub would otherwise read the conversation
 * for (PostgreSQL: migration 016). `unchecked`: nothing was written; the reply takes the ordinary path.
 */
export type CheckedAgentWrite =
  | { unchecked: true }
  | { before: ConversationRecord; message: Message; after: ConversationRecord; endpoints: Endpoints; contact?: SummaryContact };

// Every parameter's type is named: the last one tells 014's functions from 013's, which stay for older hubs
// (migration 014). Since 019 each answer carries the summary's contact (`summary_contact`). The calls of a group's
// writes go as one statement (statement-batch.ts).
const texts = (count: number): string[] => Array.from({ length: count }, () => 'text');
const VISITOR_FUNCTION = new BatchableCall('switchboard_visitor_message', [...texts(9), 'boolean']);
const AGENT_FUNCTION = new BatchableCall('switchboard_agent_message', [...texts(8), 'boolean']);
const CHECKED_AGENT_FUNCTION = new BatchableCall('switchboard_checked_agent_reply', [...texts(3), 'boolean', ...texts(5), 'boolean']);

type Rows = {
  before?: ConversationsTable;
  message?: Row<MessagesTable>;
  after?: ConversationsTable;
  resent?: Row<MessagesTable>;
  none?: true;
  contact?: string;
  no_visitor?: true;
  needs_transaction?: true;
  unchecked?: true;
  endpoints?: Endpoints;
  summary_contact?: SummaryContact | null;
};
type Answer = { rows: Rows | null; contact: SummaryContact | undefined };

export class MessageWrites {
  constructor(
    private readonly dialect: Dialect,
    private readonly visitors: VisitorsRepo,
    private readonly contacts: ContactsRepo,
    private readonly conversations: ConversationsRepo,
    private readonly messages: MessagesRepo,
  ) {}

  /**
   * `tx` is the group's transaction, or on PostgreSQL a connection outside any when the write is alone in its group
   * (group-commit.ts): the function's call is then the whole transaction, and it throws NeedsTransaction, having
   * written nothing, when more must commit with it (webhook deliveries, a new conversation).
   */
  async visitorMessage(tx: Db, input: VisitorMessageInput): Promise<VisitorWrite> {
    if (this.dialect === 'postgres') {
      const { visitorId, clientId, conversationId, channel, text, preview, now } = input;
      const { rows, contact } = await call(tx, VISITOR_FUNCTION, [
        visitorId,
        clientId,
        conversationId,
        channel,
        text,
        preview,
        now,
        input.ticketStatus(false),
        input.ticketStatus(true),
        !tx.isTransaction,
      ]);
      if (rows?.needs_transaction) throw new NeedsTransaction();
      if (rows?.no_visitor) return { noVisitor: true };
      if (rows?.resent) return { resent: toMessage(rows.resent) };
      if (rows?.none && rows.contact) {
        // Alone, opening a conversation (statements of their own) needs a transaction too.
        if (!tx.isTransaction) throw new NeedsTransaction();
        return { noOpenConversation: true, contactId: rows.contact };
      }
      if (!rows?.before || !rows.message || !rows.after) throw new Error(`unexpected answer to a visitor message: ${JSON.stringify(rows)}`);
      return {
        before: toConversation(rows.before),
        message: toMessage(rows.message),
        after: toConversation(rows.after),
        endpoints: rows.endpoints,
        contact,
      };
    }
    // The session's person and their latest conversation in one statement (its contact is the person); the person
    // alone when they have none, or when the message names its conversation (an email reply).
    let current = input.conversationId === null ? await this.conversations.latestOfVisitor(input.visitorId, tx) : undefined;
    const contactId = current?.contactId ?? (await this.visitors.contactOf(input.visitorId, tx));
    if (!contactId) return { noVisitor: true };
    await this.contacts.lock(contactId, tx);
    const resent = await this.messages.findVisitorMessage(input.visitorId, input.clientId, tx);
    if (resent) return { resent };
    if (input.conversationId !== null) {
      current = await this.conversations.get(input.conversationId, tx, { forUpdate: true });
      if (!current || current.state === 'closed' || current.contactId !== contactId)
        current = await this.conversations.latest(contactId, tx, { forUpdate: true });
    }
    if (!current || current.state === 'closed') return { noOpenConversation: true, contactId };
    const { clientId, channel, text, now } = input;
    const message = await this.messages.insert(
      { conversationId: current.id, clientId, author: 'visitor', channel, agentId: null, authorName: null, text, createdAt: now },
      tx,
    );
    const after = await this.conversations.updateRead(
      current,
      {
        last_activity_at: now,
        last_message_author: 'visitor',
        last_message_text: input.preview,
        last_message_at: now,
        unread_count: current.unreadCount + 1,
        unreplied_count: current.unrepliedCount + 1,
        ticket_status: input.ticketStatus(current.agentReplied),
        outgoing: 0,
        last_visitor_at: now,
        expired: 0,
      },
      tx,
    );
    return { before: current, message, after, endpoints: undefined, contact: await this.contacts.summaryContact(after.contactId, tx) };
  }

  async agentMessage(tx: Db, input: AgentMessageInput): Promise<AgentWrite> {
    const { conversationId, clientId, agentId, authorName, text, preview, now, ticketStatus } = input;
    if (this.dialect === 'postgres') {
      const parameters = [conversationId, clientId, agentId, authorName, text, preview, now, ticketStatus, !tx.isTransaction];
      const { rows, contact } = await call(tx, AGENT_FUNCTION, parameters);
      if (rows?.needs_transaction) throw new NeedsTransaction();
      return rows?.message && rows.after
        ? { message: toMessage(rows.message), after: toConversation(rows.after), endpoints: rows.endpoints, contact }
        : undefined;
    }
    const after = await this.conversations.update(conversationId, agentReplyChanges(input), tx);
    if (!after) return undefined;
    const message = await this.messages.insert({ conversationId, clientId, author: 'agent', agentId, authorName, text, createdAt: now }, tx);
    return { message, after, endpoints: undefined, contact: await this.contacts.summaryContact(after.contactId, tx) };
  }

  /**
   * The reply if the conversation is open, held by the agent and visible to them, checked under the write's lock
   * instead of by a read before it; else `unchecked`, and nothing is written. PostgreSQL: one function call
   * (migration 016). SQLite: the same checks on the row read in this transaction (the hub's connection is the only
   * writer), which is also the `before` the reply's update starts from (conversations-repo.ts `updateRead`).
   */
  async checkedAgentMessage(tx: Db, input: AgentMessageInput & { admin: boolean }): Promise<CheckedAgentWrite> {
    const { conversationId, clientId, agentId, admin, authorName, text, preview, now, ticketStatus } = input;
    if (this.dialect === 'sqlite') {
      const before = await this.conversations.get(conversationId, tx);
      const agent = { id: agentId, role: admin ? ('admin' as const) : ('agent' as const) };
      if (!before || before.state === 'closed' || before.holderId !== agentId || !canSee(agent, before)) return { unchecked: true };
      const after = await this.conversations.updateRead(before, agentReplyChanges(input), tx);
      const message = await this.messages.insert({ conversationId, clientId, author: 'agent', agentId, authorName, text, createdAt: now }, tx);
      return { before, message, after, endpoints: undefined, contact: await this.contacts.summaryContact(after.contactId, tx) };
    }
    const parameters = [conversationId, clientId, agentId, admin, authorName, text, preview, now, ticketStatus, !tx.isTransaction];
    const { rows, contact } = await call(tx, CHECKED_AGENT_FUNCTION, parameters);
    if (rows?.needs_transaction) throw new NeedsTransaction();
    if (rows?.unchecked) return { unchecked: true };
    if (!rows?.before || !rows.message || !rows.after) throw new Error(`unexpected answer to a checked reply: ${JSON.stringify(rows)}`);
    return { before: toConversation(rows.before), message: toMessage(rows.message), after: toConversation(rows.after), endpoints: rows.endpoints, contact };
  }
}

async function call(tx: Db, statement: BatchableCall, parameters: unknown[]): Promise<Answer> {
  const rows = await callFunction<Rows>(tx, statement, parameters);
  return { rows, contact: rows?.summary_contact ?? undefined };
}

/** What an agent's reply changes in its conversation (the same columns as 014's and 016's functions). */
function agentReplyChanges({ ticketStatus, now, preview }: AgentMessageInput): Partial<ConversationsTable> {
  return {
    agent_replied: 1,
    unread_count: 0,
    unreplied_count: 0,
    expired: 0,
    ticket_status: ticketStatus,
    last_activity_at: now,
    last_message_author: 'agent',
    last_message_text: preview,
    last_message_at: now,
  };
}
