/**
 * What the hub does with conversations, shared by the socket handlers and the REST routes:
 * each operation runs validate (done by the caller) → authorise → rule → store → broadcast.
 */
import type { Namespace, Server } from 'socket.io';
import type { AgentClientToServer, AgentServerToClient, VisitorClientToServer, VisitorServerToClient } from '../../protocol/events.js';
import type { ConversationSummary, Message, Note, TicketStatus, VisitorConversation } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { HubError, forbidden, notFound } from '../errors.js';
import { type Actor, checkClaim, checkRelease } from '../rules/handoff.js';
import { autoUnmuteCutoff, botMayAnswer, unmuteAt } from '../rules/mute.js';
import { retentionCutoff } from '../rules/retention.js';
import { CAN_GO_INACTIVE, afterAgentReply, afterVisitorMessage, inactiveCutoff } from '../rules/ticket-status.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { VisitorsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { BotService } from './bot-service.js';

export type VisitorNamespace = Namespace<VisitorClientToServer, VisitorServerToClient>;
export type AgentNamespace = Namespace<AgentClientToServer, AgentServerToClient>;

/** How long a cached agent name may be shown after a rename on another hub. */
const AGENT_NAME_TTL_MS = 10_000;

export const rooms = {
  visitor: (id: string) => `visitor:${id}`,
  agent: (id: string) => `agent:${id}`,
  watch: (conversationId: string) => `watch:${conversationId}`,
  allAgents: 'agents',
  admins: 'admins',
};

export class ChatService {
  readonly visitors: VisitorNamespace;
  readonly agents: AgentNamespace;

  constructor(
    private readonly store: Store,
    private readonly bot: BotService,
    private readonly clock: Clock,
    private readonly config: Config,
    io: Server,
  ) {
    this.visitors = io.of('/visitor') as VisitorNamespace;
    this.agents = io.of('/agent') as AgentNamespace;
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  // ------------------------------------------------------------ presence (every hub's sockets)

  visitorOnline(visitorId: string): Promise<boolean> {
    return this.anyoneIn(this.visitors, rooms.visitor(visitorId));
  }

  agentOnline(agentId: string): Promise<boolean> {
    return this.anyoneIn(this.agents, rooms.agent(agentId));
  }

  agentsOnline(): Promise<boolean> {
    return this.anyoneIn(this.agents, rooms.allAgents);
  }

  /**
   * Whether any socket is in `room`. This process's rooms answer most questions; only when the room
   * is empty here and other hubs share the adapter (Redis) do we ask them, which costs a round trip.
   */
  private async anyoneIn(nsp: VisitorNamespace | AgentNamespace, room: string): Promise<boolean> {
    if ((nsp.adapter.rooms.get(room)?.size ?? 0) > 0) return true;
    if (!this.config.redisUrl) return false;
    return (await nsp.in(room).fetchSockets()).length > 0;
  }

  // ------------------------------------------------------------ views

  /** @param visitorRow the visitor's row when the caller has just read it (saves a query per message). */
  async summary(record: ConversationRecord, visitorRow?: VisitorsTable): Promise<ConversationSummary> {
    const [visitor, holderName, online] = await Promise.all([
      visitorRow ?? this.store.getVisitor(record.visitorId),
      this.#agentName(record.holderId),
      this.visitorOnline(record.visitorId),
    ]);
    const userData = visitor ? (JSON.parse(visitor.user_data) as { first_name?: string; last_name?: string; email?: string }) : {};
    const name = [userData.first_name, userData.last_name].filter(Boolean).join(' ') || userData.email || 'Visitor';
    return {
      id: record.id,
      visitorId: record.visitorId,
      visitor: { name, email: userData.email ?? null, verified: visitor?.verified === 1, online },
      channel: record.channel,
      language: record.language,
      createdAt: record.createdAt,
      lastActivityAt: record.lastActivityAt,
      botStatus: record.botStatus,
      ticketStatus: record.ticketStatus,
      state: record.state,
      muted: record.muted,
      mutedAt: record.mutedAt,
      mutedBy: record.mutedBy,
      unmuteAt: record.muted ? unmuteAt(record.mutedAt, this.config.muteHours) : null,
      holderId: record.holderId,
      holderName,
      assignees: record.assignees,
      visibleTo: record.visibleTo,
      tags: record.tags,
      unreadCount: record.unreadCount,
      unrepliedCount: record.unrepliedCount,
      lastMessage:
        record.lastMessageAuthor && record.lastMessageAt
          ? { author: record.lastMessageAuthor, text: record.lastMessageText ?? '', createdAt: record.lastMessageAt }
          : null,
    };
  }

  async visitorView(record: ConversationRecord): Promise<VisitorConversation> {
    const holderName = await this.#agentName(record.holderId);
    return {
      id: record.id,
      state: record.state,
      handler: holderName !== null ? { kind: 'agent', name: holderName } : { kind: 'bot' },
      createdAt: record.createdAt,
    };
  }

  /**
   * Agent display names, needed for every summary (the holder). Cached briefly: they change rarely,
   * a rename on this hub clears the entry, and one on another hub shows within AGENT_NAME_TTL_MS.
   */
  readonly #agentNames = new Map<string, { name: string | null; at: number }>();

  async #agentName(agentId: string | null): Promise<string | null> {
    if (!agentId) return null;
    const now = Date.now();
    const cached = this.#agentNames.get(agentId);
    if (cached && now - cached.at < AGENT_NAME_TTL_MS) return cached.name;
    const name = (await this.store.getAgent(agentId))?.name ?? null;
    if (this.#agentNames.size > 10_000) this.#agentNames.clear();
    this.#agentNames.set(agentId, { name, at: now });
    return name;
  }

  forgetAgentName(agentId: string): void {
    this.#agentNames.delete(agentId);
  }

  canSee(actor: Actor, record: ConversationRecord): boolean {
    return actor.role === 'admin' || record.visibleTo.length === 0 || record.visibleTo.includes(actor.id);
  }

  /** The conversation if the actor may see it; otherwise 404, so ids of hidden conversations don't leak. */
  async visibleConversation(actor: Actor, id: string): Promise<ConversationRecord> {
    const record = await this.store.getConversation(id);
    if (!record || !this.canSee(actor, record)) throw notFound('Conversation');
    return record;
  }

  // ------------------------------------------------------------ broadcasting

  #agentRooms(record: ConversationRecord): string[] {
    return record.visibleTo.length === 0 ? [rooms.allAgents] : [rooms.admins, ...record.visibleTo.map(rooms.agent)];
  }

