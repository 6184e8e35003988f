/**
 * Team chat between agents: the team room, direct threads between two agents, notes to self. Messages are
 * stored exactly once per (thread, clientId), pushed only to the thread's agents, and counted unread per
 * agent from a read position. Visitors never see any of it (protocol/team.ts).
 */
import { randomUUID } from 'node:crypto';
import { TEAM_PAGE, type TeamMessage, type TeamMessagePage, type TeamThread, type TeamThreadKey, type TeamThreadKind } from '../../protocol/team.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { HubError, notFound } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import type { TeamThreadsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { StoredTeamMessage } from '../store/team-repo.js';
import type { Broadcaster } from './broadcaster.js';
import { type TeamAudience, TeamBroadcast } from './team-broadcast.js';

/** A thread as the calling agent addressed it, resolved to the stored thread (which may not exist yet). */
interface Target {
  kind: TeamThreadKind;
  /** The caller's key. */
  key: TeamThreadKey;
  /** The stored, caller-independent key: `team`, `self:<id>`, `direct:<lower>:<higher>`. */
  storedKey: string;
  /** The thread's agents as stored: both null for the team room, the author twice for notes to self, a sorted pair. */
  agents: [string | null, string | null];
  audience: TeamAudience;
  thread: TeamThreadsTable | undefined;
}

/** `team`, `self` or `direct:<agentId>`: the grammar of a key (anything else a REST caller sends is a thread id). */
const KEY = /^(team|self|direct:(.+))$/;

export class TeamChat {
  readonly #push: TeamBroadcast;

