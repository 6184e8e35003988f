import { LitElement, type PropertyValues, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { WidgetUnread } from '../protocol/api.js';
import type { Message, UserData } from '../protocol/types.js';
import { ConnectionController, type ShownMessage } from './controllers/connection.js';
import { linkify } from './linkify.js';
import { DEFAULT_STRINGS, type WidgetStrings, format } from './strings.js';
import { webchatStyles } from './webchat.styles.js';

/**
 * The visitor's chat window: a launcher button with an unread badge and a panel with the
 * transcript, presence (bot / agent joined / typing / left / offline) and a composer.
 *
 * @fires sb-message - a new message from the bot, an agent or the system; detail: `Message`
 * @fires sb-open - the panel opened
 * @fires sb-close - the panel closed
 * @fires sb-unread - detail: `{ count }`
 * @csspart base - the wrapper
 * @csspart launcher - the round button
 * @csspart panel - the chat window
 * @csspart header - the coloured header
 * @csspart badge - the unread count on the launcher
 * @csspart log - the transcript
 * @csspart composer - the form with the text box and the send button
 * @cssproperty --sb-accent - brand colour (launcher, header, visitor bubbles)
 * @cssproperty --sb-accent-text - text on the brand colour
 * @cssproperty --sb-surface, --sb-text, --sb-muted, --sb-bubble-other, --sb-radius, --sb-font, --sb-width, --sb-height, --sb-z-index
 */
/** Events of the element (`sb-` + key) and their `detail`. */
export interface WebchatEventMap {
  message: Message;
  open: null;
  close: null;
  unread: { count: number };
}

@customElement('switchboard-webchat')
export class SwitchboardWebchat extends LitElement {
  static override styles = webchatStyles;

  /** Base URL of the hub. */
  @property() hub = '';
  /** The site key configured on the hub. */
  @property() site = 'demo';
  /** Key of the session in IndexedDB; defaults to the site. Two widgets with different keys are two visitors. */
  @property({ attribute: 'storage-key' }) storageKey = '';
  /** Whether the chat panel is open. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** Overrides for any of the texts (for translation). */
  @property({ attribute: false }) strings: Partial<WidgetStrings> = {};
  /** Identity of the visitor; defaults to `window.SMARTLY_USER_DATA`. */
  @property({ attribute: false }) userData: UserData | undefined;
  /**
   * The launcher's count before the element loaded (loader.ts asked the hub: `GET /api/widget/unread`), and the newest
   * message id it covers, so the catch-up after connecting doesn't count those messages again.
   */
  @property({ attribute: false }) initialUnread: WidgetUnread | null = null;

  @state() private unread = 0;
  @query('textarea') private composer?: HTMLTextAreaElement;
  @query('.log') private log?: HTMLElement;

  /** The connection to the hub (state, transcript, outbox). */
  readonly chat: ConnectionController;
  #typingSent = false;

  constructor() {
    super();
    this.chat = new ConnectionController(this, {
      hub: () => this.hub || location.origin,
      site: () => this.site,
      storageKey: () => this.storageKey || this.site,
      userData: () => this.userData ?? window.SMARTLY_USER_DATA,
      onIncoming: (message) => this.#incoming(message),
      onRead: () => this.#setUnread(0),
    });
    // Opened before the transcript was loaded (the loader opens the chat as it loads it): mark read once it is.
    void this.chat.ready.then(() => this.open && this.chat.markRead());
  }

  get #t(): WidgetStrings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  /** Sends the page's new SMARTLY_USER_DATA (or the given data) to the hub. */
  updateUserData(userData?: UserData): Promise<{ verified: boolean } | null> {
    this.userData = userData ?? window.SMARTLY_USER_DATA;
    return this.userData ? this.chat.updateUserData(this.userData) : Promise.resolve(null);
  }

  show(): void {
    this.open = true;
  }

  hide(): void {
    this.open = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** Messages that arrived while the page was hidden count as read once the visitor is back. */
  #onVisibility = (): void => {
    if (this.open && document.visibilityState === 'visible' && this.unread > 0) {
      this.#setUnread(0);
      this.chat.markRead();
    }
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('initialUnread') && this.initialUnread) this.unread = this.initialUnread.count;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open')) {
      this.#emit(this.open ? 'open' : 'close', null);
      if (this.open) {
        this.#setUnread(0);
        this.chat.markRead();
        void this.updateComplete.then(() => this.composer?.focus());
      } else if (changed.get('open') === true) {
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.launcher')?.focus());
      }
    }
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
  }

  #incoming(message: Message): void {
    this.#emit('message', message);
    if (this.open && document.visibilityState === 'visible') this.chat.markRead();
    else if (message.author !== 'system' && message.id > (this.initialUnread?.lastId ?? 0)) this.#setUnread(this.unread + 1);
  }

  #setUnread(count: number): void {
    if (count === this.unread) return;
    this.unread = count;
    this.#emit('unread', { count });
  }

  #emit<E extends keyof WebchatEventMap>(name: E, detail: WebchatEventMap[E]): void {
    this.dispatchEvent(new CustomEvent(`sb-${name}`, { detail, bubbles: true, composed: true }));
  }

  override render() {
    return html`<div part="base" @keydown=${this.#onKeydown}>${this.open ? this.#renderPanel() : this.#renderLauncher()}</div>`;
  }

  #renderLauncher() {
    const t = this.#t;
    const label = this.unread > 0 ? `${t.open} (${format(t.unread, { count: this.unread })})` : t.open;
    return html`<button part="launcher" class="launcher" aria-label=${label} @click=${() => this.show()}>
      <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" /></svg>
      ${this.unread > 0 ? html`<span part="badge" class="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.unread}</span>` : nothing}
    </button>`;
  }

  #presence(): string {
    const t = this.#t;
    const { conversation, agentTyping, agentsOnline, agentLeft, connection } = this.chat;
    if (connection !== 'online') return connection === 'connecting' ? t.connecting : t.offline;
    if (conversation?.state === 'closed') return t.closed;
    if (agentTyping) return format(t.agentTyping, { name: agentTyping });
    if (conversation?.handler.kind === 'agent') return format(t.agentHandling, { name: conversation.handler.name });
    if (agentLeft) return t.agentLeft;
    if (!agentsOnline) return t.agentsOffline;
    return t.botAnswering;
  }

  #renderPanel() {
    const t = this.#t;
    const messages = this.chat.messages;
    const lastBot = messages.findLast((m) => m.author !== 'visitor');
    const lastIsBotWithChoices = lastBot && lastBot === messages.at(-1) && lastBot.choices.length > 0;
    return html`<section part="panel" class="panel" role="dialog" aria-label=${t.title}>
      <header part="header">
        <h2>${t.title}<span class="presence" role="status">${this.#presence()}</span></h2>
        <button aria-label=${t.close} @click=${() => this.hide()}>×</button>
      </header>
      ${this.chat.connection === 'offline' ? html`<div class="banner" role="alert">${t.offline}</div>` : nothing}
      <div part="log" class="log" role="log" aria-live="polite" aria-label=${t.messages} tabindex="0">
        ${messages.map((m) => this.#renderMessage(m))}
        ${
          lastIsBotWithChoices
            ? html`<div class="choices">${lastBot.choices.map((choice) => html`<button @click=${() => void this.chat.send(choice)}>${choice}</button>`)}</div>`
            : nothing
        }
      </div>
      <div class="typing" aria-hidden="true">${this.chat.agentTyping ? format(t.agentTyping, { name: this.chat.agentTyping }) : ''}</div>
      <form part="composer" @submit=${this.#onSubmit}>
        <label class="sr-only" for="composer">${t.placeholder}</label>
        <textarea id="composer" rows="1" placeholder=${t.placeholder} maxlength="4096" @keydown=${this.#onComposerKey} @input=${this.#onInput}></textarea>
        <button type="submit">${t.send}</button>
      </form>
    </section>`;
  }

  #renderMessage(m: ShownMessage) {
    const t = this.#t;
    if (m.author === 'system') return html`<div class="msg system">${m.text}</div>`;
    const who = m.author === 'visitor' ? t.you : m.author === 'bot' ? (m.authorName ?? t.bot) : (m.authorName ?? t.agent);
    const time = new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const delivery = m.author === 'visitor' ? ` · ${m.delivery === 'pending' ? t.sending : m.delivery === 'failed' ? t.failed : t.sent}` : '';
    return html`<div class="msg ${m.author} ${m.delivery}" data-delivery=${m.delivery}>
      <div class="bubble">${linkify(m.text).map((part) =>
        typeof part === 'string' ? part : html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow">${part.text}</a>`,
      )}</div>
      <span class="meta">${who} · <time datetime=${m.createdAt}>${time}</time>${delivery}</span>
    </div>`;
  }

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.open) this.hide();
  };

  #onComposerKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#submit();
    }
  };

  #onInput = (): void => {
    const typing = (this.composer?.value.length ?? 0) > 0;
    if (typing !== this.#typingSent) {
      this.#typingSent = typing;
      this.chat.typing(typing);
    }
  };

  #onSubmit = (event: Event): void => {
    event.preventDefault();
    this.#submit();
  };

  #submit(): void {
    const composer = this.composer;
    const text = composer?.value.trim() ?? '';
    if (!composer || !text) return;
    composer.value = '';
    this.#onInput();
    void this.chat.send(text);
  }
}

declare global {
  interface Window {
    SMARTLY_USER_DATA?: UserData;
  }
  interface HTMLElementTagNameMap {
    'switchboard-webchat': SwitchboardWebchat;
  }
}