  async publish(
    record: ConversationRecord,
    changes: { message?: Message; visitorUpdate?: boolean; exceptSocket?: string; visitor?: VisitorsTable },
  ): Promise<ConversationSummary> {
    const agents = this.agents.to(this.#agentRooms(record));
    // The message first: it is what people wait for; the list summary needs more queries.
    if (changes.message) {
      agents.emit('message:new', changes.message);
      const toVisitor = this.visitors.to(rooms.visitor(record.visitorId));
      (changes.exceptSocket ? toVisitor.except(changes.exceptSocket) : toVisitor).emit('message:new', changes.message);
    }
    const summary = await this.summary(record, changes.visitor);
    agents.emit('conversation:updated', summary);
    if (changes.visitorUpdate) this.visitors.to(rooms.visitor(record.visitorId)).emit('conversation:updated', await this.visitorView(record));
    return summary;
  }

  // ------------------------------------------------------------ visitor side

  checkLength(text: string): string {
    const trimmed = text.trim();
    if (trimmed.length === 0) throw new HubError('bad_request', 'Message text is empty');
    if (text.length > this.config.maxMessageLength) {
      throw new HubError('too_large', `Message is longer than ${this.config.maxMessageLength} characters`);
    }
    return text;
  }

  /** A visitor message: stored exactly once, answered by the bot unless muted or taken over. */
  async visitorSend(
    visitor: VisitorsTable,
    clientId: string,
    text: string,
    socketId?: string,
  ): Promise<{ message: Message; conversation: VisitorConversation }> {
    this.checkLength(text);
    const now = this.now();
    let record: ConversationRecord | undefined;
    let opened = false;
    const { message, duplicate } = await this.store.deduplicated(
      () => this.store.findVisitorMessage(visitor.id, clientId),
      () =>
        this.store.transaction(async (tx) => {
          await this.store.lockVisitor(visitor.id, tx);
          // The resend check runs under the lock, in the same transaction: no separate round trip first.
          const resent = await this.store.findVisitorMessage(visitor.id, clientId, tx);
          if (resent) return { resent };
          // Locked too, so an agent's reply can't interleave with this read-modify-write of the counters.
          record = await this.store.latestConversation(visitor.id, tx, { forUpdate: true });
          if (!record || record.state === 'closed') {
            record = await this.store.createConversation(tx, { visitor, now });
            opened = true;
          }
          const stored = await this.store.insertMessage(
            { conversationId: record.id, clientId, author: 'visitor', agentId: null, authorName: null, text, createdAt: now },
            tx,
          );
          record = await this.store.updateConversation(
            record.id,
            {
              last_activity_at: now,
              last_message_author: 'visitor',
              last_message_text: text.slice(0, 280),
              last_message_at: now,
              unread_count: record.unreadCount + 1,
              unreplied_count: record.unrepliedCount + 1,
              ticket_status: afterVisitorMessage(record.agentReplied),
            },
            tx,
          );
          return stored;
        }),
      { checkFirst: false },
    );
    if (duplicate || !record) {
      const existing = record ?? (await this.store.getConversation(message.conversationId));
      if (!existing) throw notFound('Conversation');
      return { message, conversation: await this.visitorView(existing) };
    }
    await this.publish(record, { message, visitorUpdate: opened, exceptSocket: socketId, visitor });
    if (botMayAnswer(record)) void this.#botAnswer(record, text).catch(() => undefined);
    return { message, conversation: await this.visitorView(record) };
  }

  async #botAnswer(record: ConversationRecord, text: string): Promise<void> {
    const reply = await this.bot.reply(text, this.clock.now());
    const now = this.now();
    // Re-read: an agent may have taken over while the bot was thinking.
    const fresh = await this.store.getConversation(record.id);
    if (!fresh || !botMayAnswer(fresh)) return;
    const message = await this.store.insertMessage({
      conversationId: record.id,
      clientId: null,
      author: 'bot',
      agentId: null,
      authorName: reply.botName,
      text: reply.text,
      choices: reply.choices,
      createdAt: now,
    });
    const updated = await this.store.updateConversation(record.id, {
      bot_status: reply.botStatus,
      last_activity_at: now,
      last_message_author: 'bot',
      last_message_text: reply.text.slice(0, 280),
      last_message_at: now,
    });
    if (updated) await this.publish(updated, { message });
  }

