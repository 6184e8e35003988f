import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Contact, ContactPatch, ContactSummary } from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import type { Agent } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { ContactsState } from '../controllers/contacts.js';
import { type ContactIntent, request } from '../events.js';
import { formatFull } from '../format.js';
import { tagChip } from './contact-parts.js';
import { contactPageStyles } from './contact-page.styles.js';
import { conversationsTemplate, fieldInput, identityTemplate, notesTemplate, changedFields, routingTemplate, userDataTemplate } from './contact-sections.js';

/** Intents about the open contact; its id is added here. */
type WithoutId<T> = T extends unknown ? Omit<T, 'contactId'> : never;
type PageIntent = WithoutId<Extract<ContactIntent, { contactId: string }>>;

/**
 * One contact: identity (what the site verified, what the visitor provided), the visitor's user data, custom
 * fields, tags, routing (owner, default visibility), notes, conversations and a new outgoing chat; for admins
 * export, merge and delete. The heading takes focus when a contact opens. Presentational: every action is an
 * intent for the panel's `ContactsController`, and the hub checks each one again.
 *
 * @fires sb-contact-action - detail: a `ContactIntent` and `reply` (internal)
 */
@customElement('sb-contact-page')
export class ContactPage extends LitElement {
  static override styles = [panelStyles, contactPageStyles];

