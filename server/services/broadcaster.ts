/**
 * Who hears what, across every hub: Socket.IO rooms (with the Redis adapter they span processes),
 * presence questions, and one method per kind of push. Services decide what happened; this module
 * only knows where each kind of news goes (visitor room, the agents who may see a conversation,
 * the agents watching it).
 */
import type { Namespace, Server } from 'socket.io';
import type { AgentClientToServer, AgentServerToClient, VisitorClientToServer, VisitorServerToClient } from '../../protocol/events.js';
import { AGENT_NAMESPACE, VISITOR_NAMESPACE } from '../../protocol/events.js';
import type { InboxFields } from '../../protocol/inbox.js';
import type { ConversationSummary, Message, Note, VisitorConversation } from '../../protocol/types.js';
import type { ConversationRecord } from '../store/mappers.js';
import { RemotePresence } from './remote-presence.js';

export type VisitorNamespace = Namespace<VisitorClientToServer, VisitorServerToClient>;
export type AgentNamespace = Namespace<AgentClientToServer, AgentServerToClient>;

export const rooms = {
  /** Every tab of one widget session. */
  visitor: (id: string) => `visitor:${id}`,
  /** Every session of one person (all their devices): where conversation news for the widget goes. */
  contact: (id: string) => `contact:${id}`,
  agent: (id: string) => `agent:${id}`,
  /** The agents with this conversation open (its messages, typing, collision). */
  watch: (conversationId: string) => `watch:${conversationId}`,
  /** Every socket opened with one agent token, so revoking it closes them. */
  token: (tokenHash: string) => `token:${tokenHash}`,
  allAgents: 'agents',
  admins: 'admins',
};

/** The part of a conversation that decides who may hear about it. */
type Audience = Pick<ConversationRecord, 'id' | 'visitorId' | 'contactId' | 'visibleTo'>;

/**
 * How exact a presence answer must be. `decides`: every hub is asked when no socket is here (emailing a reply, a
 * last tab closing). `shown`: only displayed (a summary's online dot), so what the other hubs said lately will do
 * (remote-presence.ts).
 */
export type PresenceUse = 'decides' | 'shown';

export class Broadcaster {
  readonly visitors: VisitorNamespace;
  readonly agents: AgentNamespace;
  readonly #remote = new RemotePresence();

  /** @param clustered other hubs share the adapter (Redis): presence must ask them too. */
  constructor(
    io: Server,
    private readonly clustered: boolean,
  ) {
    this.visitors = io.of(VISITOR_NAMESPACE) as VisitorNamespace;
    this.agents = io.of(AGENT_NAMESPACE) as AgentNamespace;
    if (clustered) for (const nsp of [this.visitors, this.agents]) this.#remote.watch(nsp);
  }

  // ------------------------------------------------------------ presence

  visitorOnline(visitorId: string, use: PresenceUse = 'decides'): Promise<boolean> {
    return this.#anyoneIn(this.visitors, rooms.visitor(visitorId), use);
  }

  contactOnline(contactId: string, use: PresenceUse = 'decides'): Promise<boolean> {
    return this.#anyoneIn(this.visitors, rooms.contact(contactId), use);
  }

  agentOnline(agentId: string): Promise<boolean> {
    return this.#anyoneIn(this.agents, rooms.agent(agentId));
  }

  agentsOnline(): Promise<boolean> {
    return this.#anyoneIn(this.agents, rooms.allAgents);
  }

  /** The agents with a panel connected to any hub (auto-assignment's candidates). */
  async onlineAgentIds(): Promise<Set<string>> {
    const sockets = await this.agents.in(rooms.allAgents).fetchSockets();
    const ids = new Set<string>();
    for (const socket of sockets) {
      const id = (socket.data as { agent?: { id?: unknown } } | undefined)?.agent?.id;
      if (typeof id === 'string') ids.add(id);
    }
    return ids;
  }

