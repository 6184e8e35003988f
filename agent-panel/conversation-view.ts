import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Ack } from '../protocol/errors.js';
import { type Agent, type ConversationDetail, type ConversationSummary, type Message, TICKET_STATUSES } from '../protocol/types.js';
import { panelStyles } from './agent-panel.styles.js';
import type { HubApi } from './api.js';
import type { AgentSocket } from './controllers/hub-socket.js';

/**
 * One conversation: transcript, composer, handoff and mute, notes, tags, assignment, visibility,
 * status, downloads, and (admins) deletion. Every action goes through the hub, which re-checks it.
 *
 * @fires back - the narrow layout's back button
 * @fires sb-error - detail: message of a failed action
 */
@customElement('sb-conversation-view')
export class ConversationView extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host { display: grid; grid-template-columns: 1fr 260px; height: 100%; min-height: 0; }
      .chat { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid var(--sb-border); }
      header { padding: 8px 12px; border-bottom: 1px solid var(--sb-border); display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
      header h2 { font-size: 15px; margin: 0; flex: 1 1 100%; }
      .transcript { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
      .msg { max-width: 80%; }
      .msg .text { white-space: pre-wrap; overflow-wrap: anywhere; padding: 6px 10px; border-radius: var(--sb-radius); background: var(--sb-surface-alt); }
      .msg.agent, .msg.bot { align-self: flex-end; }
      .msg.agent .text { background: #e8efff; }
      .msg.system { align-self: center; font-style: italic; color: var(--sb-muted); }
      .meta { font-size: 11px; color: var(--sb-muted); }
      .composer { display: flex; gap: 6px; padding: 8px; border-top: 1px solid var(--sb-border); }
      .composer textarea { flex: 1; min-height: 40px; }
      aside { padding: 10px; overflow-y: auto; display: grid; gap: 12px; align-content: start; }
      aside h3 { font-size: 13px; margin: 0 0 4px; text-transform: uppercase; color: var(--sb-muted); }
      .note { background: #fffbe6; border: 1px solid #f5e3a3; border-radius: var(--sb-radius); padding: 6px 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; margin: 0; }
      dt { color: var(--sb-muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      .back { display: none; }
      @container (max-width: 760px) { :host { grid-template-columns: 1fr; } .back { display: inline-block; } }
    `,
  ];

  @property({ attribute: false }) api!: HubApi;
  @property({ attribute: false }) socket: AgentSocket | null = null;
  @property({ attribute: false }) me!: Agent;
  @property({ attribute: false }) agents: Agent[] = [];
  @property({ attribute: false }) detail!: ConversationDetail;
  @property({ type: Boolean }) visitorTyping = false;
  @state() private busy = false;
  #typing = false;

  get #c(): ConversationSummary {
    return this.detail.conversation;
  }

  /** Runs an action; on failure shows the hub's message (e.g. "Alice is already handling this conversation"). */
  async #act(run: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await run();
    } catch (error) {
      this.dispatchEvent(new CustomEvent('sb-error', { detail: error instanceof Error ? error.message : String(error), bubbles: true, composed: true }));
    } finally {
      this.busy = false;
    }
  }

  #path(suffix = ''): string {
    return `/api/conversations/${this.#c.id}${suffix}`;
  }

  override render() {
    const c = this.#c;
    const heldByOther = c.holderId !== null && c.holderId !== this.me.id;
    const closed = c.state === 'closed';
    return html`<section class="chat">
        <header>
          <button class="back" @click=${() => this.dispatchEvent(new CustomEvent('back'))}>← Back</button>
          <h2>${c.visitor.name} <span class="chip ${c.visitor.verified ? 'verified' : ''}">${c.visitor.verified ? 'Verified' : 'Unverified'}</span>
            <span class="muted">${c.visitor.online ? '● online' : '○ offline'}${this.visitorTyping ? ' · typing…' : ''}</span></h2>
          ${c.holderId === this.me.id
            ? html`<button class="release" @click=${() => this.#act(() => this.api.post(this.#path('/release')))}>Hand back to bot</button>`
            : html`<button class="claim primary" ?disabled=${closed || (heldByOther && this.me.role !== 'admin')} @click=${() => this.#act(() => this.api.post(this.#path('/claim'), { force: heldByOther }))}>${heldByOther ? 'Reassign to me' : 'Take over'}</button>`}
          ${c.muted
            ? html`<button class="unmute" @click=${() => this.#act(() => this.api.post(this.#path('/unmute')))}>Unmute bot</button>
                <span class="muted unmute-at">Bot muted until ${new Date(c.unmuteAt ?? '').toLocaleString()}</span>`
            : html`<button class="mute" @click=${() => this.#act(() => this.api.post(this.#path('/mute')))}>Mute bot</button>`}
          ${closed
            ? html`<button class="reopen" @click=${() => this.#act(() => this.api.post(this.#path('/reopen')))}>Reopen</button>`
            : html`<button class="close" @click=${() => this.#act(() => this.api.post(this.#path('/close'), {}))}>Close</button>`}
        </header>
        <div class="transcript" role="log" aria-live="polite" aria-label="Transcript">${this.detail.messages.map((m) => this.#renderMessage(m))}</div>
        <form class="composer" @submit=${this.#send}>
          <label class="sr-only" for="reply">Reply</label>
          <textarea id="reply" ?disabled=${heldByOther || closed}
            placeholder=${heldByOther ? `${c.holderName ?? 'Another agent'} is handling this conversation` : closed ? 'Reopen the conversation to reply' : 'Reply to the visitor (Enter to send)'}
            @keydown=${this.#onKey} @input=${this.#onInput}></textarea>
          <button class="primary" type="submit" ?disabled=${heldByOther || closed || this.busy}>Send</button>
        </form>
      </section>
      <aside>${this.#renderSide()}</aside>`;
  }

  #renderMessage(m: Message) {
    if (m.author === 'system') return html`<div class="msg system">${m.text}</div>`;
    const who = m.author === 'visitor' ? this.#c.visitor.name : (m.authorName ?? m.author);
    return html`<div class="msg ${m.author}"><div class="text">${m.text}</div><div class="meta">${who} · <time datetime=${m.createdAt}>${new Date(m.createdAt).toLocaleString()}</time></div></div>`;
  }

  #renderSide() {
    const c = this.#c;
    const v = this.detail.visitor;
    const name = (id: string) => this.agents.find((a) => a.id === id)?.name ?? id;
    return html`
      <section>
        <h3>User</h3>
        <dl class="user">
          <dt>Name</dt><dd>${[v.userData.first_name, v.userData.last_name].filter(Boolean).join(' ') || '—'}</dd>
          <dt>Email</dt><dd>${v.userData.email ?? '—'}</dd>
          <dt>Phone</dt><dd>${v.userData.phone_number ?? '—'}</dd>
          <dt>Comments</dt><dd>${v.userData.comments ?? '—'}</dd>
          <dt>Identity</dt><dd>${v.verified ? 'Verified' : 'Unverified'}</dd>
          <dt>Language</dt><dd>${c.language}</dd>
        </dl>
      </section>
      <section>
        <h3>Status</h3>
        <label>Ticket <select class="ticket-status" @change=${(e: Event) => this.#act(() => this.api.put(this.#path('/ticket-status'), { status: (e.target as HTMLSelectElement).value }))}>
          ${TICKET_STATUSES.map((s) => html`<option value=${s} ?selected=${s === c.ticketStatus}>${s}</option>`)}
        </select></label>
        <div class="muted">Bot: ${c.botStatus} · ${c.holderName ? `handled by ${c.holderName}` : 'bot answering'}</div>
      </section>
      <section>
        <h3>Tags</h3>
        <input class="tags" aria-label="Tags (comma separated)" .value=${c.tags.join(', ')}
          @change=${(e: Event) => this.#act(() => this.api.put(this.#path('/tags'), { tags: (e.target as HTMLInputElement).value.split(',').map((t) => t.trim()).filter(Boolean) }))} />
      </section>
      <section>
        <h3>Assigned to</h3>
        <select class="assignees" multiple aria-label="Assignees" @change=${(e: Event) => this.#act(() => this.api.put(this.#path('/assignees'), { agentIds: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value) }))}>
          ${this.agents.map((a) => html`<option value=${a.id} ?selected=${c.assignees.includes(a.id)}>${a.name}</option>`)}
        </select>
        <h3>Visible to</h3>
        <div class="muted">${c.visibleTo.length === 0 ? 'Whole team' : c.visibleTo.map(name).join(', ')}</div>
        <button class="restrict" @click=${() => this.#act(() => this.api.put(this.#path('/visibility'), { agentIds: c.visibleTo.length === 0 ? [this.me.id] : [] }))}>
          ${c.visibleTo.length === 0 ? 'Only me' : 'Whole team'}</button>
      </section>
      <section>
        <h3>Private notes</h3>
        ${this.detail.notes.map((n) => html`<div class="note">${n.text}<div class="meta">${n.agentName} · ${new Date(n.createdAt).toLocaleString()}</div></div>`)}
        <form class="add-note" @submit=${this.#addNote}><textarea name="note" aria-label="New note" required></textarea><button type="submit">Add note</button></form>
      </section>
      <section>
        <h3>Download</h3>
        <button class="download-json" @click=${() => this.#act(() => this.api.download(this.#path('/export?format=json'), 'conversation.json'))}>Conversation (JSON)</button>
        <button class="download-text" @click=${() => this.#act(() => this.api.download(this.#path('/export?format=text'), 'conversation.txt'))}>Conversation (text)</button>
        <button class="download-user" @click=${() => this.#act(() => this.api.download(`/api/visitors/${c.visitorId}/export`, 'visitor.json'))}>User data (JSON)</button>
      </section>
      ${this.me.role === 'admin'
        ? html`<section><h3>Danger zone</h3><button class="danger delete-user" @click=${this.#deleteUser}>Delete user and all conversations</button></section>`
        : nothing}`;
  }

  #deleteUser = (): void => {
    if (!confirm(`Delete ${this.#c.visitor.name} and all their conversations? This cannot be undone.`)) return;
    void this.#act(() => this.api.delete(`/api/visitors/${this.#c.visitorId}`));
  };

  #addNote = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('note') ?? '').trim();
    if (!text) return;
    void this.#act(async () => {
      await this.api.post(this.#path('/notes'), { text });
      form.reset();
    });
  };

  #onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  };

  #onInput = (event: Event): void => {
    const typing = (event.target as HTMLTextAreaElement).value.length > 0;
    if (typing === this.#typing) return;
    this.#typing = typing;
    this.socket?.emit('typing', { conversationId: this.#c.id, typing });
  };

  #send = (event: SubmitEvent): void => {
    event.preventDefault();
    const textarea = this.renderRoot.querySelector<HTMLTextAreaElement>('#reply');
    const text = textarea?.value.trim() ?? '';
    const socket = this.socket;
    if (!textarea || !text || !socket) return;
    void this.#act(async () => {
      const ack = (await socket.timeout(10_000).emitWithAck('message:send', { conversationId: this.#c.id, clientId: crypto.randomUUID(), text })) as Ack<unknown>;
      if (ack.error) throw new Error(ack.error.message);
      textarea.value = '';
      this.#typing = false;
      socket.emit('typing', { conversationId: this.#c.id, typing: false });
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-conversation-view': ConversationView;
  }
}
