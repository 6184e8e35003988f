/**
 * Auto-assignment, the pure part: which agent gets a conversation, when a conversation is queued,
 * when a change frees room for queued ones, and when a conversation is due for reassignment.
 * The service (services/assignment.ts) gathers the facts under row locks and asks these functions.
 */
import type { AssignmentMode, Role, Settings } from '../../protocol/types.js';

export const ASSIGNMENT_DEFAULTS: Pick<Settings, 'assignment' | 'reassignAfterMinutes'> = {
  assignment: 'off',
  reassignAfterMinutes: null,
};

/** One agent the hub could hand a conversation to: online, enabled, with their load. */
export interface Candidate {
  id: string;
  role: Role;
  /** null: no cap. */
  maxOpen: number | null;
  /** Open conversations the agent holds or is assigned to. */
  open: number;
  lastAssignedAt: string | null;
  createdAt: string;
}

/** Who may be handed a conversation restricted to `visibleTo` (empty: the whole team). */
export function maySee(candidate: Pick<Candidate, 'id' | 'role'>, visibleTo: readonly string[]): boolean {
  return candidate.role === 'admin' || visibleTo.length === 0 || visibleTo.includes(candidate.id);
}

export function underCap(candidate: Pick<Candidate, 'maxOpen' | 'open'>): boolean {
  return candidate.maxOpen === null || candidate.open < candidate.maxOpen;
}

/** Least recently assigned first; never assigned before anyone; then the oldest account, then the id (a total order). */
function byLastAssigned(a: Candidate, b: Candidate): number {
  const la = a.lastAssignedAt ?? '';
  const lb = b.lastAssignedAt ?? '';
  if (la !== lb) return la < lb ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The agent to hand a conversation to, or null (it stays queued). Only candidates under their cap who
 * may see the conversation count. Round robin: least recently assigned. Balanced: fewest open
 * conversations, ties to the least recently assigned.
 */
export function chooseAgent(mode: AssignmentMode, candidates: readonly Candidate[], visibleTo: readonly string[]): string | null {
  if (mode === 'off') return null;
  const eligible = candidates.filter((c) => underCap(c) && maySee(c, visibleTo));
  eligible.sort(mode === 'balanced' ? (a, b) => a.open - b.open || byLastAssigned(a, b) : byLastAssigned);
  return eligible[0]?.id ?? null;
}

/**
 * The "last assigned at" to record: now, or just after the latest one among the candidates when the
 * clock has not moved past it (several assignments in one millisecond, a frozen test clock), so the
 * round-robin order stays strict.
 */
export function assignmentStamp(now: Date, candidates: readonly Pick<Candidate, 'lastAssignedAt'>[]): string {
  let at = now.getTime();
  for (const c of candidates) if (c.lastAssignedAt) at = Math.max(at, new Date(c.lastAssignedAt).getTime() + 1);
  return new Date(at).toISOString();
}

/** The part of a conversation assignment looks at. */
export interface AssignableConversation {
  state: 'open' | 'closed';
  holderId: string | null;
  assignees: readonly string[];
}

/** Nobody is responsible for it: no holder, no assignee (the inbox's "Unassigned"). */
export function isQueued(c: AssignableConversation): boolean {
  return c.state === 'open' && c.holderId === null && c.assignees.length === 0;
}

/** The agents whose open-conversation count includes `c`. */
export function countedFor(c: AssignableConversation | null): Set<string> {
  if (c?.state !== 'open') return new Set();
  return new Set([...(c.holderId ? [c.holderId] : []), ...c.assignees]);
}

/** A change that took a conversation off someone's load (closed, unassigned, handed back) may let queued ones in. */
export function freesRoom(before: AssignableConversation | null, after: AssignableConversation | null): boolean {
  const now = countedFor(after);
  for (const id of countedFor(before)) if (!now.has(id)) return true;
  return false;
}

/** The moment before which an agent must have gone offline for their conversations to be reassigned. */
export function reassignCutoff(now: Date, minutes: number): string {
  return new Date(now.getTime() - minutes * 60_000).toISOString();
}

/**
 * Due for reassignment: it has someone responsible (holder or assignees) and every one of them has
 * been offline since before the cutoff (`longOffline`). One of them online, or back recently, keeps it.
 */
export function dueForReassignment(c: AssignableConversation, longOffline: ReadonlySet<string>): boolean {
  const responsible = countedFor(c);
  if (responsible.size === 0 || c.assignees.length === 0) return false;
  for (const id of responsible) if (!longOffline.has(id)) return false;
  return true;
}
