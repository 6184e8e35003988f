import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConversationList, LoginResponse } from '../protocol/api.js';
import {
  type Agent,
  BOT_STATUSES,
  type ConversationDetail,
  type ConversationFilter,
  type ConversationSummary,
  type DashboardStats,
  INBOXES,
  type InboxCounts,
  TICKET_STATUSES,
} from '../protocol/types.js';
import { panelStyles } from './agent-panel.styles.js';
import { ApiError, HubApi } from './api.js';
import './admin-view.js';
import './conversation-view.js';
import { type AgentSocket, HubSocket } from './controllers/hub-socket.js';

const FILTER_KEYS = ['inbox', 'q', 'botStatus', 'ticketStatus', 'language', 'channel', 'tag', 'from', 'to'] as const;
const LABELS: Record<string, string> = { ok: 'OK', not_understood: 'Not understood', need_help: 'Need help' };

/**
 * The agent panel, for embedding in a CRM page: customers view with inboxes, search and filters,
 * dashboard tiles, the conversation view, and admin screens for admins.
 *
 * @fires conversation-selected - detail: `{ conversationId }`
 * @fires unread-changed - detail: `{ total }` unread visitor messages across visible conversations
 * @fires escalation - detail: `{ conversationId, botStatus }` when a conversation needs a human
 * @csspart base - the wrapper
 * @cssproperty --sb-accent - brand colour; see agent-panel.styles.ts for the others
 */
