/**
 * Ticket status transitions (SPEC §4): visitor's first message → new; agent replies → active;
 * visitor replies to an agent → pending; agent resolves → resolved; 24 h without activity → inactive.
 */
import type { TicketStatus } from '../../protocol/types.js';

export function afterVisitorMessage(agentHasReplied: boolean): TicketStatus {
  if (!agentHasReplied) return 'new';
  return 'pending';
}

/** An agent's reply makes any status active: the team is on it again. */
export function afterAgentReply(): TicketStatus {
  return 'active';
}

/** Statuses the inactivity sweep may move to `inactive`. */
export const CAN_GO_INACTIVE: readonly TicketStatus[] = ['new', 'active', 'pending'];

export function inactiveCutoff(now: Date, inactiveHours: number): string {
  return new Date(now.getTime() - inactiveHours * 3_600_000).toISOString();
}

/** A visitor message unanswered since before this instant makes its conversation expired (seed 002: 24 h). */
export function expiryCutoff(now: Date, expireHours: number): string {
  return new Date(now.getTime() - expireHours * 3_600_000).toISOString();
}
