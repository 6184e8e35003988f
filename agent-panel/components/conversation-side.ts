import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { IdentityField } from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import { type Agent, type ConversationDetail, TICKET_STATUSES, type TicketStatus } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { type AssistState, NO_ASSIST } from '../controllers/assist.js';
import { type ContactState, NO_CONTACT_STATE } from '../controllers/contact-context.js';
import type { Download } from '../controllers/conversation-actions.js';
import { type AssistIntent, type ConversationIntent, type DownloadKind, type IntentDetail, forward, request } from '../events.js';
import { CHANNEL_LABELS, TICKET_LABELS, formatFull, languageName } from '../format.js';
import { tagChips } from './contact-card.js';
import { sideStyles } from './conversation-view.styles.js';
import './assist-panel.js';
import './contact-card.js';

/** Intents of the side panel; the conversation's id is added here. */
type WithoutId<T> = T extends unknown ? Omit<T, 'conversationId'> : never;
type SideIntent = WithoutId<Extract<ConversationIntent, { conversationId: string }>>;

/**
 * The conversation's side panel: the AI assist summary (`<sb-assist-summary>`), user information (each identity value marked Verified only when the site
 * signed it), the contact (`<sb-contact-card>`: custom fields and contact tags), ticket status, tags,
 * who is handling it (the holder) apart from who is assigned (offered: the agents who can see it), visibility, private notes, downloads and (admins only) deletion of the user. Presentational:
 * actions are intents (`sb-conversation-action`) that the view passes on to the panel; `downloads` are the
 * files the panel fetched.
 *
 * @fires sb-conversation-action - detail: a `ConversationIntent` and `reply` (internal)
 * @fires sb-assist-action - detail: an `AssistIntent` and `reply` (internal; the summary's Refresh, passed on)
 */
@customElement('sb-conversation-side')
export class ConversationSide extends LitElement {
  static override styles = [panelStyles, sideStyles];

  @property({ attribute: false }) me!: Agent;
  @property({ attribute: false }) agents: Agent[] = [];
  @property({ attribute: false }) detail!: ConversationDetail;
  /** Files fetched for download, offered as `<a download>` links. */
  @property({ attribute: false }) downloads: Download[] = [];
  /** The conversation's contact, the field definitions and the tag catalogue. */
  @property({ attribute: false }) contacts: ContactState = NO_CONTACT_STATE;
  /** AI assist for this conversation: the summary is shown here. */
  @property({ attribute: false }) assist: AssistState = NO_ASSIST;