@customElement('switchboard-agent-panel')
export class SwitchboardAgentPanel extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .base { display: grid; grid-template-rows: auto auto 1fr; height: 100%; min-height: 560px; }
      .top { display: flex; gap: 8px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--sb-border); flex-wrap: wrap; }
      .top h1 { font-size: 16px; margin: 0; flex: 1; }
      .tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; padding: 8px 12px; }
      .tile { background: var(--sb-surface-alt); border-radius: var(--sb-radius); padding: 6px 10px; }
      .tile b { display: block; font-size: 20px; }
      .main { display: grid; grid-template-columns: minmax(300px, 380px) 1fr; min-height: 0; border-top: 1px solid var(--sb-border); }
      .list-pane { border-right: 1px solid var(--sb-border); display: flex; flex-direction: column; min-height: 0; }
      .inboxes { display: flex; gap: 4px; padding: 8px; flex-wrap: wrap; }
      .inboxes button[aria-pressed='true'] { background: var(--sb-accent); color: var(--sb-accent-text); border-color: var(--sb-accent); }
      .inboxes button[aria-pressed='true'] .muted { color: inherit; }
      .filters { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; padding: 0 8px 8px; }
      .filters input[type='search'] { grid-column: 1 / -1; }
      ul[role='listbox'] { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
      li[role='option'] { padding: 8px 10px; border-bottom: 1px solid var(--sb-border); cursor: pointer; display: grid; gap: 2px; }
      li[aria-selected='true'] { background: #e8efff; }
      li.unread .name { font-weight: 700; }
      .row { display: flex; gap: 6px; align-items: center; justify-content: space-between; }
      .preview { color: var(--sb-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .count { background: var(--sb-accent); color: var(--sb-accent-text); border-radius: 10px; padding: 0 7px; font-size: 12px; }
      .empty { padding: 24px; text-align: center; }
      form.login { max-width: 320px; margin: 60px auto; display: grid; gap: 10px; }
      @container (max-width: 760px) {
        .main { grid-template-columns: 1fr; }
        .main.has-selection .list-pane { display: none; }
        .main:not(.has-selection) .detail-pane { display: none; }
        .tiles { grid-template-columns: repeat(2, 1fr); }
      }
    `,
  ];

  /** Base URL of the hub; defaults to this page's origin. */
  @property() hub = '';
  /** An agent token. Without one the panel shows a sign-in form. */
  @property() token = '';
  /** Mirror the filters in `location.hash` so a CRM can deep-link to a view. */
  @property({ type: Boolean, attribute: 'sync-hash' }) syncHash = false;

  @state() private me: Agent | null = null;
  @state() private agents: Agent[] = [];
  @state() private filter: ConversationFilter = { inbox: 'all' };
  @state() private items: ConversationSummary[] = [];
  @state() private counts: InboxCounts = { all: 0, mine: 0, unassigned: 0, closed: 0 };
  @state() private stats: DashboardStats | null = null;
  @state() private selectedId: string | null = null;
  @state() private detail: ConversationDetail | null = null;
  @state() private typing = false;
  @state() private view: 'inbox' | 'admin' = 'inbox';
  @state() private error = '';

  api = new HubApi('', null);
  readonly live = new HubSocket(this, (socket) => this.#wire(socket));
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #unreadTotal = -1;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.syncHash) this.filter = this.#filterFromHash();
    const token = this.token || sessionStorage.getItem('switchboard-agent-token') || '';
    if (token) void this.#start(token);
  }

  /** Opens a conversation by id (CRM integration). */
  async openConversation(id: string): Promise<void> {
    this.selectedId = id;
    this.view = 'inbox';
    try {
      this.detail = await this.api.get<ConversationDetail>(`/api/conversations/${id}`);
      this.live.socket?.emit('conversation:watch', { conversationId: id }, () => undefined);
      this.live.socket?.emit('conversation:read', { conversationId: id }, () => undefined);
      this.#emit('conversation-selected', { conversationId: id });
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Opens the latest conversation of a visitor found by email or id (CRM integration). */
  async openByVisitor(ref: { email: string } | { visitorId: string }): Promise<boolean> {
    const list = await this.api.get<ConversationList>(`/api/conversations?includeOld=true&limit=50&${'email' in ref ? `q=${encodeURIComponent(ref.email)}` : ''}`);
    const match = list.items.find((c) => ('email' in ref ? c.visitor.email === ref.email.toLowerCase() : c.visitorId === ref.visitorId));
    if (match) await this.openConversation(match.id);
    return Boolean(match);
  }

  /** Replaces the list filter (and the URL hash with `sync-hash`). */
  setFilter(filter: ConversationFilter): void {
    this.filter = { inbox: 'all', ...filter };
    if (this.syncHash) {
      const params = new URLSearchParams();
      for (const key of FILTER_KEYS) {
        const value = this.filter[key];
        if (value !== undefined && value !== '' && !(key === 'inbox' && value === 'all')) params.set(key, String(value));
      }
      history.replaceState(null, '', `#${params}`);
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = this.filter[key];
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    try {
      const [list, stats] = await Promise.all([this.api.get<ConversationList>(`/api/conversations?${params}`), this.api.get<DashboardStats>('/api/stats')]);
      this.items = list.items;
      this.counts = list.counts;
      this.stats = stats;
      const total = list.items.reduce((sum, c) => sum + c.unreadCount, 0);
      if (total !== this.#unreadTotal) {
        this.#unreadTotal = total;
        this.#emit('unread-changed', { total });
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  async #start(token: string): Promise<void> {
    this.api = new HubApi(this.hub || location.origin, token);
    try {
      this.me = await this.api.get<Agent>('/api/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        sessionStorage.removeItem('switchboard-agent-token');
        this.me = null;
        return;
      }
      throw error;
    }
    this.agents = (await this.api.get<{ items: Agent[] }>('/api/agents')).items;
    this.live.connect(this.api.hub, token);
    await this.refresh();
  }

  #wire(socket: AgentSocket): void {
    socket.on('connect', () => void this.refresh());
    socket.on('conversation:updated', (conversation) => {
      if (this.detail?.conversation.id === conversation.id) this.detail = { ...this.detail, conversation };
      if (conversation.botStatus === 'need_help' && conversation.holderId === null) this.#emit('escalation', { conversationId: conversation.id, botStatus: conversation.botStatus });
      this.#scheduleRefresh();
    });
    socket.on('conversation:deleted', ({ conversationId }) => {
      this.items = this.items.filter((c) => c.id !== conversationId);
      if (this.selectedId === conversationId) {
        this.selectedId = null;
        this.detail = null;
      }
      this.#scheduleRefresh();
    });
    socket.on('message:new', (message) => {
      if (this.detail?.conversation.id !== message.conversationId || this.detail.messages.some((m) => m.id === message.id)) return;
      this.detail = { ...this.detail, messages: [...this.detail.messages, message] };
      if (message.author === 'visitor') this.typing = false;
      if (message.author === 'visitor') socket.emit('conversation:read', { conversationId: message.conversationId }, () => undefined);
    });
    socket.on('note:new', (note) => {
      if (this.detail?.conversation.id !== note.conversationId || this.detail.notes.some((n) => n.id === note.id)) return;
      this.detail = { ...this.detail, notes: [...this.detail.notes, note] };
    });
    socket.on('visitor:typing', ({ conversationId, typing }) => {
      if (this.detail?.conversation.id === conversationId) this.typing = typing;
    });
    socket.on('visitor:presence', () => this.#scheduleRefresh());
  }

  /** Many events can arrive at once (a busy inbox): refetch at most every 150 ms. */
  #scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.refresh(), 150);
  }

  #filterFromHash(): ConversationFilter {
    const params = new URLSearchParams(location.hash.slice(1));
    const filter: Record<string, string> = { inbox: 'all' };
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (value) filter[key] = value;
    }
    return filter as ConversationFilter;
  }

  #emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  #fail(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
  }

  override render() {
    if (!this.me) return this.#renderLogin();
    return html`<div part="base" class="base">
      <div class="top">
        <h1>Conversations</h1>
        <span class="muted">${this.me.name} · ${this.me.role}${this.live.connected ? '' : ' · reconnecting…'}</span>
        <button aria-pressed=${this.view === 'inbox'} @click=${() => (this.view = 'inbox')}>Inbox</button>
        ${this.me.role === 'admin' ? html`<button class="admin-tab" aria-pressed=${this.view === 'admin'} @click=${() => (this.view = 'admin')}>Admin</button>` : nothing}
        <button @click=${this.#logout}>Sign out</button>
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error} <button @click=${() => (this.error = '')}>Dismiss</button></div>` : this.#renderTiles()}
      ${this.view === 'admin' && this.me.role === 'admin'
        ? html`<sb-admin-view .api=${this.api} .me=${this.me}></sb-admin-view>`
        : html`<div class="main ${this.selectedId ? 'has-selection' : ''}">
            <section class="list-pane" aria-label="Customers">${this.#renderInboxes()}${this.#renderFilters()}${this.#renderList()}</section>
            <section class="detail-pane" aria-label="Conversation">
              ${this.detail
                ? html`<sb-conversation-view .api=${this.api} .socket=${this.live.socket} .me=${this.me} .agents=${this.agents} .detail=${this.detail} .visitorTyping=${this.typing}
                    @back=${() => { this.selectedId = null; this.detail = null; }} @sb-error=${(e: CustomEvent<string>) => (this.error = e.detail)}></sb-conversation-view>`
                : html`<p class="empty muted">Select a conversation</p>`}
            </section>
          </div>`}
    </div>`;
  }

  #renderLogin() {
    return html`<form class="login" part="base" @submit=${this.#login}>
      <h1>Sign in to Switchboard</h1>
      <label>Email <input name="email" type="email" autocomplete="username" required /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <button class="primary" type="submit">Sign in</button>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </form>`;
  }

  #login = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      const api = new HubApi(this.hub || location.origin, null);
      const { token } = await api.post<LoginResponse>('/api/auth/login', { email: form.get('email'), password: form.get('password') });
      sessionStorage.setItem('switchboard-agent-token', token);
      this.error = '';
      await this.#start(token);
    } catch (error) {
      this.#fail(error);
    }
  };

  #logout = async (): Promise<void> => {
    await this.api.post('/api/auth/logout').catch(() => undefined);
    sessionStorage.removeItem('switchboard-agent-token');
    this.live.socket?.disconnect();
    this.me = null;
    this.detail = null;
  };

  #renderTiles() {
    const s = this.stats;
    if (!s) return nothing;
    const tile = (label: string, value: number, cls: string) => html`<div class="tile ${cls}"><b>${value}</b><span class="muted">${label}</span></div>`;
    return html`<div class="tiles" role="group" aria-label="Dashboard">
      ${tile('Assigned to me', s.assignedToMe, 'assigned')}${tile('My unreplied', s.myUnreplied, 'my-unreplied')}${tile('Unassigned', s.unassigned, 'unassigned')}${tile('Total unreplied', s.totalUnreplied, 'total-unreplied')}
    </div>`;
  }

  #renderInboxes() {
    const names: Record<string, string> = { all: 'All', mine: 'Mine', unassigned: 'Unassigned', closed: 'Closed' };
    return html`<div class="inboxes" role="group" aria-label="Inboxes">
      ${INBOXES.map((inbox) => html`<button data-inbox=${inbox} aria-pressed=${(this.filter.inbox ?? 'all') === inbox} @click=${() => this.setFilter({ ...this.filter, inbox })}>${names[inbox]} <span class="muted">${this.counts[inbox]}</span></button>`)}
    </div>`;
  }

  #renderFilters() {
    const f = this.filter;
    const set = (key: keyof ConversationFilter) => (event: Event) => {
      const value = (event.target as HTMLInputElement).value;
      this.setFilter({ ...this.filter, [key]: value || undefined });
    };
    return html`<div class="filters">
      <input type="search" name="q" aria-label="Search name, email or latest message" placeholder="Search name, email, message…" .value=${f.q ?? ''} @change=${set('q')} />
      <select name="botStatus" aria-label="Bot status" @change=${set('botStatus')}>
        <option value="">Any bot status</option>${BOT_STATUSES.map((s) => html`<option value=${s} ?selected=${f.botStatus === s}>${LABELS[s]}</option>`)}
      </select>
      <select name="ticketStatus" aria-label="Ticket status" @change=${set('ticketStatus')}>
        <option value="">Any ticket status</option>${TICKET_STATUSES.map((s) => html`<option value=${s} ?selected=${f.ticketStatus === s}>${s}</option>`)}
      </select>
      <input name="language" aria-label="Language" placeholder="Language (en, fr…)" .value=${f.language ?? ''} @change=${set('language')} />
      <select name="channel" aria-label="Channel" @change=${set('channel')}><option value="">Any channel</option><option value="webchat" ?selected=${f.channel === 'webchat'}>Webchat</option></select>
      <input name="tag" aria-label="Tag" placeholder="Tag" .value=${f.tag ?? ''} @change=${set('tag')} />
      <span></span>
      <label class="muted">From <input name="from" type="date" .value=${f.from ?? ''} @change=${set('from')} /></label>
      <label class="muted">To <input name="to" type="date" .value=${f.to ?? ''} @change=${set('to')} /></label>
    </div>`;
  }

  #renderList() {
    if (this.items.length === 0) return html`<p class="empty muted">No conversations match.</p>`;
    return html`<ul role="listbox" aria-label="Conversations" tabindex="0" @keydown=${this.#onListKey}>
      ${this.items.map(
        (c) => html`<li role="option" id="c-${c.id}" data-id=${c.id} aria-selected=${c.id === this.selectedId} class=${c.unreadCount > 0 ? 'unread' : ''} @click=${() => void this.openConversation(c.id)}>
          <div class="row"><span class="name">${c.visitor.name}</span>${c.unrepliedCount > 0 ? html`<span class="count" title="Unreplied">${c.unrepliedCount}</span>` : nothing}</div>
          <div class="preview">${c.lastMessage?.text ?? ''}</div>
          <div class="row"><span class="chip ${c.botStatus}">${LABELS[c.botStatus]}</span><span class="chip">${c.ticketStatus}</span>${c.holderName ? html`<span class="muted">${c.holderName}</span>` : nothing}<time class="muted" datetime=${c.lastActivityAt}>${new Date(c.lastActivityAt).toLocaleString()}</time></div>
        </li>`,
      )}
    </ul>`;
  }

  #onListKey = (event: KeyboardEvent): void => {
    const index = this.items.findIndex((c) => c.id === this.selectedId);
    const move = (to: number) => {
      const target = this.items[Math.max(0, Math.min(this.items.length - 1, to))];
      if (target) void this.openConversation(target.id);
      event.preventDefault();
    };
    if (event.key === 'ArrowDown' || event.key === 'j') move(index + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') move(index - 1);
    else if (event.key === 'Enter' && index < 0) move(0);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'switchboard-agent-panel': SwitchboardAgentPanel;
  }
}
