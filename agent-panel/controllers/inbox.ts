/**
 * The panel's inbox state, as one Lit reactive controller: the list (items, total) for the current filter,
 * the tab counts, the dashboard tiles, the team, and the open conversation (detail, visitor typing,
 * downloads, and through `contacts` its contact, field definitions and tag catalogue). It makes the REST calls and
 * applies the hub's live events, so `<switchboard-agent-panel>` only renders what is here and the child components
 * only fire intents.
 *
 * Why: live updates are applied locally. Every `conversation:updated` / `conversation:deleted` carries the
 * conversation's inbox state before the change (`previous`), so the list (protocol/inbox.ts `matchesFilter`,
 * `upsert`), the tab counts and the tiles (`applyCountChange`) follow the push alone. REST is only asked on
 * the first load, a filter change (the list alone: counting is the hub's costliest read), opening a conversation,
 * and a socket (re)connect.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LanguageCount } from '../../protocol/api.js';
import type { Contact } from '../../protocol/contacts.js';
import type { ConversationChange } from '../../protocol/events.js';
import { type InboxFields, noCounts } from '../../protocol/inbox.js';
import type { Agent, ConversationDetail, ConversationFilter, ConversationSummary, DashboardStats, InboxCounts, Message, Note } from '../../protocol/types.js';
import type { HubApi } from '../api.js';
import type { ContactScope, ConversationIntent, PanelEventMap } from '../events.js';
import { withTyping, withViewers } from './collision.js';
import { cleanFilter, countLanguage, sameTags } from '../filters.js';
import { errorText } from '../format.js';
import { InboxTracker, visitorConversation } from '../panel-parts.js';
import { ContactContext } from './contact-context.js';
import { DOWNLOAD_LABELS, revokeDownloads, withDownload, type Download, fetchDownload, runConversationIntent } from './conversation-actions.js';
import { HubController } from './hub.js';
import { ListWindow, moveCounts, withPresence } from './inbox-list.js';

export type InboxHost = ReactiveControllerHost & HTMLElement;

export interface InboxOptions {
  /** The hub refused the token while the panel was open. */
  refused: () => void;
}

const NO_COUNTS: InboxCounts = noCounts();

export class InboxController implements ReactiveController {
  items: ConversationSummary[] = [];
  /** Conversations matching the filter at the hub (the list may hold its first pages only). */
  total = 0;
  /** `total` is a lower bound: a search for a common word is counted among the latest conversations only. */
  totalIsLowerBound = false;
  /** The cursor of the list's next page (null: all loaded), and whether it is being fetched (infinite scroll). */
  next: string | null = null;
  loadingMore = false;
  counts: InboxCounts = NO_COUNTS;
  stats: DashboardStats | null = null;
  filter: ConversationFilter = { inbox: 'all' };
  loading = false;
  agents: Agent[] = [];
  selectedId: string | null = null;
  detail: ConversationDetail | null = null;
  typing = false;
  /** Collision: the other agents who have the open conversation open now (any hub), and those typing a reply. */
  viewers: { agentId: string; name: string }[] = [];
  agentsTyping: { agentId: string; name: string }[] = [];
  downloads: Download[] = [];
  /** The message of the last failed call, shown by the panel until dismissed. */
  error = '';
  /** The hub's refusal of the last Close (shown in the close dialog, not the panel's alert). */
  closeError = '';
  /** The visitor languages of the conversations this agent may see: the language filter's choices. */
  languages: LanguageCount[] = [];
  /** The socket; its events are applied here. */
  readonly live: HubController;
  /** The open conversation's contact, the contact field definitions and the tag catalogue. */
  readonly contacts: ContactContext;

  #api: HubApi | null = null;
  #me: Agent | null = null;
  #listSeq = 0;
  /** The rows the agent loaded, which the live list keeps to (inbox-list.ts). */
  #window = new ListWindow();
  #openSeq = 0;
  /** The counts, tiles and languages held came with this connection: the live updates keep them since. */
  #counted = false;
  #tracker = new InboxTracker();

