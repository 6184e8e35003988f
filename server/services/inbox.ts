/** The agent's reads: the inbox list with its tab counts, the dashboard tiles, one conversation in full. */
import type { ConversationList, ConversationListQuery, LanguageCount, VisitorExport } from '../../protocol/api.js';
import { dashboardStats, inboxCounts, type InboxFields, inInbox, listCursorAfter } from '../../protocol/inbox.js';
import type { ConversationDetail, DashboardStats, Inbox as InboxView, InboxCounts, Message, Visitor } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { HubError, notFound } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import { retentionCutoff } from '../rules/retention.js';
import { canSee } from '../rules/visibility.js';
import { toConversation, toVisitor } from '../store/mappers.js';
import type { CountGroup } from '../store/inbox-queries.js';
import type { ConversationsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { visibleConversation } from './access.js';
import type { Broadcaster } from './broadcaster.js';
import type { Views } from './views.js';

/** A transcript is read whole for the detail view and exports (bounded, so one request can't read without end). */
const TRANSCRIPT_LIMIT = 100_000;

/**
 * The counts and tiles from the database's groups (store/inbox-queries.ts countGroups): each group stands for its
 * conversations as one conversation carrying their summed unreplied count, which is exact for the view counts and
 * the unreplied tiles; the tiles that count conversations take the group's size.
 */
function fromGroups(groups: CountGroup[], agentId: string): { counts: InboxCounts; stats: DashboardStats } {
  const stand = groups.map((g) => represent(g, agentId));
  const stats = dashboardStats(stand, agentId);
  const open = groups.filter((g) => g.state === 'open');
  stats.assignedToMe = open.filter((g) => g.mine).reduce((n, g) => n + g.conversations, 0);
  stats.unassigned = open.filter((g) => g.unassigned).reduce((n, g) => n + g.conversations, 0);
  return { counts: inboxCounts(stand, agentId), stats };
}

/** One conversation standing for a count group's (see fromGroups). */
function represent(g: CountGroup, agentId: string): InboxFields {
  return {
    state: g.state as InboxFields['state'],
    holderId: g.mine ? agentId : g.unassigned ? null : '\u0000someone else',
    assignees: [],
    unrepliedCount: g.unreplied,
    outgoing: g.outgoing === 1,
    ticketStatus: g.ticket_status as InboxFields['ticketStatus'],
    expired: g.expired === 1,
  };
}

/** How many conversations an inbox view lists, from the count groups: exact, and without reading the view's rows. */
function viewTotal(groups: CountGroup[], inbox: InboxView, agentId: string): number {
  return groups.filter((g) => inInbox(represent(g, agentId), inbox, agentId)).reduce((n, g) => n + g.conversations, 0);
}

/** Keys of a list query that leave its total alone. */
const PAGING = new Set(['inbox', 'limit', 'offset']);

export class Inbox {
  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  retentionCutoff(): string {
    return retentionCutoff(this.clock.now(), this.config.retentionDays);
  }

  /** The filtered page, with the view counts unless `counts` is false (they cost the most at a year of traffic). */
  async list(viewer: Actor, query: ConversationListQuery): Promise<ConversationList> {
    const cutoff = this.retentionCutoff();
    const { cursor, counts = true, ...rest } = query;
    // A view without other filters (the tabs) takes its total from the count groups, which the database keeps.
    const viewOnly = Object.entries(rest).every(([key, value]) => value === undefined || PAGING.has(key));
    const [page, counted] = await Promise.all([
      this.store.inbox.list(viewer, {
        ...rest,
        ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }),
        retentionCutoff: cutoff,
        countTotal: !viewOnly,
      }),
      counts || viewOnly ? this.store.inbox.countGroups(viewer, cutoff) : null,
    ]);
    const { rows, more, totalIsLowerBound } = page;
    const total = viewOnly && counted ? viewTotal(counted, rest.inbox ?? 'all', viewer.id) : page.total;
    const items = await this.views.summaries(rows.map(toConversation));
    const last = rows.at(-1);
    return {
      items,
      total,
      ...(totalIsLowerBound ? { totalIsLowerBound: true as const } : {}),
      ...(counted && counts ? { counts: fromGroups(counted, viewer.id).counts } : {}),
      next: more && last ? encodeCursor(last) : null,
    };
  }

  async stats(viewer: Actor): Promise<DashboardStats> {
    return fromGroups(await this.store.inbox.countGroups(viewer, this.retentionCutoff()), viewer.id).stats;
  }

  /** The language filter's choices: the visitor languages of what the viewer may see, with counts. */
  async languages(viewer: Actor): Promise<LanguageCount[]> {
    return this.store.inbox.languages(viewer, this.retentionCutoff());
  }

  async detail(viewer: Actor, id: string): Promise<ConversationDetail> {
    const record = await visibleConversation(this.store, viewer, id);
    const visitor = await this.store.visitors.get(record.visitorId);
    if (!visitor) throw notFound('Visitor');
    const [conversation, messages, notes] = await Promise.all([
      this.views.summary(record),
      this.store.messages.after(record.id, 0, TRANSCRIPT_LIMIT).then((list) => this.views.withAttachments(list)),
      this.store.messages.notes(record.id),
    ]);
    return { conversation, visitor: toVisitor(visitor, conversation.visitor.online), messages, notes };
  }

  /** Throws not_found unless the viewer may see the conversation. */
  async checkVisible(viewer: Actor, id: string): Promise<void> {
    await visibleConversation(this.store, viewer, id);
  }

  async messagesAfter(viewer: Actor, id: string, afterId: number): Promise<Message[]> {
    const record = await visibleConversation(this.store, viewer, id);
    return this.views.withAttachments(await this.store.messages.after(record.id, afterId));
  }

  /** A visitor is visible to an agent who can see at least one of their conversations (admins: all). */
  async #visibleVisitor(viewer: Actor, id: string) {
    const visitor = await this.store.visitors.get(id);
    if (!visitor) throw notFound('Visitor');
    const conversations = (await this.store.conversations.ofVisitor(id)).filter((c) => canSee(viewer, c));
    if (viewer.role !== 'admin' && conversations.length === 0) throw notFound('Visitor');
    return { visitor, conversations };
  }

  async visitor(viewer: Actor, id: string): Promise<Visitor> {
    const { visitor } = await this.#visibleVisitor(viewer, id);
    return toVisitor(visitor, await this.broadcaster.visitorOnline(visitor.id, 'shown'));
  }

  /** Everything about a visitor that this agent may see (GDPR access request). */
  async visitorExport(viewer: Actor, id: string): Promise<VisitorExport> {
    const { visitor, conversations } = await this.#visibleVisitor(viewer, id);
    const summaries = await this.views.summaries(conversations);
    return {
      visitor: toVisitor(visitor, await this.broadcaster.visitorOnline(visitor.id, 'shown')),
      conversations: await Promise.all(
        conversations.map(async (c, i) => ({
          conversation: summaries[i] ?? (await this.views.summary(c)),
          messages: await this.views.withAttachments(await this.store.messages.after(c.id, 0, TRANSCRIPT_LIMIT)),
          notes: await this.store.messages.notes(c.id),
        })),
      ),
      exportedAt: this.clock.now().toISOString(),
    };
  }
}

/** A list page's end as an opaque cursor: its last row's sort key (last activity, id), as the panel makes it too. */
function encodeCursor(row: Pick<ConversationsTable, 'last_activity_at' | 'id'>): string {
  return listCursorAfter({ lastActivityAt: row.last_activity_at, id: row.id });
}

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // Not one of ours: refused below.
  }
  throw new HubError('bad_request', 'Unknown cursor: use the `next` of the previous page', 'cursor');
}
