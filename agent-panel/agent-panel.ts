import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type {
  Agent,
  BotStatus,
  ConversationDetail,
  ConversationFilter,
  ConversationSummary,
  DashboardStats,
  InboxCounts,
  Message,
  Note,
} from '../protocol/types.js';
import { panelStyles, themeDefaults } from './agent-panel.styles.js';
import { layoutStyles } from './agent-panel.layout.styles.js';
import { ApiError, HubApi } from './api.js';
import './components/admin-view.js';
import './components/conversation-list.js';
import './components/conversation-view.js';
import { HubController } from './controllers/hub.js';
import { cleanFilter, filterFromHash, filterToParams, matchesFilter, upsert } from './filters.js';
import { errorText } from './format.js';
import { InboxTracker, loginTemplate, tilesTemplate, visitorConversations } from './panel-parts.js';

const TOKEN_KEY = 'switchboard-agent-token';

/** Detail of the panel's DOM events. */
export interface PanelEventMap {
  'conversation-selected': { conversationId: string };
  'unread-changed': { total: number };
  escalation: { conversationId: string; botStatus: BotStatus };
}

/**
 * The Switchboard agent panel, for embedding in a CRM page: dashboard tiles, the customers view (inboxes,
 * search, filters, live list), the conversation view, and admin screens for admins.
 *
 * @fires conversation-selected - `{ conversationId }` a conversation was opened
 * @fires unread-changed - `{ total }` unread visitor messages across the conversations the agent can see
 * @fires escalation - `{ conversationId, botStatus }` a conversation nobody holds now needs a human
 * @csspart base - the panel's outer box
 */
@customElement('switchboard-agent-panel')
export class SwitchboardAgentPanel extends LitElement {
  static override styles = [themeDefaults, panelStyles, layoutStyles];

  /** Base URL of the hub; defaults to this page's origin. */
  @property() hub = '';
  /** An agent token (from `POST /api/auth/login`). Without one the panel shows a sign-in form. */
  @property() token = '';
  /** Mirror the filters in `location.hash` (and read them from it at start) so a CRM can deep-link. */
  @property({ type: Boolean, attribute: 'sync-hash' }) syncHash = false;

  @state() me: Agent | null = null;
  @state() private agents: Agent[] = [];
  @state() private filter: ConversationFilter = { inbox: 'all' };
  @state() private items: ConversationSummary[] = [];
  @state() private total = 0;
  @state() private counts: InboxCounts = { all: 0, mine: 0, unassigned: 0, closed: 0 };
  @state() private stats: DashboardStats | null = null;
  @state() private selectedId: string | null = null;
  @state() private detail: ConversationDetail | null = null;
  @state() private typing = false;
  @state() private view: 'inbox' | 'admin' = 'inbox';
  @state() private error = '';
  @state() private loading = false;

  /** The REST client (typed by protocol/api.ts), usable by the host page with the same token. */
  api = new HubApi('', null);
  readonly live = new HubController(this, {
    connect: () => void this.refresh(),
    // The token was revoked or expired while the panel was open.
    refused: () => void this.#signedOut('Your session has ended. Please sign in again.'),
    'conversation:updated': (c) => this.#onUpdated(c),
    'conversation:deleted': ({ conversationId }) => this.#onDeleted(conversationId),
    'message:new': (m) => this.#onMessage(m),
    'note:new': (n) => this.#onNote(n),
    'visitor:presence': ({ visitorId, online }) => this.#onPresence(visitorId, online),
    'visitor:typing': ({ conversationId, typing }) => {
      if (this.detail?.conversation.id === conversationId) this.typing = typing;
    },
    'agent:presence': ({ agentId, online }) => {
      this.agents = this.agents.map((a) => (a.id === agentId ? { ...a, online } : a));
    },
  });
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #listSeq = 0;
  #openSeq = 0;
  #tracker = new InboxTracker();
  #startedWith = '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.syncHash) {
      this.filter = filterFromHash(location.hash);
      window.addEventListener('hashchange', this.#onHash);
    }
    const token = this.token || sessionStorage.getItem(TOKEN_KEY) || '';
    if (token) void this.#start(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHash);
    clearTimeout(this.#refreshTimer);
  }

