import { LitElement, type PropertyValues, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { LIMITS } from '../../protocol/limits.js';
import type { TeamMessage, TeamThreadKey } from '../../protocol/team.js';
import type { Agent } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { TeamChatState, TeamEntry, TeamIntent } from '../controllers/team-chat.js';
import type { IntentDetail } from '../events.js';
import { formatFull, formatTime } from '../format.js';
import { teamChatStyles } from './team-chat.styles.js';

const NO_STATE: TeamChatState = { threads: [], openKey: null, messages: [], more: false, loading: false, typing: {}, error: '' };

/** Fires an intent for the panel (`sb-team-action`, internal: it stays in the shadow root) and resolves with its outcome. */
function requestTeam(from: EventTarget, intent: TeamIntent): Promise<boolean> {
  return new Promise((resolve) => {
    const detail: IntentDetail<TeamIntent> = { ...intent, reply: resolve };
    const event = new CustomEvent('sb-team-action', { detail, bubbles: true, composed: false, cancelable: true });
    if (from.dispatchEvent(event)) resolve(false);
  });
}

/**
 * The Team view: the thread list (team room, notes to self, one entry per agent, each with its unread count)
 * and the open thread (messages as text, the other agents' typing, a composer: Enter sends, Shift+Enter is a
 * new line). Presentational: it renders what it is given and fires intents (`sb-team-action`, detail a
 * `TeamIntent` and `reply`), which the panel runs (controllers/team-chat.ts).
 *
 * Focus: opening a thread moves it to the composer; Back (narrow layout) returns it to the thread's entry.
 * ↑/↓/Home/End move between the entries.
 */
@customElement('sb-team-chat')
export class TeamChatView extends LitElement {
  static override styles = [panelStyles, teamChatStyles];

  @property({ attribute: false }) state: TeamChatState = NO_STATE;
  @property({ attribute: false }) entries: TeamEntry[] = [];
  @property({ attribute: false }) me: Agent | null = null;
  @query('.log') private log?: HTMLElement;
  @query('#team-text') private textarea?: HTMLTextAreaElement;
  #busy = false;
  #typingKey: TeamThreadKey | null = null;
  #drafts = new Map<TeamThreadKey, string>();
  /** Where the focus goes once the panel has rendered the change: the opened thread's composer, or (Back) an entry. */
  #focus: { composer: TeamThreadKey } | { entry: TeamThreadKey } | null = null;
  #shown: { key: TeamThreadKey | null; first: number; last: number; height: number; top: number } = { key: null, first: 0, last: 0, height: 0, top: 0 };

  override willUpdate(): void {
    this.toggleAttribute('open', this.state.openKey !== null);
    const log = this.log;
    if (log) this.#shown = { ...this.#shown, height: log.scrollHeight, top: log.scrollTop };
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('state')) this.#moveFocus();
    if (!changed.has('state') || !this.log) return;
    const { openKey: key, messages } = this.state;
    const first = messages[0]?.id ?? 0;
    const last = messages.at(-1)?.id ?? 0;
    const before = this.#shown;
    // Earlier messages loaded above: keep what the agent was reading in place. Otherwise follow the newest.
    if (key === before.key && first < before.first && last === before.last) this.log.scrollTop = this.log.scrollHeight - before.height + before.top;
    else if (key !== before.key || last !== before.last) this.log.scrollTop = this.log.scrollHeight;
    this.#shown = { key, first, last, height: this.log.scrollHeight, top: this.log.scrollTop };
  }

  override render() {
    const open = this.entries.find((e) => e.key === this.state.openKey) ?? null;
    return html`<section class="threads" aria-labelledby="threads-title">
        <h2 id="threads-title">Team chat</h2>
        ${!open && this.state.error ? html`<div class="error" role="alert"><span>${this.state.error}</span></div>` : nothing}
        <ul @keydown=${this.#onListKey}>
          ${this.entries.map((e, i) => html`<li class=${i === 2 ? 'direct-first' : ''}>${this.#renderEntry(e)}</li>`)}
        </ul>
      </section>
      <section class="thread" aria-labelledby=${open ? 'thread-title' : nothing} aria-label=${open ? nothing : 'Thread'}>
        ${open ? this.#renderThread(open) : html`<p class="placeholder">Choose the team room, your notes or a colleague.</p>`}
      </section>`;
  }

  #renderEntry(e: TeamEntry) {
    const current = e.key === this.state.openKey;
    return html`<button type="button" class="entry ${e.unread ? 'unread' : ''}" data-key=${e.key} aria-current=${current ? 'true' : 'false'} @click=${() => this.#open(e.key)}>
      <span class="name">${e.online === null ? nothing : html`<span class="dot ${e.online ? 'online' : ''}" aria-hidden="true"></span>`}<bdi>${e.title}</bdi>${e.disabled ? ' (disabled)' : ''}${e.online ? html`<span class="sr-only">, online</span>` : nothing}</span>
      ${e.unread ? html`<span class="badge" aria-hidden="true">${e.unread}</span><span class="sr-only">, ${e.unread} unread</span>` : html`<span></span>`}
      <span class="preview">${this.#preview(e)}</span>
    </button>`;
  }

  #preview(e: TeamEntry): string {
    const m = e.lastMessage;
    if (!m) return e.key === 'team' ? 'Everyone on the team' : e.key === 'self' ? 'Only you can see these' : 'No messages yet';
    const who = m.agentId === this.me?.id ? 'You: ' : e.key === 'team' ? `${m.authorName}: ` : '';
    return `${who}${m.text.replace(/\s+/g, ' ').slice(0, 120)}`;
  }

  #renderThread(open: TeamEntry) {
    const { messages, loading, more, error } = this.state;
    const typing = Object.values(this.state.typing[open.key] ?? {});
    const hint = open.key === 'team' ? 'Every agent' : open.key === 'self' ? 'Only you' : open.disabled ? 'This agent is disabled' : 'Direct message';
    const label = open.key === 'team' ? 'Message to the team room' : open.key === 'self' ? 'Note to self' : `Message to ${open.title}`;
    return html`<div class="thread-head">
        <button class="back" type="button" @click=${this.#back}>← Threads</button>
        <h2 id="thread-title" tabindex="-1"><bdi>${open.title}</bdi></h2>
        <span class="hint">${hint}</span>
      </div>
      ${error ? html`<div class="error" role="alert"><span>${error}</span></div>` : nothing}
      <div class="log" role="log" aria-live="polite" aria-labelledby="thread-title" tabindex="0">
        ${more ? html`<button type="button" class="older" @click=${() => requestTeam(this, { action: 'older' })}>Load earlier messages</button>` : nothing}
        ${
          messages.length === 0
            ? html`<p class="empty">${loading ? 'Loading…' : open.key === 'self' ? 'Notes you write here are seen by nobody else.' : 'No messages yet.'}</p>`
            : messages.map((m) => this.#renderMessage(m))
        }
      </div>
      <div class="typing" aria-live="polite">${typing.length ? `${typing.join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…` : ''}</div>
      <form class="composer" @submit=${this.#send}>
        <label class="sr-only" for="team-text">${label}</label>
        <textarea id="team-text" maxlength=${LIMITS.messageText} ?disabled=${open.disabled} placeholder="${label} (Enter to send, Shift+Enter for a new line)"
          @keydown=${this.#onKey} @input=${this.#onInput} @blur=${() => this.#setTyping(false)}></textarea>
        <button class="primary send" type="submit" ?disabled=${open.disabled}>Send</button>
      </form>`;
  }

  #renderMessage(m: TeamMessage) {
    const mine = m.agentId === this.me?.id;
    return html`<div class="msg ${mine ? 'mine' : ''}" data-id=${m.id}>
      <div class="meta"><bdi class="author">${mine ? 'You' : m.authorName}</bdi> · <time datetime=${m.createdAt} title=${formatFull(m.createdAt)}>${formatTime(m.createdAt)}</time></div>
      <div class="text">${m.text}</div>
    </div>`;
  }

  // ------------------------------------------------------------ actions

  #open(key: TeamThreadKey): void {
    this.#keepDraft();
    this.#focus = { composer: key };
    void requestTeam(this, { action: 'open', key });
  }

  #back = (): void => {
    const key = this.state.openKey;
    if (!key) return;
    this.#keepDraft();
    this.#focus = { entry: key };
    void requestTeam(this, { action: 'close' });
  };

  #keepDraft(): void {
    const key = this.state.openKey;
    if (key && this.textarea) this.#drafts.set(key, this.textarea.value);
    this.#setTyping(false);
  }

  /** Once the panel rendered the opened thread (or the list after Back), the focus follows. */
  #moveFocus(): void {
    const focus = this.#focus;
    if (!focus) return;
    if ('composer' in focus) {
      const textarea = this.textarea;
      if (this.state.openKey !== focus.composer || !textarea) return;
      textarea.value = this.#drafts.get(focus.composer) ?? '';
      (textarea.disabled ? this.renderRoot.querySelector<HTMLElement>('#thread-title') : textarea)?.focus();
    } else {
      if (this.state.openKey !== null) return;
      this.#entryButtons()
        .find((b) => b.dataset['key'] === focus.entry)
        ?.focus();
    }
    this.#focus = null;
  }

  #entryButtons(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.entry')];
  }

  #onListKey = (event: KeyboardEvent): void => {
    const buttons = this.#entryButtons();
    const at = buttons.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (to === undefined || !buttons[to]) return;
    event.preventDefault();
    buttons[to].focus();
  };

  #onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  };

  #onInput = (event: Event): void => {
    this.#setTyping((event.target as HTMLTextAreaElement).value.length > 0);
  };

  #setTyping(typing: boolean): void {
    const key = this.state.openKey;
    if (typing && key && this.#typingKey !== key) {
      this.#typingKey = key;
      void requestTeam(this, { action: 'typing', key, typing: true });
    } else if (!typing && this.#typingKey) {
      void requestTeam(this, { action: 'typing', key: this.#typingKey, typing: false });
      this.#typingKey = null;
    }
  }

  #send = (event: SubmitEvent): void => {
    event.preventDefault();
    const textarea = this.textarea;
    const key = this.state.openKey;
    const text = textarea?.value.trim() ?? '';
    if (!textarea || !key || !text || this.#busy) return;
    this.#busy = true;
    void requestTeam(this, { action: 'send', key, text }).then((sent) => {
      this.#busy = false;
      if (!sent || this.state.openKey !== key) return;
      textarea.value = '';
      this.#drafts.delete(key);
      this.#setTyping(false);
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-team-chat': TeamChatView;
  }
}
