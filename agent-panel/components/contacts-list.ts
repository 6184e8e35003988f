import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ContactSummary, TagCatalogue } from '../../protocol/contacts.js';
import type { Agent } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { ContactsState } from '../controllers/contacts.js';
import { type ContactIntent, request } from '../events.js';
import { formatFull, formatTime } from '../format.js';
import { agentName, tagChip } from './contact-parts.js';

/** Milliseconds of quiet typing before the search runs. */
export const SEARCH_DEBOUNCE = 250;

/**
 * The contacts screen: search (name, email, phone, user id), a catalogue tag filter, the table of contacts
 * with “Load more” paging. A row opens with a click, Enter or Space; ↑/↓ move between rows. Below 600 px
 * of its own width the table becomes stacked cards. Presentational: renders the panel's `ContactsController`
 * state and fires intents.
 *
 * @fires sb-contact-action - detail: a `ContactIntent` and `reply` (internal; connecting asks for the data)
 */
@customElement('sb-contacts-list')
export class ContactsList extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host { display: grid; gap: 8px; padding: 12px; align-content: start; container-type: inline-size; }
      h2 { font-size: 16px; margin: 0; }
      form.search { display: flex; gap: 8px; flex-wrap: wrap; align-items: flex-end; }
      form.search label { display: grid; gap: 2px; font-size: 12px; color: var(--sb-muted); }
      form.search .query { flex: 1 1 240px; }
      form.search input, form.search select { min-width: 0; width: 100%; }
      label > input, label > select { font-size: var(--sb-font-size, 14px); color: var(--sb-text); }
      .list-status { font-size: 12px; color: var(--sb-muted); margin: 0; min-height: 1.4em; }
      .list-status.error { color: var(--sb-danger); }
      .notice { margin: 0; padding: 6px 10px; border-radius: var(--sb-radius); background: var(--sb-surface-alt); }
      .notice.error { background: var(--sb-danger-bg); color: var(--sb-danger); }
      table { width: 100%; border-collapse: collapse; }
      th, td { text-align: left; border-bottom: 1px solid var(--sb-border); padding: 6px; vertical-align: top; overflow-wrap: anywhere; }
      th { font-size: 12px; color: var(--sb-muted); font-weight: 600; }
      tr.contact { cursor: pointer; }
      tr.contact:hover { background: var(--sb-surface-alt); }
      tr.contact:focus-visible { outline-offset: -3px; }
      td.name bdi { font-weight: 600; }
      td.count { font-variant-numeric: tabular-nums; }
      .tags { display: flex; flex-wrap: wrap; gap: 4px; }
      .online { color: var(--sb-ok); font-size: 12px; }
      .empty { padding: 24px; text-align: center; color: var(--sb-muted); margin: 0; }
      .more { justify-self: center; }
      @container (max-width: 600px) {
        table, tbody, tr, td { display: block; }
        thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        tr.contact { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); margin-bottom: 8px; padding: 4px 8px; }
        td { border: none; padding: 2px 0; display: grid; grid-template-columns: 7em minmax(0, 1fr); gap: 8px; }
        td::before { content: attr(data-label); color: var(--sb-muted); font-size: 12px; }
        /* A card: the name is its title, and a field the contact does not have is left out rather than shown as a dash. */
        td.name { display: block; padding-top: 4px; }
        td.name::before { content: none; }
        td.none { display: none; }
      }
    `,
  ];

  @property({ attribute: false }) state!: ContactsState;
  @property({ attribute: false }) agents: Agent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#act({ action: 'load' });
  }

  /** The search box keeps what the agent types; it is filled from the state only once (a new element, a previous search). */
  protected override firstUpdated(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="query"]');
    if (input) input.value = this.state.query;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  /** Moves keyboard focus to a contact's row (back from its page), or to the search box. */
  focusRow(id: string | null): void {
    const row = id ? this.renderRoot.querySelector<HTMLElement>(`tr.contact[data-id="${CSS.escape(id)}"]`) : null;
    (row ?? this.renderRoot.querySelector<HTMLElement>('input[name="query"]'))?.focus();
  }

  #act(intent: ContactIntent): Promise<boolean> {
    return request(this, 'sb-contact-action', intent);
  }

  override render() {
    const s = this.state;
    const catalogue = s.catalogue;
    return html`
      <h2>Contacts</h2>
      <form class="search" role="search" @submit=${this.#submit}>
        <label class="query">Search contacts
          <input type="search" name="query" placeholder="Name, email, phone or user id" autocomplete="off" @input=${this.#typed} />
        </label>
        <label>Tag
          <select name="tag" @change=${() => this.#search(0)}>
            <option value="">Any tag</option>
            ${catalogue.tags.map((t) => html`<option value=${t.name} ?selected=${s.tag === t.name}>${t.name}</option>`)}
            ${s.tag && !catalogue.tags.some((t) => t.name === s.tag) ? html`<option value=${s.tag} selected>${s.tag}</option>` : nothing}
          </select>
        </label>
      </form>
      <p class="list-status ${s.listError ? 'error' : ''}" role="status">${this.#statusText()}</p>
      ${s.status ? html`<p class="notice ${s.status.error ? 'error' : ''}">${s.status.message}</p>` : nothing}
      ${
        s.items.length === 0
          ? s.loaded && !s.loading && !s.listError
            ? html`<p class="empty">${this.#emptyText()}</p>`
            : nothing
          : html`<table aria-label="Contacts">
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Last seen</th><th scope="col">Conversations</th><th scope="col">Tags</th><th scope="col">Owner</th></tr></thead>
            <tbody @keydown=${this.#onKey}>
              ${s.items.map((c) => this.#row(c, catalogue))}
            </tbody>
          </table>`
      }
      ${s.next ? html`<button type="button" class="more" ?disabled=${s.loading !== null} @click=${() => this.#act({ action: 'more' })}>Load more</button>` : nothing}
    `;
  }

  /** One contact: a row of the table when wide, a card when narrow (a field the contact lacks is a dash, or left out). */
  #row(c: ContactSummary, catalogue: TagCatalogue) {
    const owner = agentName(this.agents, c.ownerId);
    return html`<tr class="contact" data-id=${c.id} tabindex="0" title="Open contact" @click=${() => this.#open(c.id)}>
      <td class="name" data-label="Name"><span><bdi>${c.name}</bdi>${c.online ? html` <span class="online">● Online</span>` : nothing}</span></td>
      <td class=${c.email ? 'email' : 'email none'} data-label="Email"><bdi>${c.email ?? '—'}</bdi></td>
      <td class="last-seen" data-label="Last seen"><time datetime=${c.lastSeenAt} title=${formatFull(c.lastSeenAt)}>${formatTime(c.lastSeenAt)}</time></td>
      <td class="count" data-label="Conversations">${c.conversationCount}</td>
      <td class=${c.tags.length ? 'tags-cell' : 'tags-cell none'} data-label="Tags">${c.tags.length ? html`<span class="tags">${c.tags.map((t) => tagChip(t, catalogue))}</span>` : '—'}</td>
      <td class=${owner ? 'owner' : 'owner none'} data-label="Owner"><bdi>${owner || '—'}</bdi></td>
    </tr>`;
  }

  #statusText(): string {
    const s = this.state;
    if (s.loading === 'list') return 'Loading contacts…';
    if (s.loading === 'more') return 'Loading more contacts…';
    if (s.listError) return `Could not load the contacts: ${s.listError}`;
    if (!s.loaded) return '';
    const n = s.items.length;
    return `${n} contact${n === 1 ? '' : 's'} shown${s.next ? ', more available' : ''}`;
  }

  #emptyText(): string {
    const { query, tag } = this.state;
    const q = query.trim();
    if (q && tag) return `No contacts match “${q}” with the tag “${tag}”.`;
    if (q) return `No contacts match “${q}”.`;
    if (tag) return `No contacts match the tag “${tag}”.`;
    return 'No contacts yet: they appear when visitors start chatting.';
  }

  #typed = (): void => {
    this.#search(SEARCH_DEBOUNCE);
  };

  #submit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.#search(0);
  };

  /** Runs the search after `delay` ms without typing (0: now). */
  #search(delay: number): void {
    clearTimeout(this.#timer);
    const run = () => {
      const query = this.renderRoot.querySelector<HTMLInputElement>('input[name="query"]')?.value ?? '';
      const tag = this.renderRoot.querySelector<HTMLSelectElement>('select[name="tag"]')?.value ?? '';
      if (query === this.state.query && tag === this.state.tag && this.state.loaded && !this.state.listError) return;
      void this.#act({ action: 'search', query, tag });
    };
    if (delay) this.#timer = setTimeout(run, delay);
    else run();
  }

  #open(id: string): void {
    void this.#act({ action: 'open', contactId: id });
  }

  #onKey = (event: KeyboardEvent): void => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('tr.contact');
    if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.#open(row.dataset['id'] ?? '');
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      (next as HTMLElement | null)?.focus();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-contacts-list': ContactsList;
  }
}
