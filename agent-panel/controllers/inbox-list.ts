/**
 * The list and count bookkeeping of a live update, as pure functions (controllers/inbox.ts applies them): where a
 * changed conversation lands in the filtered list, and how the tab counts and tiles move from its previous inbox state.
 */
import { applyCountChange, dashboardStats, type InboxFields, inboxCounts } from '../../protocol/inbox.js';
import type { ConversationDetail, ConversationFilter, ConversationSummary, DashboardStats, InboxCounts } from '../../protocol/types.js';
import { matchesFilter, upsert } from '../filters.js';

export interface ListedState {
  items: ConversationSummary[];
  /** Conversations matching the filter at the hub (the list may hold its first pages only). */
  total: number;
}

export interface CountState {
  counts: InboxCounts;
  /** null until the hub's tiles arrived. */
  stats: DashboardStats | null;
}

/** The list after `c` changed: in or out of it by the filter, in activity order; the total follows. */
export function placeInList(list: ListedState, c: ConversationSummary, filter: ConversationFilter, agentId: string): ListedState {
  const listed = list.items.some((item) => item.id === c.id);
  const keep = matchesFilter(c, filter, agentId);
  return { items: upsert(list.items, c, keep), total: Math.max(0, list.total + Number(keep) - Number(listed)) };
}

/** The list after a conversation was deleted or hidden from this agent. */
export function removeFromList(list: ListedState, conversationId: string): ListedState {
  const listed = list.items.some((c) => c.id === conversationId);
  return { items: list.items.filter((c) => c.id !== conversationId), total: listed ? Math.max(0, list.total - 1) : list.total };
}

/** The counts and tiles after one conversation went from `previous` (null: new to the agent) to `next` (null: gone). */
export function moveCounts(state: CountState, previous: InboxFields | null, next: InboxFields | null, agentId: string): CountState {
  return {
    counts: applyCountChange(state.counts, previous, next, agentId, inboxCounts),
    stats: state.stats ? applyCountChange(state.stats, previous, next, agentId, dashboardStats) : null,
  };
}

/** The list and the open conversation after a visitor came online or left. */
export function withPresence(
  state: { items: ConversationSummary[]; detail: ConversationDetail | null },
  visitorId: string,
  online: boolean,
): { items: ConversationSummary[]; detail: ConversationDetail | null } {
  const items = state.items.map((c) => (c.visitorId === visitorId ? { ...c, visitor: { ...c.visitor, online } } : c));
  const d = state.detail;
  if (d?.conversation.visitorId !== visitorId) return { items, detail: d };
  const conversation = { ...d.conversation, visitor: { ...d.conversation.visitor, online } };
  return { items, detail: { ...d, visitor: { ...d.visitor, online }, conversation } };
}