  constructor(
    private readonly store: Store,
    broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {
    this.#push = new TeamBroadcast(broadcaster.agents);
  }

  // ------------------------------------------------------------ reads

  /** The team room and notes to self (always, created or not), and the agent's direct threads with agents who still exist. */
  async threads(actor: Actor): Promise<TeamThread[]> {
    const me = await this.store.agents.get(actor.id);
    if (!me) throw new HubError('unauthorized', 'Account removed');
    const rows = await this.store.team.threadsOf(actor.id, me.created_at);
    const others = await this.store.agents.many(rows.map((row) => otherOf(row, actor.id)).filter((id): id is string => id !== null));
    const last = await this.store.team.lastMessages(rows.map((row) => row.id));
    const threads: TeamThread[] = [];
    for (const row of rows) {
      const otherId = otherOf(row, actor.id);
      if (row.kind === 'direct' && (!otherId || !others.has(otherId))) continue;
      const key = keyFor(row, actor.id);
      const newest = last.get(row.id);
      threads.push({
        key,
        kind: row.kind as TeamThreadKind,
        id: row.id,
        agentId: otherId,
        lastMessage: newest ? withKey(newest, key) : null,
        unreadCount: row.unread,
      });
    }
    const placeholder = (key: 'team' | 'self'): TeamThread => ({ key, kind: key, id: null, agentId: null, lastMessage: null, unreadCount: 0 });
    const find = (key: TeamThreadKey) => threads.find((t) => t.key === key);
    const direct = threads.filter((t) => t.kind === 'direct').sort((a, b) => (b.lastMessage?.id ?? 0) - (a.lastMessage?.id ?? 0));
    return [find('team') ?? placeholder('team'), find('self') ?? placeholder('self'), ...direct];
  }

  /** One page of a thread the agent is part of (`keyOrId`: a key, or a thread id), oldest first. */
  async messages(actor: Actor, keyOrId: string, before: number | undefined, limit = TEAM_PAGE): Promise<TeamMessagePage> {
    const target = await this.#resolve(actor, keyOrId, { write: false, byId: true });
    if (!target.thread) return { messages: [], more: false };
    const page = await this.store.team.page(target.thread.id, before, Math.min(limit, TEAM_PAGE));
    return { messages: page.messages.map((m) => withKey(m, target.key)), more: page.more };
  }

  // ------------------------------------------------------------ writes

  /** Stores the message once and tells the thread's agents: the message, then each one's unread count. */
  async send(actor: Actor, key: string, clientId: string, text: string): Promise<{ message: TeamMessage }> {
    if (text.trim().length === 0) throw new HubError('bad_request', 'Message text is empty');
    if (text.length > this.config.maxMessageLength) throw new HubError('too_large', `Message is longer than ${this.config.maxMessageLength} characters`);
    const target = await this.#resolve(actor, key, { write: true, byId: false });
    const [agentA, agentB] = target.agents;
    const thread =
      target.thread ??
      (await this.store.team.ensureThread({
        id: randomUUID(),
        kind: target.kind,
        key: target.storedKey,
        agent_a: agentA,
        agent_b: agentB,
        created_at: this.#now(),
      }));
    const { message, duplicate } = await this.store.team.send({
      threadId: thread.id,
      clientId,
      agentId: actor.id,
      authorName: actor.name,
      text,
      createdAt: this.#now(),
    });
    if (duplicate && message.agentId !== actor.id) throw new HubError('conflict', 'This client id belongs to another message');
    if (duplicate) return { message: withKey(message, target.key) };
    // Counted before anything is pushed, so no panel can have read the message yet: a count never overtakes a later read.
    const counts = await this.store.team.unreadFor(thread.id, target.audience.kind === 'everyone' ? 'all' : target.audience.members.map((m) => m.agentId));
    this.#push.message(target.audience, message);
    for (const [agentId, count] of counts) this.#push.unread(agentId, keyOf(target, agentId), count);
    return { message: withKey(message, target.key) };
  }

  /** The agent has seen the thread up to `upToId` (clamped to its newest message): their panels get the new count. */
  async read(actor: Actor, key: string, upToId: number): Promise<{ count: number }> {
    const target = await this.#resolve(actor, key, { write: false, byId: false });
    if (!target.thread) return { count: 0 };
    const newest = (await this.store.team.lastMessages([target.thread.id])).get(target.thread.id)?.id ?? 0;
    await this.store.team.markRead(target.thread.id, actor.id, Math.min(upToId, newest));
    const count = (await this.store.team.unreadFor(target.thread.id, [actor.id])).get(actor.id) ?? 0;
    this.#push.unread(actor.id, target.key, count);
    return { count };
  }

  async typing(actor: Actor, key: string, typing: boolean): Promise<void> {
    const target = await this.#resolve(actor, key, { write: true, byId: false });
    this.#push.typing(target.audience, actor, typing);
  }

  // ------------------------------------------------------------ keys

  /**
   * Maps the caller's key (or, for REST reads, a thread id) to the thread. A direct thread needs another
   * agent who exists (404 otherwise) and, to write, is enabled (403); a thread id of a thread the caller is
   * not part of is 404, whatever their role.
   */
  async #resolve(actor: Actor, keyOrId: string, options: { write: boolean; byId: boolean }): Promise<Target> {
    const match = KEY.exec(keyOrId);
    if (!match) {
      if (!options.byId) throw new HubError('bad_request', 'A thread key is team, self or direct:<agentId>');
      const thread = await this.store.team.threadById(keyOrId);
      if (!thread || (thread.kind !== 'team' && thread.agent_a !== actor.id && thread.agent_b !== actor.id)) throw notFound('Thread');
      return this.#resolve(actor, keyFor(thread, actor.id), { ...options, byId: false });
    }
    if (keyOrId === 'team') return this.#target('team', 'team', 'team', [null, null], { kind: 'everyone' });
    if (keyOrId === 'self')
      return this.#target('self', 'self', `self:${actor.id}`, [actor.id, actor.id], { kind: 'members', members: [{ agentId: actor.id, key: 'self' }] });
    const otherId = match[2] ?? '';
    if (otherId === actor.id) throw new HubError('bad_request', 'Notes to yourself go to the self thread');
    const other = await this.store.agents.get(otherId);
    if (!other) throw notFound('Agent');
    if (options.write && other.disabled === 1) throw new HubError('forbidden', `${other.name} is disabled`);
    const members = [
      { agentId: actor.id, key: `direct:${otherId}` as const },
      { agentId: otherId, key: `direct:${actor.id}` as const },
    ];
    const pair: [string, string] = actor.id < otherId ? [actor.id, otherId] : [otherId, actor.id];
    return this.#target('direct', `direct:${otherId}`, `direct:${pair.join(':')}`, pair, { kind: 'members', members });
  }

  async #target(kind: TeamThreadKind, key: TeamThreadKey, storedKey: string, agents: Target['agents'], audience: TeamAudience): Promise<Target> {
    return { kind, key, storedKey, agents, audience, thread: await this.store.team.thread(storedKey) };
  }

  #now(): string {
    return this.clock.now().toISOString();
  }
}

/** The key `agentId` (one of the target's agents) knows its thread by. */
function keyOf(target: Target, agentId: string): TeamThreadKey {
  if (target.audience.kind === 'everyone') return 'team';
  return target.audience.members.find((m) => m.agentId === agentId)?.key ?? target.key;
}

/** The other agent of a direct thread (null for the team room and notes to self). */
function otherOf(thread: TeamThreadsTable, agentId: string): string | null {
  if (thread.kind !== 'direct') return null;
  return thread.agent_a === agentId ? thread.agent_b : thread.agent_a;
}

/** The key `agentId` knows a stored thread by. */
function keyFor(thread: TeamThreadsTable, agentId: string): TeamThreadKey {
  if (thread.kind === 'team') return 'team';
  if (thread.kind === 'self') return 'self';
  return `direct:${otherOf(thread, agentId) ?? ''}`;
}

const withKey = (message: StoredTeamMessage, threadKey: TeamThreadKey): TeamMessage => ({ ...message, threadKey });