  override updated(changed: Map<string, unknown>): void {
    // A CRM may hand the token (or a new one) after the element is connected.
    if (changed.has('token') && this.token && this.token !== this.#startedWith && this.isConnected) void this.#start(this.token);
  }

  // ------------------------------------------------------------ JS API

  /** Opens a conversation by id. Resolves false if the hub refuses (not found or not visible). */
  async openConversation(id: string): Promise<boolean> {
    const seq = ++this.#openSeq;
    this.selectedId = id;
    this.view = 'inbox';
    this.typing = false;
    try {
      const detail = await this.api.call('GET /api/conversations/:id', { params: { id } });
      if (seq !== this.#openSeq) return false;
      this.detail = detail;
      this.live.watch(id);
      if (detail.conversation.unreadCount > 0) this.live.markRead(id);
      this.#emit('conversation-selected', { conversationId: id });
      return true;
    } catch (error) {
      if (seq === this.#openSeq) {
        this.selectedId = null;
        this.detail = null;
        this.#fail(error);
      }
      return false;
    }
  }

  /** Opens the visitor's latest conversation (open ones first), found by email or visitor id. Resolves its id or null. */
  async openByVisitor(ref: { email: string } | { visitorId: string }): Promise<string | null> {
    let candidates: ConversationSummary[];
    try {
      candidates = await visitorConversations(this.api, ref);
    } catch (error) {
      this.#fail(error);
      return null;
    }
    const best = candidates.sort((a, b) => Number(a.state === 'closed') - Number(b.state === 'closed') || b.lastActivityAt.localeCompare(a.lastActivityAt))[0];
    if (!best) return null;
    return (await this.openConversation(best.id)) ? best.id : null;
  }

  /** Replaces the customers view's filter (and the URL hash with `sync-hash`). */
  setFilter(filter: ConversationFilter): void {
    this.filter = cleanFilter(filter as Record<string, unknown>);
    if (this.syncHash) {
      const hash = filterToParams(this.filter, true).toString();
      if (location.hash.slice(1) !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`);
    }
    void this.refresh();
  }

  getFilter(): ConversationFilter {
    return { ...this.filter };
  }

  /** Refetches the list, the counts and the tiles. */
  async refresh(): Promise<void> {
    if (!this.me) return;
    const seq = ++this.#listSeq;
    this.loading = true;
    try {
      const [list, stats, all] = await Promise.all([
        this.api.call('GET /api/conversations', { query: this.filter }),
        this.api.call('GET /api/stats'),
        this.filter.inbox === 'all' && Object.keys(this.filter).length === 1
          ? null
          : this.api.call('GET /api/conversations', { query: { inbox: 'all', limit: 200 } }),
      ]);
      if (seq !== this.#listSeq) return;
      this.items = list.items;
      this.total = list.total;
      this.counts = list.counts;
      this.stats = stats;
      for (const c of [...list.items, ...(all?.items ?? [])]) this.#track(c, false);
      this.#emitUnread();
    } catch (error) {
      if (seq === this.#listSeq) this.#fail(error);
    } finally {
      if (seq === this.#listSeq) this.loading = false;
    }
  }

  // ------------------------------------------------------------ session

  async #start(token: string): Promise<void> {
    this.#startedWith = token;
    this.api = new HubApi((this.hub || location.origin).replace(/\/$/, ''), token);
    try {
      this.me = await this.api.call('GET /api/me');
      this.agents = (await this.api.call('GET /api/agents')).items;
    } catch (error) {
      this.me = null;
      if (error instanceof ApiError && error.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        this.error = 'Your session has ended. Please sign in again.';
      } else this.#fail(error);
      return;
    }
    this.error = '';
    this.live.connect(this.api.hub, token);
    await this.refresh();
  }

  #login = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      const api = new HubApi((this.hub || location.origin).replace(/\/$/, ''), null);
      const { token } = await api.call('POST /api/auth/login', { body: { email: String(form.get('email')), password: String(form.get('password')) } });
      sessionStorage.setItem(TOKEN_KEY, token);
      this.error = '';
      await this.#start(token);
    } catch (error) {
      this.#fail(error);
    }
  };

  #logout = async (): Promise<void> => {
    await this.api.call('POST /api/auth/logout').catch(() => undefined);
    this.#signedOut('');
  };

  #signedOut(message: string): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.live.disconnect();
    this.#startedWith = '';
    this.me = null;
    this.detail = null;
    this.selectedId = null;
    this.items = [];
    this.error = message;
  }

  // ------------------------------------------------------------ live events

  #onUpdated(c: ConversationSummary): void {
    if (this.detail?.conversation.id === c.id) this.detail = { ...this.detail, conversation: c };
    this.#track(c, true);
    if (this.me) this.items = upsert(this.items, c, matchesFilter(c, this.filter, this.me.id));
    this.#emitUnread();
    this.#scheduleRefresh();
  }

  #onDeleted(conversationId: string): void {
    this.items = this.items.filter((c) => c.id !== conversationId);
    this.#tracker.remove(conversationId);
    if (this.selectedId === conversationId) {
      this.selectedId = null;
      this.detail = null;
      this.live.watch(null);
    }
    this.#emitUnread();
    this.#scheduleRefresh();
  }

  #onMessage(m: Message): void {
    const d = this.detail;
    if (d?.conversation.id !== m.conversationId || d.messages.some((x) => x.id === m.id)) return;
    this.detail = { ...d, messages: [...d.messages, m] };
    if (m.author === 'visitor') {
      this.typing = false;
      if (document.visibilityState === 'visible') this.live.markRead(m.conversationId);
    }
  }

  #onNote(n: Note): void {
    const d = this.detail;
    if (d?.conversation.id !== n.conversationId || d.notes.some((x) => x.id === n.id)) return;
    this.detail = { ...d, notes: [...d.notes, n] };
  }

  #onPresence(visitorId: string, online: boolean): void {
    this.items = this.items.map((c) => (c.visitorId === visitorId ? { ...c, visitor: { ...c.visitor, online } } : c));
    const d = this.detail;
    if (d?.conversation.visitorId === visitorId) {
      this.detail = { ...d, visitor: { ...d.visitor, online }, conversation: { ...d.conversation, visitor: { ...d.conversation.visitor, online } } };
    }
  }

  #track(c: ConversationSummary, live: boolean): void {
    if (this.#tracker.track(c, live)) this.#emit('escalation', { conversationId: c.id, botStatus: c.botStatus });
  }

  #emitUnread(): void {
    const total = this.#tracker.changedTotal();
    if (total !== null) this.#emit('unread-changed', { total });
  }

  /** A busy inbox sends many updates: refetch counts and tiles at most every 250 ms. */
  #scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.refresh(), 250);
  }

  #onHash = (): void => {
    const filter = filterFromHash(location.hash);
    if (filterToParams(filter).toString() !== filterToParams(this.filter).toString()) this.setFilter(filter);
  };

  #emit<K extends keyof PanelEventMap>(name: K, detail: PanelEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  #fail(error: unknown): void {
    this.error = errorText(error);
  }

  // ------------------------------------------------------------ render

  override render() {
    if (!this.me) return loginTemplate(this.error, this.#login);
    const admin = this.me.role === 'admin';
    return html`<div part="base" class="base ${this.selectedId && this.view === 'inbox' ? 'has-selection' : ''}">
      <div class="top">
        <h1>Switchboard</h1>
        <nav aria-label="Screens">
          <button type="button" class="inbox-tab" aria-current=${this.view === 'inbox' ? 'page' : 'false'} @click=${() => (this.view = 'inbox')}>Inbox</button>
          ${admin ? html`<button type="button" class="admin-tab" aria-current=${this.view === 'admin' ? 'page' : 'false'} @click=${() => (this.view = 'admin')}>Admin</button>` : nothing}
        </nav>
        <span class="status ${this.live.connected ? '' : 'offline'}">${this.me.name} (${this.me.role})${this.live.connected ? '' : ' · reconnecting…'}</span>
        <button type="button" class="logout" @click=${this.#logout}>Sign out</button>
      </div>
      <div>
        ${this.error ? html`<div class="alert" role="alert"><span class="error-text">${this.error}</span><button type="button" @click=${() => (this.error = '')}>Dismiss</button></div>` : nothing}
        ${this.view === 'inbox' ? tilesTemplate(this.stats, (filter) => this.setFilter(filter)) : nothing}
      </div>
      ${
        this.view === 'admin' && admin
          ? html`<div class="admin-pane"><sb-admin-view .api=${this.api} .me=${this.me} @agents-changed=${(e: CustomEvent<{ agents: Agent[] }>) => (this.agents = e.detail.agents)}></sb-admin-view></div>`
          : html`<div class="main ${this.selectedId ? 'has-selection' : ''}">
            <section class="list-pane" aria-label="Customers">
              <sb-conversation-list .items=${this.items} .counts=${this.counts} .filter=${this.filter} .total=${this.total} .selectedId=${this.selectedId} ?loading=${this.loading}
                @filter-change=${(e: CustomEvent<{ filter: ConversationFilter }>) => this.setFilter(e.detail.filter)}
                @open=${(e: CustomEvent<{ conversationId: string }>) => void this.openConversation(e.detail.conversationId)}></sb-conversation-list>
            </section>
            <section class="detail-pane" aria-label="Conversation">
              ${
                this.detail
                  ? html`<sb-conversation-view .api=${this.api} .hub=${this.live} .me=${this.me} .agents=${this.agents} .detail=${this.detail} ?visitorTyping=${this.typing}
                    @back=${this.#back} @sb-error=${(e: CustomEvent<{ message: string }>) => (this.error = e.detail.message)}
                    @sb-conversation=${(e: CustomEvent<{ conversation: ConversationSummary }>) => this.#onUpdated(e.detail.conversation)}></sb-conversation-view>`
                  : html`<p class="placeholder">${this.selectedId ? 'Loading…' : 'Select a conversation'}</p>`
              }
            </section>
          </div>`
      }
    </div>`;
  }

  #back = (): void => {
    this.selectedId = null;
    this.detail = null;
    this.live.watch(null);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'switchboard-agent-panel': SwitchboardAgentPanel;
  }
  interface HTMLElementEventMap {
    'conversation-selected': CustomEvent<PanelEventMap['conversation-selected']>;
    'unread-changed': CustomEvent<PanelEventMap['unread-changed']>;
    escalation: CustomEvent<PanelEventMap['escalation']>;
  }
}