  constructor(
    private readonly host: InboxHost,
    options: InboxOptions,
  ) {
    host.addController(this);
    this.contacts = new ContactContext(() => host.requestUpdate());
    this.live = new HubController(host, {
      // First connect and every reconnect: events may have been missed, so load afresh.
      connect: () => {
        this.#counted = false;
        void this.refresh();
      },
      refused: options.refused,
      'conversation:updated': (c, change) => this.#onUpdated(c, change),
      'conversation:deleted': ({ conversationId, previous }) => this.#onDeleted(conversationId, previous),
      'message:new': (m) => this.#onMessage(m),
      'note:new': (n) => this.#onNote(n),
      'visitor:presence': ({ visitorId, online }) => this.#set(withPresence(this, visitorId, online)),
      'visitor:typing': ({ conversationId, typing }) => {
        if (this.detail?.conversation.id === conversationId) this.#set({ typing });
      },
      'conversation:viewers': ({ conversationId, viewers }) => {
        if (this.detail?.conversation.id === conversationId) this.#set(withViewers(viewers, this.#me?.id, this.agentsTyping));
      },
      'conversation:agent-typing': (event) => {
        const mine = this.detail?.conversation.id === event.conversationId && event.agentId !== this.#me?.id;
        if (mine) this.#set({ agentsTyping: withTyping(this.agentsTyping, event) });
      },
      'agent:presence': ({ agentId, online }) => this.#set({ agents: this.agents.map((a) => (a.id === agentId ? { ...a, online } : a)) }),
    });
  }

  hostDisconnected(): void {
    this.#clearDownloads();
  }

  // ------------------------------------------------------------ session

  /** Signs the inbox in: loads the team, connects the socket (whose connect loads the list). Throws ApiError. */
  async start(api: HubApi, me: Agent): Promise<void> {
    this.#api = api;
    this.#me = me;
    this.agents = (await api.call('GET /api/agents')).items;
    void this.contacts.start(api);
    this.live.connect(api.hub, api.token ?? '');
    await this.refresh();
  }

  stop(): void {
    this.live.disconnect();
    this.#api = null;
    this.#me = null;
    this.#listSeq++;
    this.#openSeq++;
    this.#counted = false;
    this.#clearDownloads();
    this.contacts.stop();
    this.#set({ items: [], total: 0, totalIsLowerBound: false, next: null, counts: NO_COUNTS, stats: null, selectedId: null, detail: null, loading: false });
  }

  /** The team changed (admin screens): the assignment and visibility pickers follow. */
  setAgents(agents: Agent[]): void {
    this.#set({ agents });
  }

  fail(error: unknown): void {
    this.#set({ error: errorText(error) });
  }

  dismiss(): void {
    this.#set({ error: '' });
  }

  // ------------------------------------------------------------ list

  setFilter(filter: ConversationFilter): void {
    this.filter = cleanFilter(filter as Record<string, unknown>);
    void this.refresh();
  }

