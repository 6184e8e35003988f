/**
 * What the inbox filters mean, written once. The hub's SQL implements the same filter (server/store),
 * the panel applies these predicates to live updates so that a pushed summary lands in (or leaves)
 * the right list without a refetch, and the counts on both sides come from `isMine`/`isUnassigned`.
 * Tests hold both to it: test/server/inbox-views.test.ts (each view lists what these predicates say, and its
 * count is its conversations' unreplied messages) and agent-panel/panel.test.ts (the panel's live list equals the
 * hub's answer for every filter).
 */
import {
  BOT_STATUSES,
  type BotStatus,
  CHANNELS,
  type Channel,
  type ConversationFilter,
  type ConversationSummary,
  type DashboardStats,
  INBOXES,
  type InboxCounts,
  type Inbox,
  TICKET_STATUSES,
  type TicketStatus,
} from './types.js';

export const FILTER_KEYS = ['inbox', 'q', 'botStatus', 'ticketStatus', 'language', 'channel', 'tag', 'contactTag', 'contactId', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** `2026-08-07`, or an ISO date-time. */
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

/** The fields the inbox predicates and counters read. */
export type InboxFields = Pick<ConversationSummary, 'state' | 'holderId' | 'assignees' | 'unrepliedCount' | 'outgoing' | 'ticketStatus' | 'expired'>;

/** Mine: I hold it (took it over) or I am one of its assignees. */
export const isMine = (c: InboxFields, agentId: string): boolean => c.holderId === agentId || c.assignees.includes(agentId);

/** Unassigned: nobody holds it and nobody is assigned. */
export const isUnassigned = (c: InboxFields): boolean => c.holderId === null && c.assignees.length === 0;

/**
 * Is `c` in inbox view `inbox` for agent `agentId`? (Visibility is the hub's job, not a filter.)
 * - new / active / pending / inactive: open conversations by ticket status (no agent reply yet, replied,
 *   the visitor wrote again, quiet for the inactivity window), outgoing ones excepted;
 * - expired: the visitor's last message has waited over 24 h without an agent's reply;
 * - outgoing: started by an agent, not answered yet; closed: closed;
 * - mine, unassigned, all: open conversations I hold or am assigned to, nobody's, everyone's.
 */
export function inInbox(c: InboxFields, inbox: Inbox, agentId: string): boolean {
  if ((inbox === 'closed') !== (c.state === 'closed')) return false;
  switch (inbox) {
    case 'new':
    case 'active':
    case 'pending':
    case 'inactive':
      return !c.outgoing && c.ticketStatus === inbox;
    case 'expired':
      return c.expired;
    case 'outgoing':
      return c.outgoing;
    case 'mine':
      return isMine(c, agentId);
    case 'unassigned':
      return isUnassigned(c);
    case 'closed':
    case 'all':
      return true;
  }
}

const oneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** A real calendar date or date-time (`2026-02-31` and `T99:99` are not). */
export function isValidDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time)) return false;
  // Date.parse rolls 2026-02-31 over to March: require the day to survive the round trip.
  return new Date(time).toISOString().slice(0, 10) === value.slice(0, 10) || value.length > 10;
}

/** Keeps only known keys with valid values (a URL hash or a CRM may hand us anything). */
export function cleanFilter(input: Partial<Record<FilterKey, unknown>>): ConversationFilter {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const inbox = str(input.inbox);
  const filter: ConversationFilter = { inbox: oneOf(INBOXES, inbox) ? inbox : 'all' };
  const q = str(input.q);
  if (q) filter.q = q;
  const bot = str(input.botStatus);
  if (oneOf<BotStatus>(BOT_STATUSES, bot)) filter.botStatus = bot;
  const ticket = str(input.ticketStatus);
  if (oneOf<TicketStatus>(TICKET_STATUSES, ticket)) filter.ticketStatus = ticket;
  const language = str(input.language);
  if (language) filter.language = language;
  const channel = str(input.channel);
  if (oneOf<Channel>(CHANNELS, channel)) filter.channel = channel;
  const tag = str(input.tag);
  if (tag) filter.tag = tag;
  const contactTag = str(input.contactTag);
  if (contactTag) filter.contactTag = contactTag;
  const contactId = str(input.contactId);
  if (contactId) filter.contactId = contactId;
  const from = str(input.from);
  if (isValidDate(from)) filter.from = from;
  const to = str(input.to);
  if (isValidDate(to)) filter.to = to;
  return filter;
}