  // ------------------------------------------------------------ agent side

  async #systemMessage(record: ConversationRecord, text: string): Promise<Message> {
    const now = this.now();
    return this.store.insertMessage({
      conversationId: record.id,
      clientId: null,
      author: 'system',
      agentId: null,
      authorName: null,
      text,
      createdAt: now,
    });
  }

  /** Take over: the bot is muted and the visitor sees "‹Agent› joined". */
  async claim(actor: Actor, conversationId: string, force = false): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    if (record.state === 'closed') throw new HubError('closed', 'The conversation is closed; reopen it first');
    const holder = record.holderId ? await this.store.getAgent(record.holderId) : undefined;
    checkClaim(record.holderId, holder?.name ?? null, actor, force);
    if (record.holderId === actor.id) return this.summary(record);
    if (!(await this.store.claim(record.id, actor.id, this.now(), force))) {
      const now = await this.store.getConversation(record.id);
      const winner = now?.holderId ? await this.store.getAgent(now.holderId) : undefined;
      throw new HubError('already_claimed', `${winner?.name ?? 'Another agent'} is already handling this conversation`);
    }
    if (holder) await this.#announce(record, `${holder.name} left the conversation`);
    await this.#announce(record, `${actor.name} joined the conversation`);
    const updated = await this.store.getConversation(record.id);
    if (!updated) throw notFound('Conversation');
    return this.publish(updated, { visitorUpdate: true });
  }

  async #announce(record: ConversationRecord, text: string): Promise<Message> {
    const message = await this.#systemMessage(record, text);
    this.visitors.to(rooms.visitor(record.visitorId)).emit('message:new', message);
    this.agents.to(this.#agentRooms(record)).emit('message:new', message);
    return message;
  }

  /** Hand back to the bot: unmutes it. */
  async release(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    checkRelease(record.holderId, actor);
    const holder = record.holderId ? await this.store.getAgent(record.holderId) : undefined;
    const updated = await this.store.updateConversation(record.id, { holder_id: null, muted: 0, muted_at: null, muted_by: null });
    if (!updated) throw notFound('Conversation');
    await this.#announce(record, `${holder?.name ?? actor.name} left the conversation`);
    return this.publish(updated, { visitorUpdate: true });
  }

  async mute(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    if (record.muted) return this.summary(record);
    const updated = await this.store.updateConversation(record.id, { muted: 1, muted_at: this.now(), muted_by: actor.id });
    if (!updated) throw notFound('Conversation');
    return this.publish(updated, {});
  }

  /** Unmuting lets the bot answer again, so it also hands a taken-over conversation back. */
  async unmute(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    if (record.holderId) return this.release(actor, conversationId);
    const updated = await this.store.updateConversation(record.id, { muted: 0, muted_at: null, muted_by: null });
    if (!updated) throw notFound('Conversation');
    return this.publish(updated, {});
  }

  async agentSend(actor: Actor, conversationId: string, clientId: string, text: string): Promise<{ message: Message; conversation: ConversationSummary }> {
    this.checkLength(text);
    let record = await this.visibleConversation(actor, conversationId);
    if (record.state === 'closed') throw new HubError('closed', 'The conversation is closed; reopen it first');
    // Writing to a conversation nobody holds takes it over (first claim wins).
    if (record.holderId !== actor.id) {
      await this.claim(actor, record.id);
      record = await this.visibleConversation(actor, conversationId);
    }
    const now = this.now();
    let updated: ConversationRecord | undefined;
    // The message and the conversation's new state commit together (one commit, one fsync on PostgreSQL).
    const { message, duplicate } = await this.store.deduplicated(
      () => this.store.findMessage(record.id, clientId),
      () =>
        this.store.transaction(async (tx) => {
          const stored = await this.store.insertMessage(
            { conversationId: record.id, clientId, author: 'agent', agentId: actor.id, authorName: actor.name, text, createdAt: now },
            tx,
          );
          updated = await this.store.updateConversation(
            record.id,
            {
              agent_replied: 1,
              unread_count: 0,
              unreplied_count: 0,
              ticket_status: afterAgentReply(),
              last_activity_at: now,
              last_message_author: 'agent',
              last_message_text: text.slice(0, 280),
              last_message_at: now,
            },
            tx,
          );
          return stored;
        }),
    );
    if (duplicate) return { message, conversation: await this.summary(record) };
    if (!updated) throw notFound('Conversation');
    return { message, conversation: await this.publish(updated, { message }) };
  }

  async markRead(actor: Actor, conversationId: string): Promise<void> {
    const record = await this.visibleConversation(actor, conversationId);
    if (record.unreadCount === 0) return;
    const updated = await this.store.updateConversation(record.id, { unread_count: 0 });
    if (updated) await this.publish(updated, {});
  }

  async addNote(actor: Actor, conversationId: string, text: string): Promise<Note> {
    const record = await this.visibleConversation(actor, conversationId);
    const note = await this.store.addNote({ conversationId: record.id, agentId: actor.id, agentName: actor.name, text, createdAt: this.now() });
    // Notes are private: only agent rooms, never the visitor's.
    this.agents.to(this.#agentRooms(record)).emit('note:new', note);
    return note;
  }

  async setTags(actor: Actor, conversationId: string, tags: string[]): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
    return this.#change(record, { tags: JSON.stringify(clean) });
  }

  async setAssignees(actor: Actor, conversationId: string, agentIds: string[]): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    return this.#change(record, { assignees: JSON.stringify(await this.#knownAgents(agentIds)) });
  }

  async setVisibility(actor: Actor, conversationId: string, agentIds: string[]): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    const ids = await this.#knownAgents(agentIds);
    // An agent restricting visibility keeps it for themself, or they would lock themselves out.
    if (actor.role !== 'admin' && ids.length > 0 && !ids.includes(actor.id)) ids.push(actor.id);
    const before = record.visibleTo.length === 0 ? null : new Set(record.visibleTo);
    const summary = await this.#change(record, { visible_to: JSON.stringify(ids) });
    // Agents who lost sight of it drop it from their lists.
    if (ids.length > 0) {
      const lost = before ? [...before].filter((id) => !ids.includes(id)) : null;
      const target = lost ? this.agents.to(lost.map(rooms.agent)) : this.agents.to(rooms.allAgents).except([rooms.admins, ...ids.map(rooms.agent)]);
      if (!lost || lost.length > 0) target.emit('conversation:deleted', { conversationId: record.id, visitorId: record.visitorId });
    }
    return summary;
  }

  async #knownAgents(agentIds: string[]): Promise<string[]> {
    const ids = [...new Set(agentIds)];
    for (const id of ids) if (!(await this.store.getAgent(id))) throw new HubError('bad_request', `Unknown agent ${id}`);
    return ids;
  }

  async setTicketStatus(actor: Actor, conversationId: string, status: TicketStatus): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    return this.#change(record, { ticket_status: status });
  }

  async close(actor: Actor, conversationId: string, ticketStatus: TicketStatus = 'resolved'): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    if (record.state === 'closed') return this.summary(record);
    return this.#change(record, { state: 'closed', ticket_status: ticketStatus, holder_id: null, muted: 0, muted_at: null, muted_by: null }, true);
  }

  async reopen(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await this.visibleConversation(actor, conversationId);
    if (record.state === 'open') return this.summary(record);
    return this.#change(record, { state: 'open', ticket_status: record.agentReplied ? 'active' : 'new', last_activity_at: this.now() }, true);
  }

  async #change(record: ConversationRecord, changes: Parameters<Store['updateConversation']>[1], visitorUpdate = false): Promise<ConversationSummary> {
    const updated = await this.store.updateConversation(record.id, changes);
    if (!updated) throw notFound('Conversation');
    return this.publish(updated, { visitorUpdate });
  }

  async deleteConversation(actor: Actor, conversationId: string): Promise<void> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can delete conversations');
    const record = await this.visibleConversation(actor, conversationId);
    await this.store.deleteConversation(record.id);
    this.agents.to(this.#agentRooms(record)).emit('conversation:deleted', { conversationId: record.id, visitorId: record.visitorId });
    this.visitors.to(rooms.visitor(record.visitorId)).emit('conversation:updated', { ...(await this.visitorView(record)), state: 'closed' });
  }

  /** Erase a visitor: their data, conversations and sessions. Admin only. */
  async deleteVisitor(actor: Actor, visitorId: string): Promise<number> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can delete visitors');
    if (!(await this.store.getVisitor(visitorId))) throw notFound('Visitor');
    const ids = await this.store.deleteVisitor(visitorId);
    for (const conversationId of ids) this.agents.to(rooms.allAgents).emit('conversation:deleted', { conversationId, visitorId });
    const room = this.visitors.to(rooms.visitor(visitorId));
    room.emit('session:reset');
    room.disconnectSockets(true);
    return ids.length;
  }

  // ------------------------------------------------------------ time-driven rules

  /**
   * Applies auto-unmute and inactivity. Driven by the database (UPDATE … RETURNING), so with
   * several hub processes each change happens once, whichever process runs it.
   */
  async sweep(): Promise<{ unmuted: string[]; inactive: string[] }> {
    const now = this.clock.now();
    const unmuted = await this.store.unmuteExpired(autoUnmuteCutoff(now, this.config.muteHours));
    for (const id of unmuted) {
      const record = await this.store.getConversation(id);
      if (record) await this.publish(record, { visitorUpdate: true });
    }
    const inactive = await this.store.markInactive(inactiveCutoff(now, this.config.inactiveHours), CAN_GO_INACTIVE);
    for (const id of inactive) {
      const record = await this.store.getConversation(id);
      if (record) await this.publish(record, {});
    }
    return { unmuted, inactive };
  }

  retentionCutoff(): string {
    return retentionCutoff(this.clock.now(), this.config.retentionDays);
  }
}
