import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Agent, ConversationFilter, Me } from '../protocol/types.js';
import { panelStyles, themeDefaults } from './agent-panel.styles.js';
import { layoutStyles } from './agent-panel.layout.styles.js';
import { ApiError, HubApi } from './api.js';
import './components/admin-view.js';
import './components/contact-page.js';
import './components/contacts-list.js';
import './components/conversation-list.js';
import './components/conversation-view.js';
import './components/team-chat.js';
import { teamPaneStyles } from './components/team-chat.styles.js';
import { AdminController } from './controllers/admin.js';
import { AssistController } from './controllers/assist.js';
import { AttachmentsController } from './controllers/attachments.js';
import { ContactsController } from './controllers/contacts.js';
import type { HubController } from './controllers/hub.js';
import { InboxController } from './controllers/inbox.js';
import { type TeamIntent, TeamChatController } from './controllers/team-chat.js';
import type { AdminIntent, AssistIntent, ContactIntent, ConversationIntent, FilesIntent, IntentDetail } from './events.js';
import { filterFromHash, filterToParams } from './filters.js';
import { loginTemplate, tilesTemplate } from './panel-parts.js';

export type { PanelEventMap } from './events.js';

const TOKEN_KEY = 'switchboard-agent-token';
const ENDED = 'Your session has ended. Please sign in again.';

/**
 * The Switchboard agent panel, for embedding in a CRM page: dashboard tiles, the customers view (inboxes,
 * search, filters, live list), the conversation view, the contacts screen and contact page, and admin screens
 * for admins. The element is a thin shell: the session (sign-in, token) and the layout. The inbox state lives
 * in `InboxController` (controllers/inbox.ts), the contacts' in `ContactsController`, the admin screens' in
 * `AdminController`; child components fire intents (events.ts) which the controllers run against the hub.
 *
 * @fires switchboard-conversation-selected - `{ conversationId }` a conversation was opened
 * @fires switchboard-unread-changed - `{ total }` unread visitor messages across the conversations the agent can see
 * @fires switchboard-escalation - `{ conversationId, botStatus }` a conversation nobody holds now needs a human
 * @csspart base - the panel's outer box
 */
@customElement('switchboard-agent-panel')
export class SwitchboardAgentPanel extends LitElement {
  static override styles = [themeDefaults, panelStyles, layoutStyles, teamPaneStyles];

  /** Base URL of the hub; defaults to this page's origin. */
  @property() hub = '';
  /** An agent token (from `POST /api/auth/login`). Without one the panel shows a sign-in form. */
  @property() token = '';
  /** Mirror the filters in `location.hash` (and read them from it at start) so a CRM can deep-link. */
  @property({ type: Boolean, attribute: 'sync-hash' }) syncHash = false;

  @state() me: Me | null = null;
  @state() private view: 'inbox' | 'contacts' | 'admin' | 'team' = 'inbox';