  @property({ attribute: false }) state!: ContactsState;
  @property({ attribute: false }) me!: Agent;
  @property({ attribute: false }) agents: Agent[] = [];
  /** Admin steps: finding the contact to merge, the one picked, and the delete confirmation. */
  @state() private merging = false;
  @state() private mergePick: ContactSummary | null = null;
  @state() private confirmDelete = false;
  @query('h2') private heading?: HTMLElement;
  @query('dialog.new-chat') private chatDialog?: HTMLDialogElement;
  #focused: string | null = null;
  #shown: string | null = null;
  #mergeTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#mergeTimer);
  }

  override willUpdate(): void {
    // Another contact: the admin steps of the previous one are forgotten.
    const id = this.state.contact?.id ?? null;
    if (id === this.#shown) return;
    this.#shown = id;
    this.merging = false;
    this.mergePick = null;
    this.confirmDelete = false;
  }

  protected override updated(): void {
    // The heading takes focus when a contact opens, and again when its name arrives (so it is read out).
    const key = this.state.contact?.id ?? `loading:${this.state.openId}`;
    if (key !== this.#focused) {
      this.#focused = key;
      this.heading?.focus();
    }
  }

  #act(intent: PageIntent): Promise<boolean> {
    const contactId = this.state.contact?.id ?? '';
    return request(this, 'sb-contact-action', { ...intent, contactId } as ContactIntent);
  }

  #patch(patch: ContactPatch, success: string): Promise<boolean> {
    return this.#act({ action: 'patch', patch, success });
  }

  override render() {
    const s = this.state;
    const c = s.contact;
    const status = s.status;
    return html`
      <header>
        <div class="title">
          <button type="button" class="back" @click=${() => request(this, 'sb-contact-action', { action: 'close' })}>← Contacts</button>
          <h2 tabindex="-1"><bdi>${c ? c.name : 'Loading contact…'}</bdi></h2>
          ${c ? html`<span class="chip ${c.verified ? 'verified' : 'unverified'}">${c.verified ? 'Verified' : 'Unverified'}</span>` : nothing}
          ${c?.online ? html`<span class="online">● Online</span>` : nothing}
        </div>
        ${c ? this.#renderMeta(c) : nothing}
        ${c ? this.#renderActions() : nothing}
      </header>
      ${status ? html`<p class="status ${status.error ? 'error' : ''}" role=${status.error ? 'alert' : 'status'}>${status.message}</p>` : nothing}
      ${c && this.merging ? this.#renderMerge(c) : nothing}
      ${c && this.confirmDelete ? this.#renderDelete(c) : nothing}
      ${c ? keyed(c.id, this.#renderBody(c)) : nothing}
      ${c ? this.#renderNewChat(c) : nothing}`;
  }

  #renderMeta(c: Contact) {
    return html`<div class="meta">
      <span>First seen <time datetime=${c.firstSeenAt}>${formatFull(c.firstSeenAt)}</time></span>
      <span>Last seen <time datetime=${c.lastSeenAt}>${formatFull(c.lastSeenAt)}</time></span>
      <span>${c.sessionCount} browser session${c.sessionCount === 1 ? '' : 's'}</span>
    </div>`;
  }

  #renderActions() {
    const admin = this.me.role === 'admin';
    const busy = this.state.busy;
    return html`<div class="actions">
      <button type="button" class="primary new-chat-open" ?disabled=${busy} @click=${() => this.chatDialog?.showModal()}>New chat</button>
      ${
        admin
          ? html`<button type="button" class="export" ?disabled=${busy} @click=${() => this.#act({ action: 'export' })}>Export</button>
            <button type="button" class="merge-open" aria-expanded=${this.merging} ?disabled=${busy} @click=${this.#toggleMerge}>Merge…</button>
            <button type="button" class="danger delete" ?disabled=${busy} @click=${() => (this.confirmDelete = true)}>Delete</button>`
          : nothing
      }
    </div>`;
  }

  #renderBody(c: Contact) {
    return html`<div class="columns">
      <div class="column">
        ${identityTemplate(c.identity)}
        ${userDataTemplate(c.userData)}
        ${this.#renderFields(c)}
        ${this.#renderTags(c)}
        ${routingTemplate(c, this.agents, this.state.busy, this.#saveRouting)}
      </div>
      <div class="column">
        ${conversationsTemplate(c.conversations, (id) => this.#openConversation(id))}
        ${notesTemplate(c.notes, this.state.busy, this.#addNote)}
      </div>
    </div>`;
  }

  #renderFields(c: Contact) {
    const defs = this.state.fields;
    return html`<section class="fields" aria-labelledby="fields-h">
      <h3 id="fields-h">Details</h3>
      ${
        defs.length === 0
          ? html`<p class="muted">No custom fields are defined (an admin defines them).</p>`
          : html`<form class="fields-form" @submit=${this.#saveFields}>
            ${defs.map((def) => fieldInput(def, c.fields[def.key]))}
            <div class="buttons"><button type="submit" class="primary save-fields" ?disabled=${this.state.busy}>Save</button></div>
          </form>`
      }
    </section>`;
  }

  #renderTags(c: Contact) {
    const catalogue = this.state.catalogue;
    const available = catalogue.tags.filter((t) => !c.tags.includes(t.name));
    return html`<section class="tags-section" aria-labelledby="tags-h">
      <h3 id="tags-h">Tags</h3>
      <div class="tags">
        ${c.tags.length === 0 ? html`<span class="muted">No tags</span>` : c.tags.map((t) => tagChip(t, catalogue, () => this.#removeTag(t)))}
      </div>
      <form class="add-tag" @submit=${this.#addTag}>
        <label>Add tag
          <select name="catalogueTag"><option value="">Choose a tag…</option>${available.map((t) => html`<option value=${t.name}>${t.name}</option>`)}</select>
        </label>
        ${catalogue.freeTags ? html`<label>Or a new tag<input name="freeTag" maxlength=${LIMITS.tag} autocomplete="off" /></label>` : nothing}
        <button type="submit" ?disabled=${this.state.busy}>Add tag</button>
      </form>
    </section>`;
  }

  #renderMerge(c: Contact) {
    const pick = this.mergePick;
    if (pick)
      return html`<div class="confirm merge-confirm" role="group" aria-label="Confirm merge">
        <p>Merge <bdi>${pick.name}</bdi> into <bdi>${c.name}</bdi>? Conversations and messages move; <bdi>${pick.name}</bdi> is removed.</p>
        <div class="buttons">
          <button type="button" class="danger merge-confirm-yes" ?disabled=${this.state.busy} @click=${() => this.#merge(pick)}>Merge</button>
          <button type="button" @click=${() => (this.mergePick = null)}>Cancel</button>
        </div>
      </div>`;
    return html`<div class="merge" role="group" aria-label="Merge another contact into this one">
      <form @submit=${this.#mergeSearchNow}>
        <label>Find the contact to merge into <bdi>${c.name}</bdi>
          <input type="search" name="mergeQuery" autocomplete="off" placeholder="Name, email, phone or user id" @input=${this.#mergeTyped} />
        </label>
        <button type="submit">Search</button>
        <button type="button" @click=${this.#toggleMerge}>Cancel</button>
      </form>
      <ul class="merge-results" aria-label="Contacts found">
        ${this.state.mergeResults.map(
          (r) => html`<li><button type="button" class="link merge-pick" data-id=${r.id} @click=${() => (this.mergePick = r)}>
            <bdi>${r.name}</bdi>${r.email ? html` — <bdi>${r.email}</bdi>` : nothing} (${r.conversationCount} conversation${r.conversationCount === 1 ? '' : 's'})</button></li>`,
        )}
      </ul>
    </div>`;
  }

  #renderDelete(c: Contact) {
    return html`<div class="confirm delete-confirm" role="group" aria-label="Confirm deletion">
      <p>Delete <bdi>${c.name}</bdi> with every conversation, message and note? This cannot be undone.</p>
      <div class="buttons">
        <button type="button" class="danger delete-confirm-yes" ?disabled=${this.state.busy}
          @click=${() => this.#act({ action: 'delete' })}>Delete</button>
        <button type="button" @click=${() => (this.confirmDelete = false)}>Cancel</button>
      </div>
    </div>`;
  }

  #renderNewChat(c: Contact) {
    // The hub keeps one open conversation per person: an agent writes in that one instead.
    const open = c.conversations.find((x) => x.state === 'open');
    return html`<dialog class="new-chat" aria-labelledby="new-chat-h">
      ${
        open
          ? html`<h3 id="new-chat-h">New chat with <bdi>${c.name}</bdi></h3>
            <p class="has-open"><bdi>${c.name}</bdi> already has an open conversation: write in it instead.</p>
            <div class="buttons">
              <button type="button" class="primary open-existing" @click=${() => this.#openConversation(open.id)}>Open the conversation</button>
              <button type="button" @click=${() => this.chatDialog?.close()}>Cancel</button>
            </div>`
          : html`<form @submit=${this.#startChat}>
            <h3 id="new-chat-h">New chat with <bdi>${c.name}</bdi></h3>
            <p class="muted">They see it in the chat window on their next visit${c.online ? ' (they are online now)' : ''}.</p>
            <label for="new-chat-text" class="sr-only">First message</label>
            <textarea id="new-chat-text" name="text" required maxlength=${LIMITS.messageText} placeholder="First message"></textarea>
            <div class="buttons">
              <button type="submit" class="primary new-chat-send" ?disabled=${this.state.busy}>Start chat</button>
              <button type="button" @click=${() => this.chatDialog?.close()}>Cancel</button>
            </div>
          </form>`
      }
    </dialog>`;
  }

  #openConversation(conversationId: string): void {
    this.chatDialog?.close();
    void request(this, 'sb-contact-action', { action: 'open-conversation', conversationId });
  }

  #setTags(tags: string[], success: string): Promise<boolean> {
    return this.#patch({ tags }, success);
  }

  #removeTag(tag: string): void {
    void this.#setTags(
      (this.state.contact?.tags ?? []).filter((t) => t !== tag),
      `Tag “${tag}” removed`,
    );
  }

  #saveFields = (event: SubmitEvent): void => {
    event.preventDefault();
    const c = this.state.contact;
    if (!c) return;
    const fields = changedFields(event.target as HTMLFormElement, this.state.fields, c.fields);
    void this.#patch({ fields }, Object.keys(fields).length > 0 ? 'Details saved' : 'No changes to save');
  };

  #addTag = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const tag = String(data.get('freeTag') ?? '').trim() || String(data.get('catalogueTag') ?? '');
    const tags = this.state.contact?.tags ?? [];
    if (!tag || tags.includes(tag)) return;
    void this.#setTags([...tags, tag], `Tag “${tag}” added`).then((ok) => ok && form.reset());
  };

  #saveRouting = (event: SubmitEvent): void => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const owner = String(data.get('owner') ?? '');
    const visibleTo = data.getAll('visibleTo').map(String);
    void this.#patch({ defaultAssigneeId: owner || null, defaultVisibleTo: visibleTo }, 'Owner and visibility saved');
  };

  #addNote = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('note') ?? '').trim();
    if (text) void this.#act({ action: 'note', text }).then((ok) => ok && form.reset());
  };

  #startChat = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '').trim();
    if (!text) return;
    void this.#act({ action: 'new-chat', text }).then((ok) => {
      if (!ok) return;
      form.reset();
      this.chatDialog?.close();
    });
  };

  #toggleMerge = (): void => {
    this.merging = !this.merging;
    this.mergePick = null;
    if (this.merging) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name="mergeQuery"]')?.focus());
  };

  #mergeTyped = (event: Event): void => {
    clearTimeout(this.#mergeTimer);
    const query = (event.target as HTMLInputElement).value;
    this.#mergeTimer = setTimeout(() => void request(this, 'sb-contact-action', { action: 'merge-search', query }), 250);
  };

  #mergeSearchNow = (event: SubmitEvent): void => {
    event.preventDefault();
    clearTimeout(this.#mergeTimer);
    const query = String(new FormData(event.target as HTMLFormElement).get('mergeQuery') ?? '');
    void request(this, 'sb-contact-action', { action: 'merge-search', query });
  };

  #merge(other: ContactSummary): void {
    void this.#act({ action: 'merge', otherId: other.id }).then((ok) => {
      if (!ok) return;
      this.merging = false;
      this.mergePick = null;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-contact-page': ContactPage;
  }
}
