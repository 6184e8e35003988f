import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LIMITS } from '../../protocol/limits.js';
import { type Agent, type ConversationDetail, type ConversationSummary, type Message, TICKET_STATUSES, type TicketStatus } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { type AssistState, NO_ASSIST } from '../controllers/assist.js';
import { type FilesState, NO_FILES } from '../controllers/attachments.js';
import { type ContactState, NO_CONTACT_STATE } from '../controllers/contact-context.js';
import type { Download } from '../controllers/conversation-actions.js';
import { type AssistIntent, type ConversationIntent, type FilesIntent, type IntentDetail, emitInternal, forward, request } from '../events.js';
import { BOT_LABELS, TICKET_LABELS, formatFull, formatTime } from '../format.js';
import { viewStyles } from './conversation-view.styles.js';
import './assist-panel.js';
import type { ComposerFiles } from './composer-attachments.js';
import './composer-attachments.js';
import { attachmentStyles, attachmentsTemplate } from './message-attachments.js';
import './conversation-side.js';
import { deleteConversationControls, deleteDialogStyles } from './delete-conversation.js';

/** Intents that need only the conversation's id. */
type SimpleAction = 'release' | 'mute' | 'unmute' | 'reopen';

/**
 * One conversation: header with presence, the handoff / mute / close actions and one status line that says who
 * answers (the bot, the bot muted until …, the agent handling it, or closed), the transcript (always rendered as
 * text), and the composer. The side panel (user, status, tags, team, notes, downloads) is `<sb-conversation-side>`;
 * below 640 px of width it is a second tab (Conversation | Details) instead of a column. Close asks for the outcome
 * (ticket status) in a modal dialog. Presentational: every action is an intent for the panel, which runs it against
 * the hub (which checks it again). AI assist: reply suggestions above the composer (`<sb-assist-suggestions>`; choosing
 * one only fills the composer) and the summary in the side panel. Files: `<sb-composer-files>` (attach, record, the
 * uploads) in the composer, files dropped on the conversation or pasted into the reply box go there too; a message's
 * files show under its text (message-attachments.ts). Send waits for the uploads (the panel's AttachmentsController).
 *
 * @fires sb-back - the narrow layout's back button (internal)
 * @fires sb-conversation-action - detail: a `ConversationIntent` and `reply` (internal; the side panel's are passed on)
 * @fires sb-assist-action - detail: an `AssistIntent` and `reply` (internal; assist's Refresh buttons, passed on)
 * @fires sb-files-action - detail: a `FilesIntent` and `reply` (internal: attach, remove, transcribe)
 */
@customElement('sb-conversation-view')
export class ConversationView extends LitElement {
  static override styles = [panelStyles, viewStyles, deleteDialogStyles, attachmentStyles];

  @property({ attribute: false }) me!: Agent;
  @property({ attribute: false }) agents: Agent[] = [];
  @property({ attribute: false }) detail!: ConversationDetail;
  @property({ attribute: false }) downloads: Download[] = [];
  /** For the side panel: the conversation's contact, the field definitions and the tag catalogue. */
  @property({ attribute: false }) contacts: ContactState = NO_CONTACT_STATE;
  /** AI assist for the open conversation (controllers/assist.ts). */
  @property({ attribute: false }) assist: AssistState = NO_ASSIST;
  /** The hub's address: message files' URLs are paths on it. */
  @property() hub = '';
  /** Files attached in composers, and voice notes' transcripts (controllers/attachments.ts). */
  @property({ attribute: false }) files: FilesState = NO_FILES;
  @property({ type: Boolean }) visitorTyping = false;
  /** Collision: other agents with this conversation open (any hub), and those of them typing a reply. */
  @property({ attribute: false }) viewers: { agentId: string; name: string }[] = [];
  @property({ attribute: false }) agentsTyping: { agentId: string; name: string }[] = [];
  @property({ type: Boolean }) busy = false;
  /** The hub's refusal of the last Close, shown in the close dialog. */
  @property({ attribute: false }) closeError = '';
  /** On a narrow screen: the chat or the side panel. */
  @state() private pane: 'chat' | 'details' = 'chat';
  /** A Close was refused since the dialog opened (so `closeError` is about this attempt). */
  @state() private closeRefused = false;
  /** Files are being dragged over the conversation. */
  @state() private dropping = false;
  @query('.transcript') private transcript?: HTMLElement;
  @query('#reply') private reply?: HTMLTextAreaElement;
  @query('dialog.close-dialog') private closeDialog?: HTMLDialogElement;
  @query('sb-composer-files') private composerFiles?: ComposerFiles;
  #typing = false;
  #lastCount = 0;
  #shownId = '';
  /** The composer's text as the last chosen suggestion left it. */
  #suggested = '';

