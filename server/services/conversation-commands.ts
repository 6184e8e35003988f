/**
 * What agents do to a conversation besides writing: take over, hand back, mute, tag, assign,
 * restrict, set the ticket status, close, reopen, delete. Each runs authorise → rule → store → publish.
 */
import type { ConversationSummary, Role, TicketStatus } from '../../protocol/types.js';
import { LIMITS } from '../../protocol/limits.js';
import type { Clock } from '../clock.js';
import { badRequest, forbidden, HubError, notFound } from '../errors.js';
import { checkTags } from '../rules/contact-fields.js';
import { type Actor, checkClaim, checkClose, checkRelease } from '../rules/handoff.js';
import { canSee } from '../rules/visibility.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { AgentsTable, ConversationsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { visibleConversation } from './access.js';
import type { Attachments } from './attachments.js';
import type { Broadcaster } from './broadcaster.js';
import { tagCatalogue } from './contacts.js';
import type { Publisher } from './publisher.js';
import { inboxFields, type Views } from './views.js';
import { conversationEvent } from './webhook-payloads.js';
import type { Webhooks } from './webhooks.js';

export class ConversationCommands {
  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly publisher: Publisher,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly webhooks: Webhooks,
    private readonly attachments: Attachments,
  ) {}

  #now(): string {
    return this.clock.now().toISOString();
  }

  /** Take over: the bot is muted and the visitor sees "‹Agent› joined". */
  async claim(actor: Actor, conversationId: string, force = false): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.state === 'closed') throw new HubError('closed', 'The conversation is closed; reopen it first');
    const holder = record.holderId ? await this.store.agents.get(record.holderId) : undefined;
    checkClaim(record.holderId, holder?.name ?? null, actor, force);
    if (record.holderId === actor.id) return this.views.summary(record);
    // The claim and its webhook delivery (conversation.claimed) commit together.
    const claimed = await this.webhooks.transaction(async (tx, events) => {
      const row = await this.store.conversations.claim(record.id, actor.id, this.#now(), force, tx);
      if (row) await events([conversationEvent('conversation.claimed', row, { id: actor.id, name: actor.name })]);
      return row;
    });
    if (!claimed) {
      const now = await this.store.conversations.get(record.id);
      const winner = now?.holderId ? await this.store.agents.get(now.holderId) : undefined;
      throw new HubError('already_claimed', `${winner?.name ?? 'Another agent'} is already handling this conversation`);
    }
    if (holder) await this.#announce(record, `${holder.name} left the conversation`);
    await this.#announce(record, `${actor.name} joined the conversation`);
    return this.publisher.publish(claimed, record, { visitorUpdate: true });
  }

  /**
   * A system line both sides see ("Ana joined the conversation"), written under the conversation's row lock and only
   * while it exists: a line written as it is deleted would outlive it (store/conversations-repo.ts eraseConversations).
   */
  async #announce(record: ConversationRecord, text: string): Promise<void> {
    const message = await this.store.transaction(async (tx) => {
      if (!(await this.store.conversations.get(record.id, tx, { forUpdate: true }))) return undefined;
      const input = { conversationId: record.id, clientId: null, author: 'system' as const, agentId: null, authorName: null, text, createdAt: this.#now() };
      return this.store.messages.insert(input, tx);
    });
    if (message) this.broadcaster.message(record, message);
  }

  /** Hand back to the bot: unmutes it. */
  async release(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    checkRelease(record.holderId, actor);
    const holder = record.holderId ? await this.store.agents.get(record.holderId) : undefined;
    const updated = await this.#update(record, { holder_id: null, muted: 0, muted_at: null, muted_by: null });
    await this.#announce(record, `${holder?.name ?? actor.name} left the conversation`);
    return this.publisher.publish(updated, record, { visitorUpdate: true });
  }

  async mute(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.muted) return this.views.summary(record);
    return this.#change(record, { muted: 1, muted_at: this.#now(), muted_by: actor.id });
  }

  /** Unmuting lets the bot answer again, so it also hands a taken-over conversation back. */
  async unmute(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.holderId) return this.release(actor, conversationId);
    return this.#change(record, { muted: 0, muted_at: null, muted_by: null });
  }

  async setTags(actor: Actor, conversationId: string, tags: string[]): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    const clean = checkTags(tags, await tagCatalogue(this.store), LIMITS.tagsPerConversation);
    return this.#change(record, { tags: JSON.stringify(clean) });
  }

  /** Only agents who may see the conversation can be assigned to it (400 otherwise). */
  async setAssignees(actor: Actor, conversationId: string, agentIds: string[]): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    const known = await this.#knownAgents(agentIds);
    const blind = [...known.values()].find((agent) => !canSee({ id: agent.id, role: agent.role as Role }, record));
    if (blind) throw badRequest(`${blind.name} cannot see this conversation, so they can't be assigned to it; change who can see it first`);
    return this.#change(record, { assignees: JSON.stringify([...known.keys()]) });
  }

  /**
   * Assignment follows visibility: the agents who lose sight of the conversation leave its assignees and, if one of
   * them holds it, it is handed back to the bot (unmuted, as by Hand back). They drop it from their lists and stop
   * hearing its messages and typing.
   */
  async setVisibility(actor: Actor, conversationId: string, agentIds: string[]): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    const ids = [...(await this.#knownAgents(agentIds)).keys()];
    // An agent restricting visibility keeps it for themself, or they would lock themselves out.
    if (actor.role !== 'admin' && ids.length > 0 && !ids.includes(actor.id)) ids.push(actor.id);
    const after = { visibleTo: ids };
    const involved = await this.store.agents.many([...record.assignees, ...(record.holderId ? [record.holderId] : [])]);
    // Admins see everything. (An id of an agent removed from the team is left as it was: it didn't lose sight here.)
    const keeps = (id: string) => {
      const agent = involved.get(id);
      return agent === undefined || canSee({ id, role: agent.role as Role }, after);
    };
    const changes: Partial<ConversationsTable> = { visible_to: JSON.stringify(ids) };
    const assignees = record.assignees.filter(keeps);
    if (assignees.length !== record.assignees.length) changes.assignees = JSON.stringify(assignees);
    const released = record.holderId !== null && !keeps(record.holderId);
    if (released) Object.assign(changes, { holder_id: null, muted: 0, muted_at: null, muted_by: null });
    const updated = await this.#update(record, changes);
    // Agents who lost sight of it drop it from their lists and leave its watch room first, so that nothing said in it
    // from now on reaches them: not even the "left" line, which goes to who sees it now.
    await this.broadcaster.lostSight(updated, record.visibleTo, inboxFields(record));
    if (released) await this.#announce(updated, `${involved.get(record.holderId ?? '')?.name ?? 'The agent'} left the conversation`);
    return this.publisher.publish(updated, record, { visitorUpdate: released });
  }

  /** The agents, by id; 400 if one is unknown. */
  async #knownAgents(agentIds: string[]): Promise<Map<string, AgentsTable>> {
    const ids = [...new Set(agentIds)];
    const known = await this.store.agents.many(ids);
    const unknown = ids.find((id) => !known.has(id));
    if (unknown) throw new HubError('bad_request', `Unknown agent ${unknown}`);
    return new Map(ids.map((id) => [id, known.get(id) as AgentsTable]));
  }

  async setTicketStatus(actor: Actor, conversationId: string, status: TicketStatus): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    return this.#change(record, { ticket_status: status });
  }

  /** Only the holder, an assignee or an admin may close a conversation someone is responsible for. */
  async close(actor: Actor, conversationId: string, ticketStatus: TicketStatus = 'resolved'): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    checkClose(record, actor);
    if (record.state === 'closed') return this.views.summary(record);
    const changes: Partial<ConversationsTable> = { state: 'closed', ticket_status: ticketStatus, holder_id: null, muted: 0, muted_at: null, muted_by: null };
    // Closed, with its webhook delivery (conversation.closed), in one transaction.
    const closed = await this.webhooks.transaction(async (tx, events) => {
      const row = await this.store.conversations.update(record.id, changes, tx);
      if (row) await events([conversationEvent('conversation.closed', row, { id: actor.id, name: actor.name })]);
      return row;
    });
    if (!closed) throw notFound('Conversation');
    return this.publisher.publish(closed, record, { visitorUpdate: true });
  }

  async reopen(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.state === 'open') return this.views.summary(record);
    return this.#change(record, { state: 'open', ticket_status: record.agentReplied ? 'active' : 'new', last_activity_at: this.#now() }, true);
  }

  async delete(actor: Actor, conversationId: string): Promise<void> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can delete conversations');
    const record = await visibleConversation(this.store, actor, conversationId);
    const { storageKeys } = await this.store.conversations.delete(record.id);
    // The rows went with the conversation; now their bytes.
    await this.attachments.removeFiles(storageKeys);
    this.broadcaster.deleted(record, inboxFields(record));
    this.broadcaster.visitorConversation(record.contactId, { ...(await this.views.visitorView(record)), state: 'closed' });
  }

  async #update(record: ConversationRecord, changes: Partial<ConversationsTable>): Promise<ConversationRecord> {
    const updated = await this.store.conversations.update(record.id, changes);
    if (!updated) throw notFound('Conversation');
    return updated;
  }

  async #change(record: ConversationRecord, changes: Partial<ConversationsTable>, visitorUpdate = false): Promise<ConversationSummary> {
    return this.publisher.publish(await this.#update(record, changes), record, { visitorUpdate });
  }
}