  #act(intent: SideIntent): Promise<boolean> {
    return request(this, 'sb-conversation-action', { ...intent, conversationId: this.detail.conversation.id } as ConversationIntent);
  }

  override render() {
    const c = this.detail.conversation;
    const v = this.detail.visitor;
    const { catalogue, feedback } = this.contacts;
    const identity = this.contacts.contact?.identity;
    const name = identity?.name.value ?? [v.userData.first_name, v.userData.last_name].filter(Boolean).join(' ');
    const email = identity?.email.value ?? v.userData.email;
    const userId = identity?.userId.value ?? v.userData.user_id;
    const canTeam = this.agents.filter((a) => !a.disabled);
    // Assignment follows visibility (the hub refuses the others); someone already assigned stays listed to be unticked.
    const assignable = canTeam.filter((a) => a.role === 'admin' || c.visibleTo.length === 0 || c.visibleTo.includes(a.id) || c.assignees.includes(a.id));
    return html`
      <sb-assist-summary .state=${this.assist} .latestMessageId=${this.detail.messages.at(-1)?.id ?? 0}
        @sb-assist-action=${(e: CustomEvent<IntentDetail<AssistIntent>>) => forward(e, 'sb-assist-action', this)}></sb-assist-summary>
      <section class="user" aria-label="User information">
        <h3>User</h3>
        <dl>
          <dt>Name</dt><dd class="name"><span class="user-name"><bdi>${name || '—'}</bdi></span>${name ? this.#identity('name', identity?.name, false) : nothing}</dd>
          <dt>Email</dt><dd class="email"><bdi class="user-email">${email || '—'}</bdi>${email ? this.#identity('email', identity?.email, false) : nothing}</dd>
          <dt>Phone</dt><dd>${v.userData.phone_number ?? '—'}</dd>
          ${userId ? html`<dt>User id</dt><dd class="user-id"><bdi>${userId}</bdi>${this.#identity('user-id', identity?.userId, v.verified)}</dd>` : nothing}
          <dt>Comments</dt><dd class="comments">${v.userData.comments ?? '—'}</dd>
          <dt>Visitor language</dt><dd class="language">${languageName(v.language)} <span class="muted">(${v.language})</span></dd>
          <dt>Channel</dt><dd class="channel">${CHANNEL_LABELS[v.channel] ?? v.channel}</dd>
          <dt>First seen</dt><dd>${formatFull(v.firstSeenAt)}</dd>
          <dt>Last seen</dt><dd>${formatFull(v.lastSeenAt)}</dd>
        </dl>
      </section>
      <sb-contact-card .state=${this.contacts}
        @sb-conversation-action=${(e: CustomEvent<IntentDetail<ConversationIntent>>) => forward(e, 'sb-conversation-action', this)}></sb-contact-card>
      <section>
        <h3><label for="ticket-status">Ticket status</label></h3>
        <select id="ticket-status" class="ticket-status" @change=${(e: Event) => this.#act({ action: 'ticket-status', status: (e.target as HTMLSelectElement).value as TicketStatus })}>
          ${TICKET_STATUSES.map((s) => html`<option value=${s} ?selected=${s === c.ticketStatus}>${TICKET_LABELS[s]}</option>`)}
        </select>
      </section>
      <section>
        <h3>Conversation tags</h3>
        <div class="tags">
          ${c.tags.length === 0 ? html`<span class="muted">No tags</span>` : nothing}
          ${tagChips(c.tags, catalogue, 'conversation-tag', (t) => void this.#setTags(c.tags.filter((x) => x !== t)))}
        </div>
        <form class="inline add-tag" @submit=${this.#addTag}>
          <input name="tag" list="catalogue-tags" aria-label="New tag" placeholder=${catalogue.freeTags ? 'Add a tag' : 'Add a catalogue tag'} maxlength=${LIMITS.tag} />
          <datalist id="catalogue-tags">${catalogue.tags.filter((t) => !c.tags.includes(t.name)).map((t) => html`<option value=${t.name}></option>`)}</datalist>
          <button type="submit">Add</button>
        </form>
        ${feedback?.scope === 'conversation-tags' ? html`<div class="feedback ${feedback.error ? 'error' : ''}" role="alert">${feedback.message}</div>` : nothing}
      </section>
      <section class="handling" aria-labelledby="handling-title">
        <h3 id="handling-title">Handling</h3>
        <p class="holder">${
          c.holderId
            ? html`<bdi>${c.holderName ?? 'Another agent'}</bdi>${c.holderId === this.me.id ? ' (you)' : ''}`
            : c.state === 'closed'
              ? 'Nobody (closed)'
              : c.muted
                ? 'Nobody (the bot is muted)'
                : 'Nobody (the bot is answering)'
        }</p>
        <p class="hint">The one agent who writes to the visitor now (Take over, Hand back). Taking over doesn't assign.</p>
      </section>
      <section>
        <h3 id="assignees-title">Assigned to</h3>
        <p class="hint assignees-hint" id="assignees-hint">Who is responsible: it shows in their Mine view. Only agents who can see it.</p>
        <fieldset class="assignees" aria-labelledby="assignees-title" aria-describedby="assignees-hint">
          ${assignable.map(
            (a) => html`<label data-agent=${a.id}><input type="checkbox" value=${a.id} .checked=${c.assignees.includes(a.id)}
            @change=${() => this.#act({ action: 'assignees', agentIds: this.#checked('.assignees') })} /><bdi>${a.name}</bdi>${a.online ? ' ●' : ''}${
              a.id === c.holderId ? html` <span class="muted">(handling)</span>` : nothing
            }</label>`,
          )}
        </fieldset>
      </section>
      <section>
        <h3>Visible to</h3>
        <p class="hint visibility-hint">Agents left out lose it: they are unassigned, and if one was handling it, it goes back to the bot.</p>
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
        <button type="button" class="download-json" @click=${() => this.#download('json')}>Conversation (JSON)</button>
        <button type="button" class="download-text" @click=${() => this.#download('text')}>Conversation (text)</button>
        <button type="button" class="download-user" @click=${() => this.#download('user')}>User data (JSON)</button>
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

  /**
   * Who vouches for an identity value: "Verified" only when the site signed it; a value the visitor changed
   * after verification is shown as a warning. Without the contact (not loaded), only the user id can be
   * verified (`fallback`: the session's own flag).
   */
  #identity(which: string, field: IdentityField | undefined, fallback: boolean) {
    const verified = field ? field.verified : fallback;
    const changed = field?.visitorValue;
    return html` <span class="identity ${which} ${verified ? 'chip verified' : 'provided muted'}">${verified ? 'Verified' : 'provided by the visitor'}</span>${
      changed !== null && changed !== undefined
        ? html`<div class="identity-warning ${which}" role="note">Changed by the visitor after verification: “<bdi>${changed}</bdi>”</div>`
        : nothing
    }`;
  }

  #checked(selector: string): string[] {
    return [...this.renderRoot.querySelectorAll<HTMLInputElement>(`${selector} input[type=checkbox][value]:checked`)].map((i) => i.value);
  }

  #setTags(tags: string[]): Promise<boolean> {
    return this.#act({ action: 'tags', tags });
  }

  #setVisibility(agentIds: string[]): Promise<boolean> {
    return this.#act({ action: 'visibility', agentIds });
  }

  #addTag = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const tag = String(new FormData(form).get('tag') ?? '').trim();
    const tags = this.detail.conversation.tags;
    if (!tag || tags.includes(tag)) return;
    void this.#setTags([...tags, tag]).then((ok) => ok && form.reset());
  };

  #addNote = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('note') ?? '').trim();
    if (!text) return;
    void this.#act({ action: 'note', text }).then((ok) => ok && form.reset());
  };

  #download(kind: DownloadKind): Promise<boolean> {
    return this.#act({ action: 'download', visitorId: this.detail.conversation.visitorId, kind });
  }

  /** Admin only (the hub refuses agents too), after the agent confirms. */
  #deleteUser = (): void => {
    const c = this.detail.conversation;
    if (!confirm(`Delete “${c.visitor.name}”, all their conversations, messages and notes? This cannot be undone.`)) return;
    void request(this, 'sb-conversation-action', { action: 'delete-visitor', visitorId: c.visitorId });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-conversation-side': ConversationSide;
  }
}
