import { LitElement, type PropertyValues, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LIMITS } from '../protocol/limits.js';
import type { WidgetUnread } from '../protocol/api.js';
import type { Message, UserData } from '../protocol/types.js';
import { renderTray } from './composer-tray.js';
import { ConnectionController } from './controllers/connection.js';
import { FileStaging } from './controllers/file-staging.js';
import { type Recording, VoiceRecorder } from './controllers/recorder.js';
import { type MessageContext, renderMessage } from './message-view.js';
import { activityLine, presenceLine } from './status-lines.js';
import { DEFAULT_STRINGS, type WidgetStrings, format } from './strings.js';
import { cleanUserData } from './user-data.js';
import { webchatStyles } from './webchat.styles.js';

/**
 * The visitor's chat window: a launcher button with an unread badge and a panel with the
 * transcript, presence (bot / agent joined / typing / left / offline) and a composer.
 * Files: the paperclip, a drop on the window or a paste in the text box put them in the composer; Send queues them
 * with the text (the outbox uploads them, then sends the message). The microphone records a voice note, sent on stop.
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
 * @cssproperty --sb-thumb-size - largest side of an image thumbnail
 * @cssproperty --sb-danger - errors, the recording dot
 */
/** The page's hash that opens the chat (the link of a reply email: README "Email continuity"). */
export const OPEN_HASH = '#switchboard-chat';

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
  /** A problem to tell the visitor (a file refused before upload, the microphone). */
  @state() private notice = '';
  @query('textarea') private composer?: HTMLTextAreaElement;
  @query('.log') private log?: HTMLElement;
  @query('input[type=file]') private picker?: HTMLInputElement;

  /** The connection to the hub (state, transcript, outbox). */
  readonly chat: ConnectionController;
  /** Voice notes. */
  readonly recorder = new VoiceRecorder(
    this,
    (recording) => this.#sendRecording(recording),
    (reason) => (this.notice = reason === 'denied' ? this.#t.micDenied : this.#t.micFailed),
  );
  /** Files in the composer, sent with the next message. */
  readonly staging = new FileStaging(this, {
    strings: () => this.#t,
    notice: (text) => (this.notice = text),
    focus: () => this.composer?.focus(),
  });
  #typingSent = false;
  /** Image URLs that failed once (a refresh of the transcript is asked once per URL). */
  readonly #broken = new Set<string>();

  constructor() {
    super();
    this.chat = new ConnectionController(this, {
      hub: () => this.hub || location.origin,
      site: () => this.site,
      storageKey: () => this.storageKey || this.site,
      // The loader's mark: a first visit clicked open; read once (a later connect finds the database).
      connectNow: () => {
        const now = this.hasAttribute('data-connect-now');
        this.removeAttribute('data-connect-now');
        return now;
      },
      userData: () => this.#visitorData,
      unhurried: () => !this.open,
      onIncoming: (message) => this.#incoming(message),
      onRead: () => this.#setUnread(0),
    });
    // Opened before the transcript was loaded (the loader opens the chat as it loads it): mark read once it is.
    void this.chat.ready.then(() => this.open && this.chat.markRead());
  }

  /** What the site says of the visitor: the `userData` property, else the page's `SMARTLY_USER_DATA`. */
  get #visitorData(): UserData | undefined {
    return this.userData ?? window.SMARTLY_USER_DATA;
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

  /**
   * Loaded in idle time (closed), the first render waits for a task of its own: defining the element, constructing it
   * and rendering it were one task of 40–100 ms on a phone-speed CPU, the longest the widget added to a page.
   */
  protected override async scheduleUpdate(): Promise<unknown> {
    if (!this.hasUpdated && !this.open) await new Promise((resolve) => setTimeout(resolve, 0));
    return super.scheduleUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('hashchange', this.#onHash);
    this.#onHash();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('hashchange', this.#onHash);
  }

  /** The link in a reply email ends with `#switchboard-chat`: the chat opens itself on such a page (and on such a hash change). */
  #onHash = (): void => {
    if (location.hash === OPEN_HASH) this.show();
  };

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
        this.recorder.cancel();
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

  /** The empty chat: a greeting (by first name when the site gave one) instead of a blank log. */
  #renderGreeting() {
    const t = this.#t;
    // The page's data is someone else's code: a number or an object where the name belongs is no name (user-data.ts).
    const name = cleanUserData(this.#visitorData)?.first_name?.trim();
    return html`<div part="greeting" class="greeting">
      <p class="greeting-title">${name ? format(t.greetingNamed, { name }) : t.greeting}</p>
      <p>${t.greetingHint}</p>
    </div>`;
  }

  #renderPanel() {
    const t = this.#t;
    const messages = this.chat.messages;
    const context = this.#messageContext;
    const lastBot = messages.findLast((m) => m.author !== 'visitor');
    const lastIsBotWithChoices = lastBot && lastBot === messages.at(-1) && lastBot.choices.length > 0;
    return html`<section
      part="panel"
      class="panel"
      role="dialog"
      aria-label=${t.title}
      @dragenter=${this.staging.onDrag}
      @dragover=${this.staging.onDrag}
      @dragleave=${this.staging.onDrag}
      @drop=${this.staging.onDrag}
    >
      <header part="header">
        <h2>${t.title}<span class="presence" role="status">${presenceLine(this.chat, t)}</span></h2>
        <button aria-label=${t.close} @click=${() => this.hide()}>×</button>
      </header>
      ${this.chat.connection === 'offline' ? html`<div class="banner" role="alert">${t.offline}</div>` : nothing}
      <div part="log" class="log" role="log" aria-live="polite" aria-label=${t.messages} tabindex="0">
        ${messages.length === 0 ? this.#renderGreeting() : messages.map((m) => renderMessage(m, context))}
        ${
          lastIsBotWithChoices
            ? html`<div class="choices">${lastBot.choices.map((choice) => html`<button @click=${() => void this.chat.send(choice)}>${choice}</button>`)}</div>`
            : nothing
        }
      </div>
      <div class="typing" aria-hidden="true">${this.chat.agentTyping ? format(t.agentTyping, { name: this.chat.agentTyping }) : ''}</div>
      ${this.notice ? html`<div class="notice" role="alert">${this.notice}</div>` : nothing}
      <form part="composer" @submit=${this.#onSubmit}>
        ${renderTray(this.recorder, this.staging, this.#t, this.#cancelRecording)}
        <div class="row">
          <input type="file" multiple hidden aria-label=${t.attach} @change=${this.staging.onPick} />
          <button type="button" class="icon attach" aria-label=${t.attach} title=${t.attach} @click=${() => this.picker?.click()}>
            <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z" /></svg>
          </button>
          <label class="sr-only" for="composer">${t.placeholder}</label>
          <textarea id="composer" rows="1" placeholder=${t.placeholder} maxlength=${LIMITS.messageText} @keydown=${this.#onComposerKey} @input=${this.#onInput} @paste=${this.staging.onPaste}></textarea>
          ${
            VoiceRecorder.supported
              ? html`<button type="button" class="icon mic" aria-label=${t.record} title=${t.record} ?disabled=${this.recorder.state !== 'idle'} @click=${this.#record}>
                  <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11z" /></svg>
                </button>`
              : nothing
          }
          <button type="submit">${t.send}</button>
        </div>
        <span class="sr-only" role="status">${activityLine(this.chat, this.recorder.state === 'recording', t)}</span>
      </form>
      ${this.staging.dropping ? html`<div class="drop" aria-hidden="true">${t.dropFiles}</div>` : nothing}
    </section>`;
  }

  /** What each message's view needs from the chat (message-view.ts). */
  get #messageContext(): MessageContext {
    return {
      t: this.#t,
      fileUrl: (url) => this.chat.fileUrl(url),
      progress: (clientId) => this.chat.progress.get(clientId) ?? 0,
      images: { loaded: this.#onImageLoad, broken: this.#onImageError },
      dismiss: (clientId) => this.chat.dismiss(clientId),
    };
  }

  /** A thumbnail that loads after the transcript was scrolled down pushes it up: keep the end in view. */
  #onImageLoad = (): void => {
    const log = this.log;
    if (log && log.scrollHeight - log.scrollTop - log.clientHeight < 400) log.scrollTop = log.scrollHeight;
  };

  /** A signed URL expires after about an hour: read the transcript again, once per URL, for fresh ones. */
  #onImageError = (event: Event): void => {
    const src = (event.target as HTMLImageElement).src;
    if (this.#broken.has(src)) return;
    this.#broken.add(src);
    void this.chat.refreshAttachments();
  };

  #record = async (): Promise<void> => {
    this.notice = '';
    await this.recorder.start();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.recording .stop')?.focus();
  };

  #cancelRecording = (): void => {
    this.recorder.cancel();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.mic')?.focus());
  };

  #sendRecording({ blob, name, durationMs }: Recording): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.mic')?.focus());
    if (blob.size > LIMITS.attachmentBytes) {
      this.notice = format(this.#t.fileTooLarge, { name });
      return;
    }
    void this.chat.send('', [{ blob, name, type: blob.type, size: blob.size, kind: 'audio', durationMs }]);
  }

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.open) return;
    if (this.recorder.state === 'idle') this.hide();
    else this.#cancelRecording();
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
    if (!composer || (!text && this.staging.files.length === 0)) return;
    const files = this.staging.take();
    composer.value = '';
    this.notice = '';
    this.#onInput();
    void this.chat.send(
      text,
      files.map((file) => ({ blob: file, name: file.name, type: file.type, size: file.size })),
    );
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