  /**
   * Whether any socket is in `room`. This process's rooms answer most questions; only when the room
   * is empty here and other hubs share the adapter do we ask them, which costs a round trip (for an
   * answer only shown, not if one of them said lately that someone is there).
   */
  async #anyoneIn(nsp: VisitorNamespace | AgentNamespace, room: string, use: PresenceUse = 'decides'): Promise<boolean> {
    if ((nsp.adapter.rooms.get(room)?.size ?? 0) > 0) return true;
    if (!this.clustered) return false;
    if (use === 'shown' && this.#remote.known(nsp, room)) return true;
    try {
      return await this.#remote.ask(nsp, room, async () => (await nsp.in(room).fetchSockets()).length > 0);
    } catch {
      // Another hub did not answer in time (the adapter waits 5 s: a hub saturated, or gone without unsubscribing).
      // Presence is shown, never a reason to fail what asked for it (an agent's reply, a claim): unknown is offline.
      return false;
    }
  }

  visitorPresence(visitorId: string, online: boolean): void {
    this.agents.to(rooms.allAgents).emit('visitor:presence', { visitorId, online });
  }

  agentPresence(agentId: string, online: boolean): void {
    this.agents.to(rooms.allAgents).emit('agent:presence', { agentId, online });
  }

  /** Tells every widget whether a human could answer now. */
  agentsPresence(agentsOnline: boolean): void {
    this.visitors.emit('presence', { agentsOnline });
  }

  // ------------------------------------------------------------ conversation news