/** Start of a `from` value: a bare date covers its whole UTC day. */
export function rangeStart(value: string): string {
  return value.length === 10 ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/** Exclusive end of a `to` value: `2026-08-09` → start of 10 August, so the whole 9th is included. */
export function rangeEnd(value: string): string {
  if (value.length !== 10) return new Date(new Date(value).getTime() + 1).toISOString();
  const end = new Date(`${value}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return end.toISOString();
}

/** A language filter matches the tag itself and its regional variants (`en` matches `en-GB`). */
export const languageMatches = (language: string, wanted: string): boolean => language === wanted || language.startsWith(`${wanted}-`);

/** Does a conversation belong in the list for this filter? The hub's list query means the same. */
export function matchesFilter(c: ConversationSummary, filter: ConversationFilter, agentId: string): boolean {
  if (!inInbox(c, filter.inbox ?? 'all', agentId)) return false;
  if (filter.q) {
    const q = filter.q.toLowerCase();
    const hay = [c.visitor.name, c.visitor.email ?? '', c.lastMessage?.text ?? ''].map((s) => s.toLowerCase());
    if (!hay.some((s) => s.includes(q))) return false;
  }
  if (filter.botStatus && c.botStatus !== filter.botStatus) return false;
  if (filter.ticketStatus && c.ticketStatus !== filter.ticketStatus) return false;
  if (filter.channel && c.channel !== filter.channel) return false;
  if (filter.language && !languageMatches(c.language, filter.language)) return false;
  if (filter.tag && !c.tags.includes(filter.tag)) return false;
  if (filter.contactTag && !c.contactTags.includes(filter.contactTag)) return false;
  if (filter.contactId && c.contactId !== filter.contactId) return false;
  const last = new Date(c.lastActivityAt).toISOString();
  if (filter.from && last < rangeStart(filter.from)) return false;
  if (filter.to && last >= rangeEnd(filter.to)) return false;
  return true;
}

/** Newest activity first, then id: the hub's order. */
export function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return b.lastActivityAt.localeCompare(a.lastActivityAt) || a.id.localeCompare(b.id);
}

/**
 * The list's cursor after conversation `c`: the `next` of a page that ends with it (base64url of its `byActivity` key,
 * opaque to callers). The hub writes it under its pages and reads it back (server/services/inbox.ts); a panel that
 * trims its live list makes one for the row it now ends with.
 */
export function listCursorAfter(c: Pick<ConversationSummary, 'lastActivityAt' | 'id'>): string {
  const bytes = new TextEncoder().encode(JSON.stringify([c.lastActivityAt, c.id]));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/**
 * Inserts, replaces or removes one conversation of a list in `byActivity` order, keeping the order: one pass and a
 * binary search, not a sort (a panel applies this to its whole list for every live update).
 */
export function upsert(items: ConversationSummary[], c: ConversationSummary, keep: boolean): ConversationSummary[] {
  const rest = items.filter((item) => item.id !== c.id);
  if (!keep) return rest;
  let low = 0;
  let high = rest.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byActivity(rest[middle] as ConversationSummary, c) <= 0) low = middle + 1;
    else high = middle;
  }
  rest.splice(low, 0, c);
  return rest;
}

export const noCounts = (): InboxCounts => Object.fromEntries(INBOXES.map((inbox) => [inbox, 0])) as InboxCounts;

/** Each view's unreplied visitor messages over a set of conversations (the hub counts within the retention window). */
export function inboxCounts(items: Iterable<InboxFields>, agentId: string): InboxCounts {
  const counts = noCounts();
  for (const c of items) for (const inbox of INBOXES) if (inInbox(c, inbox, agentId)) counts[inbox] += c.unrepliedCount;
  return counts;
}

/** The dashboard tiles over a set of conversations: open ones only. */
export function dashboardStats(items: Iterable<InboxFields>, agentId: string): DashboardStats {
  const stats: DashboardStats = { assignedToMe: 0, myUnreplied: 0, unassigned: 0, totalUnreplied: 0 };
  for (const c of items) {
    if (c.state !== 'open') continue;
    const mine = isMine(c, agentId);
    if (mine) stats.assignedToMe += 1;
    if (mine) stats.myUnreplied += c.unrepliedCount;
    if (isUnassigned(c)) stats.unassigned += 1;
    stats.totalUnreplied += c.unrepliedCount;
  }
  return stats;
}

/**
 * Counts after one conversation changed from `previous` (null: it is new to this agent) to `next`
 * (null: it was deleted or hidden). The hub sends `previous` with every live update, so a panel keeps
 * its tab counts and tiles exact without asking the hub again.
 */
export function applyCountChange<T extends InboxCounts | DashboardStats>(
  counts: T,
  previous: InboxFields | null,
  next: InboxFields | null,
  agentId: string,
  count: (items: InboxFields[], agentId: string) => T,
): T {
  const removed = count(previous ? [previous] : [], agentId);
  const added = count(next ? [next] : [], agentId);
  const result = { ...counts };
  for (const key of Object.keys(result) as (keyof T)[]) {
    (result[key] as number) = Math.max(0, (counts[key] as number) - (removed[key] as number) + (added[key] as number));
  }
  return result;
}
