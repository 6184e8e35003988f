import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LIMITS } from '../../protocol/limits.js';
import { type Agent, type ConversationDetail, TICKET_STATUSES, type TicketStatus } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { type CallOptions, type HubApi, type Route, saveBlob } from '../api.js';
import { TICKET_LABELS, formatFull } from '../format.js';
import { sideStyles } from './conversation-view.styles.js';

interface Download {
  label: string;
  name: string;
  url: string;
  size: number;
}

/**
 * The conversation's side panel: user information, ticket status, tags, assignees, visibility, private
 * notes, downloads and (admins only) deletion of the user. Actions run through `act` from the view.
 */
@customElement('sb-conversation-side')
export class ConversationSide extends LitElement {
  static override styles = [panelStyles, sideStyles];

  @property({ attribute: false }) api!: HubApi;
  @property({ attribute: false }) me!: Agent;
  @property({ attribute: false }) agents: Agent[] = [];
  @property({ attribute: false }) detail!: ConversationDetail;
  @property({ attribute: false }) act: (run: () => Promise<unknown>) => Promise<void> = async (run) => void (await run());
  /** Files fetched for download, offered as `<a download>` links (the export needs the token, a plain link can't send it). */
  @state() private downloads: Download[] = [];

  override willUpdate(changed: Map<string, unknown>): void {
    const previous = changed.get('detail') as ConversationDetail | undefined;
    if (previous && previous.conversation.id !== this.detail.conversation.id) this.#clearDownloads();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#clearDownloads();
  }

