/**
 * The customers view's filter: URL-hash round trip, and a client-side mirror of the hub's list query so
 * that a live `conversation:updated` can be upserted (or dropped) without waiting for a refetch.
 * The hub stays the authority: the panel refetches shortly after to fix counts and anything missed.
 */
import type { BotStatus, Channel, ConversationFilter, ConversationSummary, Inbox, TicketStatus } from '../protocol/types.js';
import { BOT_STATUSES, INBOXES, TICKET_STATUSES } from '../protocol/types.js';

export const FILTER_KEYS = ['inbox', 'q', 'botStatus', 'ticketStatus', 'language', 'channel', 'tag', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** Keeps only known keys with valid values (a hash or a CRM may hand us anything). */
export function cleanFilter(input: Partial<Record<FilterKey, unknown>>): ConversationFilter {
  const filter: ConversationFilter = {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const inbox = str(input.inbox);
  filter.inbox = (INBOXES as readonly string[]).includes(inbox) ? (inbox as Inbox) : 'all';
  const q = str(input.q);
  if (q) filter.q = q;
  const bot = str(input.botStatus);
  if ((BOT_STATUSES as readonly string[]).includes(bot)) filter.botStatus = bot as BotStatus;
  const ticket = str(input.ticketStatus);
  if ((TICKET_STATUSES as readonly string[]).includes(ticket)) filter.ticketStatus = ticket as TicketStatus;
  const language = str(input.language);
  if (language) filter.language = language;
  if (str(input.channel) === 'webchat') filter.channel = 'webchat' as Channel;
  const tag = str(input.tag);
  if (tag) filter.tag = tag;
  const from = str(input.from);
  if (DATE.test(from)) filter.from = from;
  const to = str(input.to);
  if (DATE.test(to)) filter.to = to;
  return filter;
}

export function filterToParams(filter: ConversationFilter, forHash = false): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined || value === '') continue;
    if (forHash && key === 'inbox' && value === 'all') continue;
    params.set(key, String(value));
  }
  return params;
}

export function filterFromHash(hash: string): ConversationFilter {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return cleanFilter(Object.fromEntries(params) as Partial<Record<FilterKey, string>>);
}

/** Start of a `from` value / end of a `to` value (a bare date covers its whole UTC day, like the hub). */
function rangeStart(value: string): string {
  return value.length === 10 ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}
function rangeEnd(value: string): string {
  if (value.length !== 10) return new Date(new Date(value).getTime() + 1).toISOString();
  const end = new Date(`${value}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return end.toISOString();
}

/** Does a conversation belong in the list for this filter? Mirrors the hub's query (visibility is the hub's job). */
export function matchesFilter(c: ConversationSummary, filter: ConversationFilter, myId: string): boolean {
  const inbox = filter.inbox ?? 'all';
  if ((inbox === 'closed') !== (c.state === 'closed')) return false;
  if (inbox === 'mine' && c.holderId !== myId && !c.assignees.includes(myId)) return false;
  if (inbox === 'unassigned' && (c.holderId !== null || c.assignees.length > 0)) return false;
  if (filter.q) {
    const q = filter.q.toLowerCase();
    const hay = [c.visitor.name, c.visitor.email ?? '', c.lastMessage?.text ?? ''].map((s) => s.toLowerCase());
    if (!hay.some((s) => s.includes(q))) return false;
  }
  if (filter.botStatus && c.botStatus !== filter.botStatus) return false;
  if (filter.ticketStatus && c.ticketStatus !== filter.ticketStatus) return false;
  if (filter.channel && c.channel !== filter.channel) return false;
  if (filter.language && c.language !== filter.language && !c.language.startsWith(`${filter.language}-`)) return false;
  if (filter.tag && !c.tags.includes(filter.tag)) return false;
  const last = new Date(c.lastActivityAt).toISOString();
  if (filter.from && last < rangeStart(filter.from)) return false;
  if (filter.to && last >= rangeEnd(filter.to)) return false;
  return true;
}

/** Newest activity first (the hub's order). */
export function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return b.lastActivityAt.localeCompare(a.lastActivityAt) || a.id.localeCompare(b.id);
}

/** Inserts, replaces or removes one conversation and keeps the order. */
export function upsert(items: ConversationSummary[], c: ConversationSummary, keep: boolean): ConversationSummary[] {
  const rest = items.filter((item) => item.id !== c.id);
  if (keep) rest.push(c);
  return rest.sort(byActivity);
}