  /** The REST client (typed by protocol/api.ts), usable by the host page with the same token. */
  api = new HubApi('', null);
  /** The list, counts, tiles and open conversation, kept live. */
  readonly inbox = new InboxController(this, { refused: () => this.#signedOut(ENDED) });
  readonly admin = new AdminController(this, {
    agentsChanged: (agents) => this.inbox.setAgents(agents),
    contactFieldsChanged: (items) => this.inbox.contacts.setDefinitions(items),
    catalogueChanged: (catalogue) => this.inbox.contacts.setCatalogue(catalogue),
    assistChanged: (status) => this.assist.setStatus(status),
  });
  /** AI assist (summary, reply suggestions) for the open conversation. */
  readonly assist = new AssistController(this, () => this.inbox.detail);
  /** Files attached in the composer (uploaded at once, sent with the reply) and voice notes' transcripts. */
  readonly files = new AttachmentsController(this);
  /** The contacts screen and the open contact; a conversation opened there shows in the inbox view. */
  readonly contacts = new ContactsController(this, { openConversation: (id) => this.openConversation(id) });
  /** Team chat between agents (the Team view), on the same socket. */
  readonly team = new TeamChatController(this);
  #startedWith = '';

  /** The live connection to the hub. */
  get live(): HubController {
    return this.inbox.live;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.syncHash) {
      this.inbox.filter = filterFromHash(location.hash);
      window.addEventListener('hashchange', this.#onHash);
    }
    const token = this.token || sessionStorage.getItem(TOKEN_KEY) || '';
    if (token) void this.#start(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHash);
  }

  override updated(changed: Map<string, unknown>): void {
    // A CRM may hand the token (or a new one) after the element is connected.
    if (changed.has('token') && this.token && this.token !== this.#startedWith && this.isConnected) void this.#start(this.token);
    if (changed.has('view')) this.team.setVisible(this.view === 'team');
  }

  // ------------------------------------------------------------ JS API

  /** Opens a conversation by id. Resolves false if the hub refuses (not found or not visible). */
  openConversation(id: string): Promise<boolean> {
    this.view = 'inbox';
    return this.inbox.open(id);
  }

  /** Opens the visitor's latest conversation (open ones first), found by email or visitor id. Resolves its id or null. */
  openByVisitor(ref: { email: string } | { visitorId: string }): Promise<string | null> {
    this.view = 'inbox';
    return this.inbox.openByVisitor(ref);
  }

  /** Replaces the customers view's filter (and the URL hash with `sync-hash`). */
  setFilter(filter: ConversationFilter): void {
    this.inbox.setFilter(filter);
    if (this.syncHash) {
      const hash = filterToParams(this.inbox.filter, true).toString();
      if (location.hash.slice(1) !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`);
    }
  }

  getFilter(): ConversationFilter {
    return { ...this.inbox.filter };
  }

  /** Refetches the list, the counts and the tiles. */
  refresh(): Promise<void> {
    return this.inbox.refresh();
  }

  // ------------------------------------------------------------ session

  async #start(token: string): Promise<void> {
    this.#startedWith = token;
    this.api = new HubApi((this.hub || location.origin).replace(/\/$/, ''), token);
    this.admin.api = this.api;
    this.contacts.api = this.api;
    try {
      const me = await this.api.call('GET /api/me');
      this.me = me;
      this.inbox.dismiss();
      await this.inbox.start(this.api, me);
      this.assist.start(this.api);
      this.files.start(this.api);
      void this.team.start(this.api, this.live, me);
    } catch (error) {
      this.me = null;
      this.inbox.stop();
      if (error instanceof ApiError && error.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        this.inbox.fail(new Error(ENDED));
      } else this.inbox.fail(error);
    }
  }

  #login = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      const api = new HubApi((this.hub || location.origin).replace(/\/$/, ''), null);
      const { token } = await api.call('POST /api/auth/login', { body: { email: String(form.get('email')), password: String(form.get('password')) } });
      sessionStorage.setItem(TOKEN_KEY, token);
      this.inbox.dismiss();
      await this.#start(token);
    } catch (error) {
      this.inbox.fail(error);
    }
  };

  #logout = async (): Promise<void> => {
    await this.api.call('POST /api/auth/logout').catch(() => undefined);
    this.#signedOut('');
  };

  /** The agent's own switch for escalation emails (PATCH /api/me). */
  #onEmailMe = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    try {
      this.me = await this.api.call('PATCH /api/me', { body: { emailOnEscalation: input.checked } });
    } catch (error) {
      input.checked = !input.checked;
      this.inbox.fail(error);
    }
  };

  #signedOut(message: string): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.inbox.stop();
    this.assist.stop();
    this.files.stop();
    this.admin.reset();
    this.contacts.reset();
    this.team.stop();
    this.#startedWith = '';
    this.me = null;
    if (message) this.inbox.fail(new Error(message));
    else this.inbox.dismiss();
  }

  #onHash = (): void => {
    const filter = filterFromHash(location.hash);
    if (filterToParams(filter).toString() !== filterToParams(this.inbox.filter).toString()) this.setFilter(filter);
  };

  // ------------------------------------------------------------ render

  override render() {
    const inbox = this.inbox;
    if (!this.me) return loginTemplate(inbox.error, this.#login);
    const admin = this.me.role === 'admin';
    return html`<div part="base" class="base ${inbox.selectedId && this.view === 'inbox' ? 'has-selection' : ''}">
      <div class="top">
        <h1>Switchboard</h1>
        <nav aria-label="Screens">
          <button type="button" class="inbox-tab" aria-current=${this.view === 'inbox' ? 'page' : 'false'} @click=${() => (this.view = 'inbox')}>Inbox</button>
          <button type="button" class="contacts-tab" aria-current=${this.view === 'contacts' ? 'page' : 'false'} @click=${() => (this.view = 'contacts')}>Contacts</button>
          ${this.#teamTab()}
          ${admin ? html`<button type="button" class="admin-tab" aria-current=${this.view === 'admin' ? 'page' : 'false'} @click=${() => (this.view = 'admin')}>Admin</button>` : nothing}
        </nav>
        <div class="account">
          <span class="status ${this.live.connected ? '' : 'offline'}">${this.me.name} · ${this.me.role}${this.live.connected ? '' : ' · reconnecting…'}</span>
          <label class="email-me" title="An email when a conversation you may see asks for a person while you are offline"><input type="checkbox"
            .checked=${this.me.emailOnEscalation} @change=${this.#onEmailMe} />Email me escalations${
              // Saved either way, and honest about it: without a mail server the hub sends nothing until an admin sets one.
              this.me.mailEnabled ? nothing : html` <span class="mail-off">(this hub sends no email yet)</span>`
            }</label>
        </div>
        <button type="button" class="logout" @click=${this.#logout}>Sign out</button>
      </div>
      <div>
        ${inbox.error ? html`<div class="alert" role="alert"><span class="error-text">${inbox.error}</span><button type="button" @click=${() => inbox.dismiss()}>Dismiss</button></div>` : nothing}
        ${this.view === 'inbox' ? tilesTemplate(inbox.stats, inbox.filter, (filter) => this.setFilter(filter)) : nothing}
      </div>
      ${this.view === 'admin' && admin ? this.#renderAdmin() : this.view === 'contacts' ? this.#renderContacts() : this.view === 'team' ? this.#renderTeam(this.me) : this.#renderInbox(this.me)}
    </div>`;
  }

  #renderAdmin() {
    return html`<div class="admin-pane"><sb-admin-view .state=${this.admin.state} .me=${this.me} @sb-admin-action=${this.#onAdminAction}></sb-admin-view></div>`;
  }

  #renderContacts() {
    const s = this.contacts.state;
    const agents = this.inbox.agents;
    return html`<div class="contacts-pane" @sb-contact-action=${this.#onContactAction}>
      <sb-contacts-list ?hidden=${s.openId !== null} .state=${s} .agents=${agents}></sb-contacts-list>
      ${s.openId ? html`<sb-contact-page .state=${s} .me=${this.me} .agents=${agents}></sb-contact-page>` : nothing}
    </div>`;
  }

  /** The Team nav button: its badge is the unread total, and its name says it. */
  #teamTab() {
    const unread = this.team.total;
    return html`<button type="button" class="team-tab" aria-current=${this.view === 'team' ? 'page' : 'false'} aria-label=${unread ? `Team, ${unread} unread` : 'Team'}
      @click=${() => (this.view = 'team')}>Team${unread ? html`<span class="badge" aria-hidden="true">${unread}</span>` : nothing}</button>`;
  }

  #renderTeam(me: Agent) {
    return html`<div class="team-pane"><sb-team-chat .state=${this.team.state} .entries=${this.team.entries(this.inbox.agents, me)} .me=${me}
      @sb-team-action=${this.#onTeamAction}></sb-team-chat></div>`;
  }

  #renderInbox(me: Agent) {
    const inbox = this.inbox;
    return html`<div class="main ${inbox.selectedId ? 'has-selection' : ''}">
      <section class="list-pane" aria-label="Customers">
        <sb-conversation-list .agents=${inbox.agents} .catalogue=${inbox.contacts.state.catalogue} .languages=${inbox.languages} .items=${inbox.items} .counts=${inbox.counts} .filter=${inbox.filter} .total=${inbox.total} .totalIsLowerBound=${inbox.totalIsLowerBound} .selectedId=${inbox.selectedId} ?loading=${inbox.loading}
          ?more=${inbox.next !== null} ?loading-more=${inbox.loadingMore} @sb-load-more=${() => void inbox.loadMore()}
          @sb-filter-change=${(e: CustomEvent<{ filter: ConversationFilter }>) => this.setFilter(e.detail.filter)}
          @sb-open=${(e: CustomEvent<{ conversationId: string }>) => void this.openConversation(e.detail.conversationId)}></sb-conversation-list>
      </section>
      <section class="detail-pane" aria-label="Conversation">
        ${
          inbox.detail
            ? html`<sb-conversation-view .me=${me} .agents=${inbox.agents} .detail=${inbox.detail} .downloads=${inbox.downloads} .contacts=${inbox.contacts.state} .assist=${this.assist.state} ?visitorTyping=${inbox.typing} .viewers=${inbox.viewers} .agentsTyping=${inbox.agentsTyping} .closeError=${inbox.closeError}
              .hub=${this.api.hub} .files=${this.files.state}
              @sb-back=${() => inbox.close()} @sb-conversation-action=${this.#onConversationAction} @sb-assist-action=${this.#onAssistAction}
              @sb-files-action=${this.#onFilesAction}></sb-conversation-view>`
            : html`<p class="placeholder">${inbox.selectedId ? 'Loading…' : 'Select a conversation'}</p>`
        }
      </section>
    </div>`;
  }

  #onConversationAction = (event: CustomEvent<IntentDetail<ConversationIntent>>): void => {
    event.preventDefault();
    const { reply, ...intent } = event.detail;
    if (intent.action === 'send') void this.#send(intent).then(reply);
    else void this.inbox.act(intent as ConversationIntent).then(reply);
  };

  /** A reply with the composer's files: sent once each is stored, never without one that was refused. */
  async #send(intent: Extract<ConversationIntent, { action: 'send' }>): Promise<boolean> {
    const files = await this.files.ready(intent.conversationId);
    if (!files || (!intent.text && files.ids.length === 0)) return false;
    const sent = await this.inbox.act({ ...intent, attachmentIds: files.ids });
    if (sent) this.files.sent(files.keys);
    return sent;
  }

  #onFilesAction = (event: CustomEvent<IntentDetail<FilesIntent>>): void => {
    event.preventDefault();
    const { reply, ...intent } = event.detail;
    void this.files.act(intent as FilesIntent).then(reply);
  };

  #onAssistAction = (event: CustomEvent<IntentDetail<AssistIntent>>): void => {
    event.preventDefault();
    const { reply, ...intent } = event.detail;
    void this.assist.act(intent as AssistIntent).then(reply);
  };

  #onContactAction = (event: CustomEvent<IntentDetail<ContactIntent>>): void => {
    event.preventDefault();
    const { reply, ...intent } = event.detail;
    const openId = this.contacts.state.openId;
    void this.contacts.act(intent as ContactIntent).then(async (ok) => {
      reply(ok);
      // Back on the list, focus returns to the contact's row (or the search box when it is gone).
      if (!ok || (intent.action !== 'close' && intent.action !== 'delete')) return;
      await this.updateComplete;
      this.renderRoot.querySelector('sb-contacts-list')?.focusRow(intent.action === 'close' ? openId : null);
    });
  };

  #onTeamAction = (event: CustomEvent<IntentDetail<TeamIntent>>): void => {
    event.preventDefault();
    const { reply, ...intent } = event.detail;
    void this.team.act(intent as TeamIntent).then(reply);
  };

  #onAdminAction = (event: CustomEvent<IntentDetail<AdminIntent>>): void => {
    event.preventDefault();
    const { reply, ...intent } = event.detail;
    void this.admin.act(intent as AdminIntent).then(reply);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'switchboard-agent-panel': SwitchboardAgentPanel;
  }
}