  get conversation(): ConversationSummary {
    return this.detail.conversation;
  }

  /** Asks the panel to run an intent; the buttons are disabled meanwhile. Resolves whether the hub accepted it. */
  async act(intent: ConversationIntent): Promise<boolean> {
    this.busy = true;
    try {
      return await request(this, 'sb-conversation-action', intent);
    } finally {
      this.busy = false;
    }
  }

  #simple(action: SimpleAction): () => Promise<boolean> {
    return () => this.act({ action, conversationId: this.conversation.id });
  }

  override willUpdate(): void {
    // Another conversation opens on its chat, with no dialog.
    if (this.detail.conversation.id !== this.#shownId) {
      if (this.#shownId) {
        this.pane = 'chat';
        this.closeDialog?.close();
      }
      this.#shownId = this.detail.conversation.id;
    }
  }

  protected override updated(): void {
    // Keep the newest message in sight when messages arrive.
    const count = this.detail.messages.length;
    if (count !== this.#lastCount && this.transcript) this.transcript.scrollTop = this.transcript.scrollHeight;
    this.#lastCount = count;
  }

  override render() {
    const c = this.conversation;
    const mine = c.holderId === this.me.id;
    const heldByOther = c.holderId !== null && !mine;
    const admin = this.me.role === 'admin';
    const closed = c.state === 'closed';
    const holder = c.holderName ?? 'Another agent';
    const details = this.pane === 'details';
    return html`<section class="chat ${details ? 'details' : ''}" aria-label="Conversation with ${c.visitor.name}">
        <header>
          <div class="title">
            <button class="back" type="button" @click=${() => emitInternal(this, 'sb-back', {})}>← Back</button>
            <h2 class="visitor-name"><bdi>${c.visitor.name}</bdi></h2>
            <span class="chip ${c.visitor.verified ? 'verified' : 'unverified'}">${c.visitor.verified ? 'Verified' : 'Unverified'}</span>
            <span class="presence ${c.visitor.online ? 'online' : ''}">${c.visitor.online ? '● Online' : '○ Offline'}</span>
            <span class="chip bot ${c.botStatus}">${BOT_LABELS[c.botStatus]}</span>
          </div>
          <div class="actions">
            ${
              mine
                ? html`<button type="button" class="release" ?disabled=${this.busy} @click=${this.#simple('release')}>Hand back to bot</button>`
                : html`<button type="button" class="claim primary" ?disabled=${this.busy || closed || (heldByOther && !admin)}
                  title=${heldByOther && !admin ? `${holder} is handling this conversation` : ''}
                  @click=${() => this.act({ action: 'claim', conversationId: c.id, force: heldByOther && admin })}>
                  ${heldByOther ? `Take over from ${holder}` : 'Take over'}</button>`
            }
            ${
              c.muted
                ? html`<button type="button" class="unmute" ?disabled=${this.busy} @click=${this.#simple('unmute')}>Unmute bot</button>`
                : html`<button type="button" class="mute" ?disabled=${this.busy || closed} @click=${this.#simple('mute')}>Mute bot</button>`
            }
            ${
              closed
                ? html`<button type="button" class="reopen" ?disabled=${this.busy} @click=${this.#simple('reopen')}>Reopen</button>`
                : html`<button type="button" class="close" ?disabled=${this.busy} aria-haspopup="dialog" @click=${this.#openClose}>Close…</button>`
            }
            ${admin ? deleteConversationControls(c.visitor.name, this.busy, () => void this.act({ action: 'delete-conversation', conversationId: c.id }).then((ok) => ok && emitInternal(this, 'sb-back', {}))) : nothing}
          </div>
          <p class="status-line" role="status">${this.#status(c, mine)}</p>
          ${this.#collision()}
          <div class="panes" role="tablist" aria-label="Conversation or details">
            <button type="button" role="tab" id="tab-chat" aria-controls="chat-body" aria-selected=${!details} tabindex=${details ? -1 : 0}
              @click=${() => this.#show('chat')} @keydown=${this.#onTabKey}>Conversation</button>
            <button type="button" role="tab" id="tab-details" aria-controls="side-pane" aria-selected=${details} tabindex=${details ? 0 : -1}
              @click=${() => this.#show('details')} @keydown=${this.#onTabKey}>Details</button>
          </div>
        </header>
        <div class="chat-body ${this.dropping ? 'dropping' : ''}" id="chat-body" @dragenter=${this.#onDrag} @dragover=${this.#onDrag}
          @dragleave=${this.#onDragLeave} @drop=${this.#onDrop}>
          ${this.dropping ? html`<div class="drop-hint" aria-hidden="true">Drop files to attach them</div>` : nothing}
          <div class="transcript" role="log" aria-live="polite" aria-label="Transcript">
            ${this.detail.messages.length === 0 ? html`<p class="muted">No messages yet.</p>` : this.detail.messages.map((m) => this.#renderMessage(m))}
          </div>
          <div class="typing" aria-live="polite">${this.visitorTyping ? html`<bdi>${c.visitor.name}</bdi> is typing…` : ''}</div>
          ${heldByOther || closed ? nothing : html`<sb-assist-suggestions .state=${this.assist} @sb-assist-use=${this.#useSuggestion} @sb-assist-action=${this.#forwardAssist}></sb-assist-suggestions>`}
          <form class="composer" @submit=${this.#send}>
            ${
              heldByOther
                ? html`<div class="held" role="status">${holder} is handling this conversation</div>`
                : c.holderId === null && !closed
                  ? html`<div class="handler">Sending a reply takes the conversation over from the bot. Shift+Enter for a new line.</div>`
                  : nothing
            }
            <sb-composer-files conversationId=${c.id} .files=${this.files.pending.filter((f) => f.conversationId === c.id)} blocked=${this.files.blocked[c.id] ?? ''}
              ?disabled=${heldByOther || closed} @sb-files-action=${this.#forwardFiles}></sb-composer-files>
            <div class="row">
              <label class="sr-only" for="reply">Reply to the visitor</label>
              <textarea id="reply" maxlength=${LIMITS.messageText} ?disabled=${heldByOther || closed}
                placeholder=${heldByOther ? `${holder} is handling this conversation` : closed ? 'Reopen the conversation to reply' : 'Reply to the visitor (Enter to send)'}
                @keydown=${this.#onKey} @input=${this.#onInput} @paste=${this.#onPaste} @blur=${() => this.#setTyping(false)}></textarea>
              <button class="primary send" type="submit" ?disabled=${heldByOther || closed || this.busy}>Send</button>
            </div>
          </form>
        </div>
      </section>
      <sb-conversation-side id="side-pane" class="side ${details ? '' : 'hidden-narrow'}" aria-labelledby="tab-details"
        .me=${this.me} .agents=${this.agents} .detail=${this.detail} .downloads=${this.downloads} .contacts=${this.contacts} .assist=${this.assist}
        @sb-conversation-action=${(e: CustomEvent<IntentDetail<ConversationIntent>>) => forward(e, 'sb-conversation-action', this)}
        @sb-assist-action=${this.#forwardAssist}></sb-conversation-side>
      ${this.#renderCloseDialog(c)}`;
  }

  /** Who answers the visitor now, in one line: closed, an agent, the muted bot, the bot while they wait for a person, or the bot. */
  #status(c: ConversationSummary, mine: boolean) {
    if (c.state === 'closed') return 'Closed';
    const until = c.unmuteAt ? html` until <time datetime=${c.unmuteAt}>${formatFull(c.unmuteAt)}</time>` : nothing;
    if (c.holderId !== null) {
      const who = mine ? 'You are' : html`<bdi>${c.holderName ?? 'Another agent'}</bdi> is`;
      return html`${who} handling it<span class="unmute-at">; the bot is muted${until}</span>`;
    }
    if (c.muted) return html`<span class="unmute-at">The bot is muted${until}</span>`;
    // Need help: the bot still answers what it knows, and nothing else, until someone takes over (rules/bot.ts).
    if (c.botStatus === 'need_help') return 'The visitor is waiting for a person; the bot answers only what it knows';
    return 'The bot is answering';
  }

  #renderCloseDialog(c: ConversationSummary) {
    return html`<dialog class="close-dialog" aria-labelledby="close-title" aria-describedby="close-hint" @keydown=${this.#trapFocus} @close=${this.#onDialogClosed}>
      <form @submit=${this.#confirmClose}>
        <h2 id="close-title">Close the conversation with <bdi>${c.visitor.name}</bdi></h2>
        <label for="close-outcome">Outcome (ticket status)</label>
        <select id="close-outcome" name="ticketStatus">
          ${TICKET_STATUSES.map((s) => html`<option value=${s} ?selected=${s === 'resolved'}>${TICKET_LABELS[s]}</option>`)}
        </select>
        <p class="hint" id="close-hint">The visitor's next message will start a new conversation. You can reopen this one.</p>
        ${this.closeRefused && this.closeError ? html`<p class="error" role="alert">${this.closeError}</p>` : nothing}
        <div class="dialog-buttons">
          <button type="button" class="cancel" @click=${() => this.closeDialog?.close()}>Cancel</button>
          <button type="submit" class="primary confirm-close" ?disabled=${this.busy}>Close conversation</button>
        </div>
      </form>
    </dialog>`;
  }

  #show(pane: 'chat' | 'details'): void {
    this.pane = pane;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${pane}`)?.focus());
  }

  /** ← and → move between the two tabs (the tablist pattern). */
  #onTabKey = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    this.#show(this.pane === 'chat' ? 'details' : 'chat');
  };

  #openClose = (): void => {
    const dialog = this.closeDialog;
    if (!dialog) return;
    const select = dialog.querySelector<HTMLSelectElement>('select');
    if (select) select.value = 'resolved';
    this.closeRefused = false;
    dialog.showModal();
    select?.focus();
  };

  #confirmClose = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const ticketStatus = (this.closeDialog?.querySelector<HTMLSelectElement>('select')?.value ?? 'resolved') as TicketStatus;
    this.closeRefused = false;
    const closed = await this.act({ action: 'close', conversationId: this.conversation.id, ticketStatus });
    if (closed) this.closeDialog?.close();
    else this.closeRefused = true;
  };

  /** Focus goes back to where the dialog was opened from (Reopen once closed). */
  #onDialogClosed = async (): Promise<void> => {
    this.closeRefused = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('button.close, button.reopen')?.focus();
  };

  /** A modal dialog makes the page inert; Tab also wraps around inside it rather than leaving for the browser's UI. */
  #trapFocus = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab') return;
    const dialog = event.currentTarget as HTMLDialogElement;
    const focusable = [...dialog.querySelectorAll<HTMLElement>('select, button:not(:disabled)')];
    const first = focusable[0];
    const last = focusable.at(-1);
    const active = this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : document.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first?.focus();
    }
  };

  #renderMessage(m: Message) {
    if (m.author === 'system') return html`<div class="msg system" data-id=${m.id}>${m.text}</div>`;
    const who = m.author === 'visitor' ? this.conversation.visitor.name : (m.authorName ?? (m.author === 'bot' ? 'Bot' : 'Agent'));
    return html`<div class="msg ${m.author}" data-id=${m.id}>
      ${m.text || m.attachments.length === 0 ? html`<div class="text">${m.text}</div>` : nothing}
      ${m.choices.length ? html`<div class="choices">${m.choices.map((choice) => html`<span class="chip">${choice}</span>`)}</div>` : nothing}
      ${attachmentsTemplate(m.attachments, this.#filesView)}
      <div class="meta"><bdi class="author">${who}</bdi> · <time datetime=${m.createdAt} title=${formatFull(m.createdAt)}>${formatTime(m.createdAt)}</time>${
        m.channel === 'email' ? html` · <span class="via" title="The visitor answered a reply email">via email</span>` : nothing
      }</div>
    </div>`;
  }

  #onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  };

  #onInput = (event: Event): void => {
    this.#setTyping((event.target as HTMLTextAreaElement).value.length > 0);
  };

  /** Who else has this conversation open, and who is typing a reply: so two agents don't answer at once. */
  #collision() {
    if (this.viewers.length === 0) return nothing;
    const names = (list: { name: string }[]) => list.map((v, i) => html`${i > 0 ? ', ' : ''}<bdi>${v.name}</bdi>`);
    return html`<p class="collision" role="status">
      <span class="viewers">Also viewing: ${names(this.viewers)}</span>
      ${this.agentsTyping.length > 0 ? html` · <span class="agents-typing">${names(this.agentsTyping)} ${this.agentsTyping.length > 1 ? 'are' : 'is'} typing a reply…</span>` : nothing}
    </p>`;
  }

  #setTyping(typing: boolean): void {
    if (typing === this.#typing) return;
    this.#typing = typing;
    void request(this, 'sb-conversation-action', { action: 'typing', conversationId: this.conversation.id, typing });
  }

  #forwardAssist = (e: CustomEvent<IntentDetail<AssistIntent>>): void => forward(e, 'sb-assist-action', this);
  #forwardFiles = (e: CustomEvent<IntentDetail<FilesIntent>>): void => forward(e, 'sb-files-action', this);

  /** What message files need from here: the hub's address, assist's status, the transcripts and a way to ask for one. */
  get #filesView() {
    return {
      hub: this.hub,
      assist: this.assist.status,
      transcripts: this.files.transcripts,
      transcribe: (attachmentId: string) => void request(this, 'sb-files-action', { action: 'transcribe', attachmentId }),
    };
  }

  /** Files dragged over the conversation (not text): shown as a drop target while the composer is usable. */
  #onDrag = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files') || this.composerFiles?.disabled !== false) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dropping = true;
  };

  #onDragLeave = (event: DragEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (!to || !(event.currentTarget as HTMLElement).contains(to)) this.dropping = false;
  };

  #onDrop = (event: DragEvent): void => {
    this.dropping = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0 || this.composerFiles?.disabled !== false) return;
    event.preventDefault();
    this.composerFiles.addFiles(files);
  };

  /** Pasted images and files are attached; pasted text stays text. */
  #onPaste = (event: ClipboardEvent): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.composerFiles?.addFiles(files);
  };

  /** A chosen suggestion goes into the composer for the agent to edit and send (it replaces a previous suggestion, else is added). */
  #useSuggestion = (event: CustomEvent<{ text: string }>): void => {
    const textarea = this.reply;
    if (!textarea || textarea.disabled) return;
    const current = textarea.value.trim();
    textarea.value = !current || current === this.#suggested ? event.detail.text : `${textarea.value.trimEnd()}\n${event.detail.text}`;
    this.#suggested = textarea.value.trim();
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  };

  #send = (event: SubmitEvent): void => {
    event.preventDefault();
    const textarea = this.reply;
    const text = textarea?.value.trim() ?? '';
    const withFiles = this.files.pending.some((f) => f.conversationId === this.conversation.id);
    if (!textarea || (!text && !withFiles)) return;
    const conversationId = this.conversation.id;
    void this.act({ action: 'send', conversationId, text }).then((sent) => {
      if (!sent) return;
      textarea.value = '';
      this.#setTyping(false);
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-conversation-view': ConversationView;
  }
}
