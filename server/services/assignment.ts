/**
 * Auto-assignment: hands new and escalated conversations to online agents (round robin or balanced),
 * keeps the others queued until someone is free, drains the queue when room appears, and moves
 * conversations whose agents have been offline too long. Every assignment goes through `#assign`:
 * one transaction that locks the conversation, then the candidate agents (PostgreSQL `FOR UPDATE`),
 * counts their open conversations and applies the choice with a conditional UPDATE — so two hubs
 * never assign one conversation twice nor push an agent over the cap. The choice itself is
 * rules/assignment.ts.
 */
import type { AssignmentMode, Settings } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import { type Candidate, assignmentStamp, chooseAgent, dueForReassignment, freesRoom, isQueued, maySee, reassignCutoff } from '../rules/assignment.js';
import { DEFAULT_SETTINGS } from '../rules/bot.js';
import type { Responsibility } from '../store/assignment-repo.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';
import type { Publisher } from './publisher.js';

/** How many queued conversations one drain looks at, at most (the sweeper drains again later). */
const DRAIN_LIMIT = 500;
const PAGE = 50;

export interface AssignmentSweep {
  /** Queued conversations assigned. */
  assigned: string[];
  /** Conversations moved from agents offline too long. */
  reassigned: string[];
}

type Outcome = { assigned: ConversationRecord } | { skipped: 'changed' | 'nobody' };

interface Attempt {
  /** Still the conversation we decided about (read again, locked, inside the transaction). */
  still(fresh: ConversationRecord): boolean;
  /** Who is responsible afterwards, given the chosen agent. */
  next(fresh: ConversationRecord, agentId: string): Responsibility;
}

const responsibility = (c: ConversationRecord): Responsibility => ({ holderId: c.holderId, assignees: c.assignees });

/** Nobody responsible: the new agent becomes its assignee. */
const QUEUED: Attempt = {
  still: isQueued,
  next: (_fresh, agentId) => ({ holderId: null, assignees: [agentId] }),
};

export class Assignment {
  #draining: Promise<string[]> | null = null;
  #again = false;

  constructor(
    private readonly store: Store,
    private readonly publisher: Publisher,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
  ) {
    // Closing, unassigning, handing back or reopening a conversation may let a queued one in.
    publisher.onPublished((record, before) => {
      if (before === null) return; // a new conversation is offered by its creator
      if (freesRoom(before, record) || (isQueued(record) && !isQueued(before))) this.drainSoon();
    });
  }