  /**
   * Fetches the list for the filter. The first time on a connection also the tab counts, the tiles, the language
   * choices and, for the unread total, the whole inbox when filtered; the live updates keep those afterwards.
   */
  async refresh(): Promise<void> {
    const api = this.#api;
    if (!api || !this.#me) return;
    const seq = ++this.#listSeq;
    const full = !this.#counted;
    this.#set({ loading: true });
    try {
      const unfiltered = this.filter.inbox === 'all' && Object.keys(this.filter).length === 1;
      const [list, stats, all, languages] = await Promise.all([
        api.call('GET /api/conversations', { query: { ...this.filter, counts: full } }),
        full ? api.call('GET /api/stats') : this.stats,
        full && !unfiltered ? api.call('GET /api/conversations', { query: { inbox: 'all', limit: 200, counts: false } }) : null,
        // The filter's choices: without them the filter still works (the choice in the URL is offered).
        full
          ? api.call('GET /api/languages').then(
              (answer) => answer.items,
              () => this.languages,
            )
          : this.languages,
      ]);
      if (seq !== this.#listSeq) return;
      for (const c of [...list.items, ...(all?.items ?? [])]) this.#track(c, false);
      this.#window.loaded(list.items.length);
      this.#set({
        items: list.items,
        total: list.total,
        totalIsLowerBound: list.totalIsLowerBound === true,
        next: list.next ?? null,
        counts: list.counts ?? this.counts,
        stats,
        languages,
        loading: false,
      });
      if (full) this.#counted = true;
      this.#emitUnread();
    } catch (error) {
      if (seq === this.#listSeq) this.#set({ loading: false, error: errorText(error) });
    }
  }

  /** The list's next page, appended (keyset cursor: a conversation that moved meanwhile is not listed twice). */
  async loadMore(): Promise<void> {
    const api = this.#api;
    if (!api || !this.next || this.loadingMore) return;
    const seq = this.#listSeq;
    this.#set({ loadingMore: true });
    try {
      const page = await api.call('GET /api/conversations', { query: { ...this.filter, cursor: this.next, counts: false } });
      if (seq !== this.#listSeq) return;
      const known = new Set(this.items.map((c) => c.id));
      for (const c of page.items) this.#track(c, false);
      const items = [...this.items, ...page.items.filter((c) => !known.has(c.id))];
      this.#window.more(page.items, items.length);
      this.#set({ items, next: page.next, loadingMore: false });
    } catch (error) {
      if (seq === this.#listSeq) this.#set({ loadingMore: false, error: errorText(error) });
    }
  }

  // ------------------------------------------------------------ the open conversation

  /** Opens a conversation by id. Resolves false if the hub refuses (not found or not visible). */
  async open(id: string): Promise<boolean> {
    const api = this.#api;
    if (!api) return false;
    const seq = ++this.#openSeq;
    this.#clearDownloads();
    this.contacts.clearFeedback();
    this.#set({ selectedId: id, typing: false, closeError: '', viewers: [], agentsTyping: [] });
    try {
      const detail = await api.call('GET /api/conversations/:id', { params: { id } });
      if (seq !== this.#openSeq) return false;
      this.#set({ detail });
      this.contacts.follow(detail.conversation.contactId);
      this.live.watch(id, () => lastMessageId(this.detail, id));
      if (detail.conversation.unreadCount > 0) this.live.markRead(id);
      this.#emit('switchboard-conversation-selected', { conversationId: id });
      return true;
    } catch (error) {
      if (seq === this.#openSeq) this.#set({ selectedId: null, detail: null, error: errorText(error) });
      return false;
    }
  }

  /** Opens the visitor's latest conversation (open ones first), found by email or visitor id. Resolves its id or null. */
  async openByVisitor(ref: { email: string } | { visitorId: string }): Promise<string | null> {
    if (!this.#api) return null;
    const best = await visitorConversation(this.#api, ref).catch((error: unknown) => void this.fail(error));
    if (!best) return null;
    return (await this.open(best.id)) ? best.id : null;
  }

  /** Closes the open conversation (the list stays). */
  close(): void {
    this.#openSeq++;
    this.#clearDownloads();
    this.live.watch(null);
    this.contacts.follow(null);
    this.#set({ selectedId: null, detail: null, typing: false, viewers: [], agentsTyping: [] });
  }

  /** Runs an intent of the conversation view; resolves whether the hub accepted it (a refusal shows its message). */
  async act(intent: ConversationIntent): Promise<boolean> {
    const api = this.#api;
    if (!api) return false;
    // The side panel's contact and tag forms show the outcome next to them.
    const scope: ContactScope | null = intent.action === 'contact' ? intent.scope : intent.action === 'tags' ? 'conversation-tags' : null;
    if (scope) this.contacts.clearFeedback();
    if (intent.action === 'close') this.#set({ closeError: '' });
    try {
      if (intent.action === 'contact') {
        this.#applyContact(await this.contacts.patch(intent.contactId, intent.patch));
        if (scope === 'fields') this.contacts.report(scope, 'Saved', false);
        return true;
      }
      if (intent.action === 'download') {
        const { blob, name } = await fetchDownload(api, intent.conversationId, intent.visitorId, intent.kind);
        this.#set({ downloads: withDownload(this.downloads, DOWNLOAD_LABELS[intent.kind], blob, name) });
        return true;
      }
      const summary = await runConversationIntent(api, this.live, intent);
      // The same summary also comes as a push with `previous`, which moves the counts (for a reply: from its answer,
      // hub.ts `send`); this shows it at once.
      if (summary) this.#place(summary);
      return true;
    } catch (error) {
      if (scope) this.contacts.report(scope, errorText(error), true);
      else if (intent.action === 'close') this.#set({ closeError: errorText(error) });
      else this.fail(error);
      return false;
    }
  }

  /** A contact changed here: its tags on its conversations follow at once (the contact-tag filter too). */
  #applyContact(contact: Contact): void {
    const stale = new Map<string, ConversationSummary>();
    for (const c of [...this.items, ...(this.detail ? [this.detail.conversation] : [])])
      if (c.contactId === contact.id && !sameTags(c.contactTags, contact.tags)) stale.set(c.id, c);
    for (const c of stale.values()) this.#place({ ...c, contactTags: [...contact.tags] });
  }

  #clearDownloads(): void {
    this.downloads = revokeDownloads(this.downloads);
  }

  // ------------------------------------------------------------ live events

  #onUpdated(c: ConversationSummary, change: ConversationChange | undefined): void {
    this.#place(c);
    const me = this.#me;
    // `change` is absent only from a hub older than protocol/events.ts: the counts then wait for the next load.
    if (me && change) Object.assign(this, moveCounts(this, change.previous, c, me.id));
    // A conversation new to this agent in a language not offered yet: the language filter offers it.
    if (change && change.previous === null) this.languages = countLanguage(this.languages, c.language);
    this.#track(c, true);
    this.#emitUnread();
  }

  #onDeleted(conversationId: string, previous: InboxFields | null | undefined): void {
    const me = this.#me;
    Object.assign(this, this.#window.remove(this, conversationId));
    if (me && previous) Object.assign(this, moveCounts(this, previous, null, me.id));
    this.#tracker.remove(conversationId);
    if (this.selectedId === conversationId) this.close();
    this.host.requestUpdate();
    this.#emitUnread();
  }

  /** Puts a summary where it belongs: the open conversation, and in (or out of) the filtered list. */
  #place(c: ConversationSummary): void {
    const before = this.detail?.conversation;
    if (this.detail && before?.id === c.id) {
      this.detail = { ...this.detail, conversation: c };
      // Joined to another contact (identified, merged), or the contact's tags changed elsewhere: show it anew.
      if (c.contactId !== before.contactId) this.contacts.follow(c.contactId);
      else if (!sameTags(c.contactTags, before.contactTags) && !sameTags(c.contactTags, this.contacts.state.contact?.tags)) void this.contacts.reload();
    }
    if (this.#me) Object.assign(this, this.#window.place(this, c, this.filter, this.#me.id));
    this.host.requestUpdate();
  }

  #onMessage(m: Message): void {
    const d = this.detail;
    if (d?.conversation.id !== m.conversationId || d.messages.some((x) => x.id === m.id)) return;
    // In stored order: a message caught up by the watch's answer may arrive after a later one was pushed.
    const messages = [...d.messages, m];
    if (m.id < (d.messages.at(-1)?.id ?? 0)) messages.sort((a, b) => a.id - b.id);
    this.#set({ detail: { ...d, messages } });
    if (m.author === 'visitor') {
      this.#set({ typing: false });
      if (document.visibilityState === 'visible') this.live.markRead(m.conversationId);
    }
  }

  #onNote(n: Note): void {
    const d = this.detail;
    if (d?.conversation.id !== n.conversationId || d.notes.some((x) => x.id === n.id)) return;
    this.#set({ detail: { ...d, notes: [...d.notes, n] } });
  }

  // ------------------------------------------------------------ public events

  #track(c: ConversationSummary, live: boolean): void {
    if (this.#tracker.track(c, live)) this.#emit('switchboard-escalation', { conversationId: c.id, botStatus: c.botStatus });
  }

  #emitUnread(): void {
    const total = this.#tracker.changedTotal();
    if (total !== null) this.#emit('switchboard-unread-changed', { total });
  }

  /** Public events leave the panel: from its host element, bubbling and composed. */
  #emit<K extends keyof PanelEventMap>(name: K, detail: PanelEventMap[K]): void {
    this.host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  #set(patch: Partial<Pick<InboxController, StateKey>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }
}

/** The state fields `#set` patches: every public field but the methods and the sub-controllers. */
type StateKey = Exclude<
  { [K in keyof InboxController]: InboxController[K] extends (...args: never[]) => unknown ? never : K }[keyof InboxController],
  'live' | 'contacts'
>;

/** The id of the last message the panel holds of conversation `id` (0: none, or another conversation is open). */
function lastMessageId(detail: ConversationDetail | null, id: string): number {
  if (detail?.conversation.id !== id) return 0;
  return detail.messages.reduce((last, m) => Math.max(last, m.id), 0);
}