  /** The agents who may see the conversation: everyone when it is team-wide, else admins and the listed agents. */
  #agentRooms(audience: Audience): string[] {
    return audience.visibleTo.length === 0 ? [rooms.allAgents] : [rooms.admins, ...audience.visibleTo.map(rooms.agent)];
  }

  /**
   * A message reaches the agents who have its conversation open (the rest follow the list's `conversation:updated`,
   * which carries its preview) and the contact's widgets. Not every agent who may see it: with a busy site that was
   * every message to every panel, most of them to throw away. `sender`: the socket that sent it (a visitor's tab or
   * an agent's panel, by the message's author), which has it from its ack already.
   */
  message(audience: Audience, message: Message, sender?: string): void {
    const watching = rooms.watch(audience.id);
    const agentSender = message.author === 'agent' ? sender : undefined;
    if (this.#heard(this.agents, [watching], agentSender)) {
      const toWatchers = this.agents.to(watching);
      (agentSender ? toWatchers.except(agentSender) : toWatchers).emit('message:new', message);
    }
    const visitorSender = message.author === 'visitor' ? sender : undefined;
    const contact = rooms.contact(audience.contactId);
    if (!this.#heard(this.visitors, [contact], visitorSender)) return;
    const toVisitor = this.visitors.to(contact);
    (visitorSender ? toVisitor.except(visitorSender) : toVisitor).emit('message:new', message);
  }

  /** `exceptSocket`: the agent socket whose request made the change, answered with the summary in its ack. */
  conversationUpdated(audience: Audience, summary: ConversationSummary, previous: InboxFields | null, exceptSocket?: string): void {
    const targets = this.#agentRooms(audience);
    if (!this.#heard(this.agents, targets, exceptSocket)) return;
    const toAgents = this.agents.to(targets);
    (exceptSocket ? toAgents.except(exceptSocket) : toAgents).emit('conversation:updated', summary, { previous });
  }

  visitorConversation(contactId: string, view: VisitorConversation): void {
    const contact = rooms.contact(contactId);
    if (this.#heard(this.visitors, [contact])) this.visitors.to(contact).emit('conversation:updated', view);
  }

  /**
   * Whether a broadcast to these rooms can reach anyone. Socket.IO encodes a broadcast before it looks for its
   * sockets, and a message often has nobody to reach besides its sender: no agent has its conversation open, the
   * visitor has one tab. On one hub this process's rooms are everyone; with other hubs the adapter must publish.
   * (The store section of the bench, with no socket connected, was 10% encoding: docs/performance-history.md, session 15.)
   */
  #heard(nsp: VisitorNamespace | AgentNamespace, targets: readonly string[], exceptSocket?: string): boolean {
    if (this.clustered) return true;
    for (const room of targets) {
      const members = nsp.adapter.rooms.get(room);
      if (members && members.size > (exceptSocket !== undefined && members.has(exceptSocket) ? 1 : 0)) return true;
    }
    return false;
  }

  /** Notes are private: agent rooms only, never the visitor's. */
  note(audience: Audience, note: Note): void {
    this.agents.to(this.#agentRooms(audience)).emit('note:new', note);
  }

  deleted(audience: Audience, previous: InboxFields | null): void {
    this.agents.to(this.#agentRooms(audience)).emit('conversation:deleted', { conversationId: audience.id, visitorId: audience.visitorId, previous });
  }

  /**
   * Visibility narrowed: the agents in `before` but not in `after` (admins excepted) drop the conversation
   * and leave its watch room, so its typing stops reaching them; its messages and updates already go to
   * the rooms of `after` only. `before` empty = it was team-wide.
   */
  async lostSight(audience: Audience, before: string[], previous: InboxFields): Promise<void> {
    const after = audience.visibleTo;
    if (after.length === 0) return;
    const payload = { conversationId: audience.id, visitorId: audience.visitorId, previous };
    const lost = before.length > 0 ? before.filter((id) => !after.includes(id)) : null;
    if (lost && lost.length === 0) return;
    // Admins see everything: an admin taken off the list by name keeps it.
    const target = (lost ? this.agents.to(lost.map(rooms.agent)) : this.agents.to(rooms.allAgents)).except([rooms.admins, ...after.map(rooms.agent)]);
    target.emit('conversation:deleted', payload);
    target.socketsLeave(rooms.watch(audience.id));
    void this.announceViewers(audience.id).catch(() => undefined);
  }

  /** Who has the conversation open, on every hub (one entry per agent, however many tabs). */
  async viewers(conversationId: string): Promise<{ agentId: string; name: string }[]> {
    const sockets = await this.agents.in(rooms.watch(conversationId)).fetchSockets();
    const viewers = new Map<string, string>();
    for (const socket of sockets) {
      const agent = (socket.data as { agent?: { id: string; name: string } }).agent;
      if (agent) viewers.set(agent.id, agent.name);
    }
    return [...viewers].map(([agentId, name]) => ({ agentId, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Tells everyone watching the conversation who else is. */
  async announceViewers(conversationId: string): Promise<void> {
    const viewers = await this.viewers(conversationId);
    this.agents.to(rooms.watch(conversationId)).emit('conversation:viewers', { conversationId, viewers });
  }

  /** An agent's typing, to the other agents who have the conversation open (collision). */
  agentTypingToAgents(conversationId: string, agent: { id: string; name: string }, typing: boolean, exceptSocket?: string): void {
    const room = this.agents.to(rooms.watch(conversationId));
    (exceptSocket ? room.except(exceptSocket) : room).emit('conversation:agent-typing', { conversationId, agentId: agent.id, name: agent.name, typing });
  }

  visitorTyping(conversationId: string, typing: boolean): void {
    this.agents.to(rooms.watch(conversationId)).emit('visitor:typing', { conversationId, typing });
  }

  agentTyping(contactId: string, name: string, typing: boolean): void {
    this.visitors.to(rooms.contact(contactId)).emit('agent:typing', { typing, name });
  }

  // ------------------------------------------------------------ sessions

  /** The visitor was erased: every tab forgets its session and is disconnected. */
  resetVisitor(visitorId: string): void {
    const room = this.visitors.to(rooms.visitor(visitorId));
    room.emit('session:reset');
    room.disconnectSockets(true);
  }

  /** The contact was erased: every session on every device forgets itself. */
  resetContact(contactId: string): void {
    const room = this.visitors.to(rooms.contact(contactId));
    room.emit('session:reset');
    room.disconnectSockets(true);
  }

  /** A session now belongs to another person (identified, or merged): its tabs hear that person's news. */
  moveSession(visitorId: string, from: string | null, to: string): void {
    const tabs = this.visitors.in(rooms.visitor(visitorId));
    tabs.socketsJoin(rooms.contact(to));
    if (from && from !== to) tabs.socketsLeave(rooms.contact(from));
  }

  /** Every session of `from` joins `to` (an admin merged the contacts). */
  moveContact(from: string, to: string): void {
    const sessions = this.visitors.in(rooms.contact(from));
    sessions.socketsJoin(rooms.contact(to));
    sessions.socketsLeave(rooms.contact(from));
  }

  disconnectAgent(agentId: string): void {
    this.agents.in(rooms.agent(agentId)).disconnectSockets(true);
  }

  disconnectToken(tokenHash: string): void {
    this.agents.in(rooms.token(tokenHash)).disconnectSockets(true);
  }
}