  async #settings(): Promise<Pick<Settings, 'assignment' | 'reassignAfterMinutes'>> {
    return this.store.settings.bot(DEFAULT_SETTINGS);
  }

  /**
   * A conversation was just created or escalated: if nobody is responsible for it, hand it to an
   * eligible online agent now, or leave it queued. Resolves the assigned record, or null.
   */
  async offer(record: ConversationRecord): Promise<ConversationRecord | null> {
    if (!isQueued(record)) return null;
    const { assignment: mode } = await this.#settings();
    if (mode === 'off') return null;
    const online = await this.broadcaster.onlineAgentIds();
    if (online.size === 0) return null;
    const outcome = await this.#assign(record, mode, online, QUEUED);
    return 'assigned' in outcome ? outcome.assigned : null;
  }

  /** A panel of the agent connected: they count as online, and queued conversations may go to them. */
  async agentConnected(agentId: string): Promise<void> {
    await this.store.assignment.markOnline(agentId);
    await this.drain();
  }

  /** The agent's last panel closed (on every hub): reassignment counts from now. */
  async agentDisconnected(agentId: string): Promise<void> {
    await this.store.assignment.markOffline(agentId, this.clock.now().toISOString());
  }

  /** Drains in the background (after a change that may have made room); errors wait for the next sweep. */
  drainSoon(): void {
    void this.drain().catch(() => undefined);
  }

  /**
   * Assigns the oldest queued conversations (by creation) to eligible online agents until nobody is
   * free. One drain at a time per hub: a call during a drain makes it run once more, and shares its result.
   */
  drain(): Promise<string[]> {
    if (this.#draining) {
      this.#again = true;
      return this.#draining;
    }
    this.#draining = (async () => {
      const assigned: string[] = [];
      do {
        this.#again = false;
        assigned.push(...(await this.#drainOnce()));
      } while (this.#again);
      return assigned;
    })().finally(() => {
      this.#draining = null;
    });
    return this.#draining;
  }

  async #drainOnce(): Promise<string[]> {
    const { assignment: mode } = await this.#settings();
    if (mode === 'off') return [];
    const online = await this.broadcaster.onlineAgentIds();
    if (online.size === 0) return [];
    const assigned: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (let seen = 0; seen < DRAIN_LIMIT; seen += PAGE) {
      const queue = await this.store.assignment.queued(PAGE, after);
      for (const record of queue) {
        const outcome = await this.#assign(record, mode, online, QUEUED);
        if ('assigned' in outcome) assigned.push(record.id);
        // Nobody may take a team-wide conversation: nobody may take a restricted one either.
        else if (outcome.skipped === 'nobody' && record.visibleTo.length === 0) return assigned;
      }
      const last = queue.at(-1);
      if (!last || queue.length < PAGE) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    return assigned;
  }

  /**
   * The sweeper's part: bring the offline marks in line with who is connected (a hub that died never
   * ran its disconnect handlers), move conversations whose agents have all been offline for
   * `reassignAfterMinutes`, and drain the queue (in case a trigger was missed).
   */
  async sweep(): Promise<AssignmentSweep> {
    const now = this.clock.now();
    const online = await this.broadcaster.onlineAgentIds();
    await this.store.assignment.syncPresence(online, now.toISOString());
    const settings = await this.#settings();
    if (settings.assignment === 'off') return { assigned: [], reassigned: [] };
    const reassigned =
      settings.reassignAfterMinutes === null || online.size === 0
        ? []
        : await this.#reassign(settings.assignment, online, reassignCutoff(now, settings.reassignAfterMinutes));
    return { assigned: await this.drain(), reassigned };
  }

  async #reassign(mode: AssignmentMode, online: ReadonlySet<string>, cutoff: string): Promise<string[]> {
    // The mark may be stale (the agent came back on another hub a moment ago): presence decides.
    const offline = (await this.store.assignment.offlineSince(cutoff)).filter((id) => !online.has(id));
    const longOffline = new Set(offline);
    const seen = new Set<string>();
    const reassigned: string[] = [];
    for (const agentId of offline) {
      for (const record of await this.store.assignment.assignedTo(agentId)) {
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        if (!dueForReassignment(record, longOffline)) continue;
        const outcome = await this.#assign(record, mode, online, {
          still: (fresh) => fresh.holderId === record.holderId && sameIds(fresh.assignees, record.assignees),
          // The offline holder (if any) lets go too, so the new agent can answer; the bot stays muted.
          next: (_fresh, chosen) => ({ holderId: null, assignees: [chosen] }),
        });
        if ('assigned' in outcome) reassigned.push(record.id);
        else if (outcome.skipped === 'nobody' && record.visibleTo.length === 0) return reassigned;
      }
    }
    return reassigned;
  }

  /**
   * The one way a conversation is auto-assigned. In one transaction: lock the conversation and check
   * it is still what we decided about; lock the online candidates (PostgreSQL: `FOR UPDATE`, id order);
   * count their open conversations; choose (rules/assignment.ts); apply with a conditional UPDATE and
   * record when the agent was last assigned. Then publish, with the previous record, like any command.
   */
  async #assign(record: ConversationRecord, mode: AssignmentMode, online: ReadonlySet<string>, attempt: Attempt): Promise<Outcome> {
    const now = this.clock.now();
    const result = await this.store.transaction(async (tx): Promise<Outcome & { before?: ConversationRecord }> => {
      const fresh = await this.store.assignment.lockConversation(record.id, tx);
      if (!fresh || !attempt.still(fresh)) return { skipped: 'changed' };
      const agents = await this.store.assignment.lockAgents(
        [...online].filter((id) => !fresh.assignees.includes(id) && id !== fresh.holderId),
        tx,
      );
      const allowed = agents.filter((agent) => maySee({ id: agent.id, role: agent.role === 'admin' ? 'admin' : 'agent' }, fresh.visibleTo));
      const open = await this.store.assignment.openCounts(
        allowed.map((agent) => agent.id),
        tx,
      );
      const candidates: Candidate[] = allowed.map((agent) => ({
        id: agent.id,
        role: agent.role === 'admin' ? 'admin' : 'agent',
        maxOpen: agent.max_open === null ? null : Number(agent.max_open),
        open: open.get(agent.id) ?? 0,
        lastAssignedAt: agent.last_assigned_at,
        createdAt: agent.created_at,
      }));
      const chosen = chooseAgent(mode, candidates, fresh.visibleTo);
      if (!chosen) return { skipped: 'nobody' };
      const assigned = await this.store.assignment.assign(fresh.id, responsibility(fresh), attempt.next(fresh, chosen), tx);
      if (!assigned) return { skipped: 'changed' };
      await this.store.assignment.stampAssigned(chosen, assignmentStamp(now, candidates), tx);
      return { assigned, before: fresh };
    });
    if ('assigned' in result) {
      const before = result.before ?? record;
      await this.publisher.publish(result.assigned, before, { visitorUpdate: before.holderId !== result.assigned.holderId });
      return { assigned: result.assigned };
    }
    return result;
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