  #clearDownloads(): void {
    for (const d of this.downloads) URL.revokeObjectURL(d.url);
    this.downloads = [];
  }

  get #id() {
    return { id: this.detail.conversation.id };
  }

  override render() {
    const c = this.detail.conversation;
    const v = this.detail.visitor;
    const name = [v.userData.first_name, v.userData.last_name].filter(Boolean).join(' ');
    const canTeam = this.agents.filter((a) => !a.disabled);
    return html`
      <section class="user" aria-label="User information">
        <h3>User <span class="chip ${v.verified ? 'verified' : 'unverified'}">${v.verified ? 'Verified' : 'Unverified'}</span></h3>
        <dl>
          <dt>Name</dt><dd class="user-name">${name || '—'}</dd>
          <dt>Email</dt><dd>${v.userData.email ?? '—'}</dd>
          <dt>Phone</dt><dd>${v.userData.phone_number ?? '—'}</dd>
          ${v.userData.user_id ? html`<dt>User id</dt><dd>${v.userData.user_id}</dd>` : nothing}
          <dt>Comments</dt><dd class="comments">${v.userData.comments ?? '—'}</dd>
          <dt>Language</dt><dd>${v.language}</dd>
          <dt>Channel</dt><dd>${v.channel}</dd>
          <dt>First seen</dt><dd>${formatFull(v.firstSeenAt)}</dd>
          <dt>Last seen</dt><dd>${formatFull(v.lastSeenAt)}</dd>
        </dl>
      </section>
      <section>
        <h3><label for="ticket-status">Ticket status</label></h3>
        <select id="ticket-status" class="ticket-status" @change=${(e: Event) => this.act(() => this.api.call('PUT /api/conversations/:id/ticket-status', { params: this.#id, body: { status: (e.target as HTMLSelectElement).value as TicketStatus } }))}>
          ${TICKET_STATUSES.map((s) => html`<option value=${s} ?selected=${s === c.ticketStatus}>${TICKET_LABELS[s]}</option>`)}
        </select>
      </section>
      <section>
        <h3>Tags</h3>
        <div class="tags">
          ${c.tags.length === 0 ? html`<span class="muted">No tags</span>` : nothing}
          ${c.tags.map((t) => html`<span class="chip tag">${t}<button type="button" aria-label="Remove tag ${t}" @click=${() => this.#setTags(c.tags.filter((x) => x !== t))}>×</button></span>`)}
        </div>
        <form class="inline add-tag" @submit=${this.#addTag}>
          <input name="tag" aria-label="New tag" placeholder="Add a tag" maxlength=${LIMITS.tag} />
          <button type="submit">Add</button>
        </form>
      </section>
      <section>
        <h3>Assigned to</h3>
        <fieldset class="assignees" aria-label="Assignees">
          ${canTeam.map(
            (a) => html`<label><input type="checkbox" value=${a.id} .checked=${c.assignees.includes(a.id)}
            @change=${() => this.act(() => this.api.call('PUT /api/conversations/:id/assignees', { params: this.#id, body: { agentIds: this.#checked('.assignees') } }))} />${a.name}${a.online ? ' ●' : ''}</label>`,
          )}
        </fieldset>
      </section>
      <section>
        <h3>Visible to</h3>
        <fieldset class="visibility" aria-label="Visible to">
          <label><input type="checkbox" class="everyone" .checked=${c.visibleTo.length === 0}
            @change=${(e: Event) => (e.target as HTMLInputElement).checked && this.#setVisibility([])} />Whole team</label>
          ${canTeam.map(
            (a) => html`<label><input type="checkbox" value=${a.id} .checked=${c.visibleTo.includes(a.id)}
            @change=${() => this.#setVisibility(this.#checked('.visibility'))} />${a.name}</label>`,
          )}
        </fieldset>
      </section>
      <section class="notes" aria-label="Private notes">
        <h3>Private notes <span class="muted">(never shown to the visitor)</span></h3>
        ${this.detail.notes.map((n) => html`<div class="note" data-id=${n.id}><div class="text">${n.text}</div><div class="meta muted">${n.agentName} · ${formatFull(n.createdAt)}</div></div>`)}
        <form class="add-note" @submit=${this.#addNote}>
          <textarea name="note" aria-label="New private note" maxlength=${LIMITS.noteText} required></textarea>
          <button type="submit">Add note</button>
        </form>
      </section>
      <section class="downloads">
        <h3>Download</h3>
        <button type="button" class="download-json" @click=${() => this.#download('Conversation (JSON)', 'GET /api/conversations/:id/export', { params: this.#id, query: { format: 'json' } }, `conversation-${c.id}.json`)}>Conversation (JSON)</button>
        <button type="button" class="download-text" @click=${() => this.#download('Conversation (text)', 'GET /api/conversations/:id/export', { params: this.#id, query: { format: 'text' } }, `conversation-${c.id}.txt`)}>Conversation (text)</button>
        <button type="button" class="download-user" @click=${() => this.#download('User data (JSON)', 'GET /api/visitors/:id/export', { params: { id: c.visitorId } }, `visitor-${c.visitorId}.json`)}>User data (JSON)</button>
        ${this.downloads.map((d) => html`<a class="ready" href=${d.url} download=${d.name}>${d.label}: ${d.name} (${Math.ceil(d.size / 1024)} kB)</a>`)}
      </section>
      ${
        this.me.role === 'admin'
          ? html`<section>
            <h3>Danger zone</h3>
            <button type="button" class="danger delete-user" @click=${this.#deleteUser}>Delete user and all conversations</button>
          </section>`
          : nothing
      }`;
  }

  #checked(selector: string): string[] {
    return [...this.renderRoot.querySelectorAll<HTMLInputElement>(`${selector} input[type=checkbox][value]:checked`)].map((i) => i.value);
  }

  #setTags(tags: string[]): Promise<void> {
    return this.act(() => this.api.call('PUT /api/conversations/:id/tags', { params: this.#id, body: { tags } }));
  }

  #setVisibility(agentIds: string[]): Promise<void> {
    return this.act(() => this.api.call('PUT /api/conversations/:id/visibility', { params: this.#id, body: { agentIds } }));
  }

  #addTag = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const tag = String(new FormData(form).get('tag') ?? '').trim();
    const tags = this.detail.conversation.tags;
    if (!tag || tags.includes(tag)) return;
    void this.#setTags([...tags, tag]).then(() => form.reset());
  };

  #addNote = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('note') ?? '').trim();
    if (!text) return;
    void this.act(async () => {
      await this.api.call('POST /api/conversations/:id/notes', { params: this.#id, body: { text } });
      form.reset();
    });
  };

  #download<R extends Route>(label: string, route: R, options: CallOptions<R>, fallback: string): Promise<void> {
    return this.act(async () => {
      const { blob, name } = await this.api.fetchFile(route, options, fallback);
      const url = saveBlob(blob, name);
      this.downloads = [...this.downloads.filter((d) => d.label !== label), { label, name, url, size: blob.size }];
    });
  }

  /** Admin only (the hub refuses agents too), after the agent confirms. */
  #deleteUser = (): void => {
    const c = this.detail.conversation;
    if (!confirm(`Delete “${c.visitor.name}”, all their conversations, messages and notes? This cannot be undone.`)) return;
    void this.act(() => this.api.call('DELETE /api/visitors/:id', { params: { id: c.visitorId } }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-conversation-side': ConversationSide;
  }
}
