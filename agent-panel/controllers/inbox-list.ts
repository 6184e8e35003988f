/**
 * The list and count bookkeeping of a live update (controllers/inbox.ts applies it): where a changed conversation
 * lands in the filtered list, which stays as long as the agent loaded it (`ListWindow`), and how the tab counts and
 * tiles move from its previous inbox state.
 */
import { applyCountChange, dashboardStats, type InboxFields, inboxCounts, listCursorAfter } from '../../protocol/inbox.js';
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
function placeInList(list: ListedState, c: ConversationSummary, filter: ConversationFilter, agentId: string, cut: ReadonlySet<string>): ListedState {
  // Counted in the total already if listed, or cut off the list's end (`withinRows`).
  const listed = cut.has(c.id) || list.items.some((item) => item.id === c.id);
  const keep = matchesFilter(c, filter, agentId);
  return { items: upsert(list.items, c, keep), total: Math.max(0, list.total + Number(keep) - Number(listed)) };
}

/** The hub's page of the list when none is asked for (server/store/inbox-queries.ts). */
export const LIST_PAGE = 50;

/**
 * The live list holds the rows the agent loaded (`rows`): a conversation new to it pushes the last row into the next
 * page, which "more" loads again from the cursor after the row now last. Else a panel left open on a busy site grew a
 * row for every conversation of the day, and rendered them all for each update. A search keeps its rows (its pages
 * follow relevance, not activity).
 */
function withinRows(list: ListedState, next: string | null, rows: number, filter: ConversationFilter): ListedState & { next: string | null; cut: string[] } {
  const last = list.items[rows - 1];
  if (filter.q || list.items.length <= rows || !last) return { ...list, next, cut: [] };
  const cut = list.items.slice(rows).map((c) => c.id);
  return { items: list.items.slice(0, rows), total: list.total, next: listCursorAfter(last), cut };
}

/** The list after a conversation was deleted or hidden from this agent. */
function removeFromList(list: ListedState, conversationId: string, cut: ReadonlySet<string>): ListedState {
  const listed = cut.has(conversationId) || list.items.some((c) => c.id === conversationId);
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

/**
 * What the live list keeps besides its rows: how many the agent loaded (it keeps that many, `withinRows`), and which
 * conversations were cut off its end since it loaded (still counted in its total; "more" lists them again).
 */
export class ListWindow {
  #rows = LIST_PAGE;
  #cut = new Set<string>();

  /** A fresh first page (a load, a filter change). */
  loaded(count: number): void {
    this.#rows = Math.max(LIST_PAGE, count);
    this.#cut.clear();
  }

  /** A next page appended: the list now holds `count` rows. */
  more(page: ConversationSummary[], count: number): void {
    this.#rows = count;
    for (const c of page) this.#cut.delete(c.id);
  }

  /** The list after `c` changed (placeInList), kept within its rows. */
  place(
    list: ListedState & { next: string | null },
    c: ConversationSummary,
    filter: ConversationFilter,
    agentId: string,
  ): ListedState & { next: string | null } {
    const placed = placeInList(list, c, filter, agentId, this.#cut);
    this.#cut.delete(c.id);
    const { cut, ...kept } = withinRows(placed, list.next, this.#rows, filter);
    for (const id of cut) this.#cut.add(id);
    return kept;
  }

  /** The list after a conversation was deleted or hidden (removeFromList). */
  remove(list: ListedState, conversationId: string): ListedState {
    const removed = removeFromList(list, conversationId, this.#cut);
    this.#cut.delete(conversationId);
    return removed;
  }
}
