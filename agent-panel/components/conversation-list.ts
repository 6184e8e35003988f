import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TagCatalogue } from '../../protocol/contacts.js';
import {
  BOT_STATUSES,
  type ConversationFilter,
  type ConversationSummary,
  INBOXES,
  type Inbox,
  type InboxCounts,
  TICKET_STATUSES,
} from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { emitInternal } from '../events.js';
import { cleanFilter } from '../filters.js';
import { BOT_LABELS, TICKET_LABELS, formatTime } from '../format.js';
import { tagChips } from './contact-card.js';
import { listStyles } from './conversation-list.styles.js';

const INBOX_LABELS: Record<Inbox, string> = { all: 'All', mine: 'Mine', unassigned: 'Unassigned', outgoing: 'Outgoing', closed: 'Closed' };

/**
 * The customers view: inboxes with counts, search, filters and the live list. Keyboard: j/k or ↑/↓ move,
 * Enter (or Space) opens, Home/End jump. Presentational: the panel owns the data.
 *
 * @fires sb-filter-change - detail: `{ filter }` a new filter chosen by the agent (internal)
 * @fires sb-open - detail: `{ conversationId }` (internal)
 */
@customElement('sb-conversation-list')
export class ConversationListView extends LitElement {
  static override styles = [panelStyles, listStyles];

  @property({ attribute: false }) items: ConversationSummary[] = [];
  @property({ attribute: false }) counts: InboxCounts = { all: 0, mine: 0, unassigned: 0, outgoing: 0, closed: 0 };
  @property({ attribute: false }) filter: ConversationFilter = { inbox: 'all' };
  @property({ attribute: false }) total = 0;
  @property({ attribute: false }) selectedId: string | null = null;
  @property({ type: Boolean }) loading = false;
  /** The tag catalogue: the contact-tag filter's choices and the chips' colours. */
  @property({ attribute: false }) catalogue: TagCatalogue = { tags: [], freeTags: true };
  @state() private activeId: string | null = null;
  @state() private showFilters = false;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('selectedId') && this.selectedId) this.activeId = this.selectedId;
    if (changed.has('filter')) {
      const f = this.filter;
      if (f.botStatus || f.ticketStatus || f.language || f.channel || f.tag || f.contactTag || f.from || f.to) this.showFilters = true;
    }
  }

  /** Moves keyboard focus into the list (the panel calls it for a CRM shortcut). */
  focusList(): void {
    this.renderRoot.querySelector<HTMLElement>('ul[role="listbox"]')?.focus();
  }

  #change(patch: Partial<ConversationFilter>): void {
    const filter = cleanFilter({ ...this.filter, ...patch } as Record<string, unknown>);
    emitInternal(this, 'sb-filter-change', { filter });
  }

  #open(conversationId: string): void {
    this.activeId = conversationId;
    emitInternal(this, 'sb-open', { conversationId });
  }

  override render() {
    const f = this.filter;
    const active = (this.filter.inbox ?? 'all') as Inbox;
    const filterCount = [f.botStatus, f.ticketStatus, f.language, f.channel, f.tag, f.contactTag, f.from, f.to].filter(Boolean).length;
    // A contact tag from the URL that the catalogue does not (or no longer) hold is still offered.
    const contactTags = this.catalogue.tags.map((t) => t.name);
    if (f.contactTag && !contactTags.includes(f.contactTag)) contactTags.push(f.contactTag);
    return html`
      <div class="inboxes" role="group" aria-label="Inboxes">
        ${INBOXES.map(
          (inbox) => html`<button type="button" data-inbox=${inbox} aria-pressed=${active === inbox} @click=${() => this.#change({ inbox })}>
            ${INBOX_LABELS[inbox]} <span class="n">${this.counts[inbox]}</span>
          </button>`,
        )}
      </div>
      <form class="search" role="search" @submit=${(e: Event) => {
        e.preventDefault();
        this.#change({ q: this.#value('q') });
      }}>
        <input type="search" name="q" aria-label="Search name, email or latest message" placeholder="Search name, email, message…" .value=${f.q ?? ''}
          @change=${(e: Event) => this.#change({ q: (e.target as HTMLInputElement).value })} />
        <button type="button" class="toggle-filters" aria-expanded=${this.showFilters} aria-controls="filters" @click=${() => (this.showFilters = !this.showFilters)}>
          Filters${filterCount ? ` (${filterCount})` : ''}
        </button>
      </form>
      <div class="filters" id="filters" ?hidden=${!this.showFilters}>
        <label>Bot status<select name="botStatus" @change=${this.#set('botStatus')}>
          <option value="">Any</option>${BOT_STATUSES.map((s) => html`<option value=${s} ?selected=${f.botStatus === s}>${BOT_LABELS[s]}</option>`)}
        </select></label>
        <label>Ticket status<select name="ticketStatus" @change=${this.#set('ticketStatus')}>
          <option value="">Any</option>${TICKET_STATUSES.map((s) => html`<option value=${s} ?selected=${f.ticketStatus === s}>${TICKET_LABELS[s]}</option>`)}
        </select></label>
        <label>Language<input name="language" placeholder="en, fr…" .value=${f.language ?? ''} @change=${this.#set('language')} /></label>
        <label>Channel<select name="channel" @change=${this.#set('channel')}>
          <option value="">Any</option><option value="webchat" ?selected=${f.channel === 'webchat'}>Webchat</option>
        </select></label>
        <label>Tag<input name="tag" .value=${f.tag ?? ''} @change=${this.#set('tag')} /></label>
        <label>Contact tag<select name="contactTag" @change=${this.#set('contactTag')}>
          <option value="">Any</option>${contactTags.map((t) => html`<option value=${t} ?selected=${f.contactTag === t}>${t}</option>`)}
        </select></label>
        <label>Active from<input name="from" type="date" .value=${f.from?.slice(0, 10) ?? ''} @change=${this.#set('from')} /></label>
        <label>Active to<input name="to" type="date" .value=${f.to?.slice(0, 10) ?? ''} @change=${this.#set('to')} /></label>
        ${filterCount ? html`<button type="button" class="clear-filters" @click=${() => this.#change({ botStatus: undefined, ticketStatus: undefined, language: undefined, channel: undefined, tag: undefined, contactTag: undefined, from: undefined, to: undefined })}>Clear filters</button>` : nothing}
      </div>
      <div class="summary" aria-live="polite"><span class="total">${this.loading ? 'Loading…' : `${this.total} conversation${this.total === 1 ? '' : 's'}`}</span></div>
      ${
        this.items.length === 0
          ? html`<p class="empty">No conversations match.</p>`
          : html`<ul role="listbox" aria-label="Conversations" tabindex="0" aria-activedescendant=${this.activeId ? `c-${this.activeId}` : nothing} @keydown=${this.#onKey}>
            ${this.items.map((c) => this.#renderItem(c))}
          </ul>`
      }
    `;
  }

  #renderItem(c: ConversationSummary) {
    const unread = c.unreadCount > 0;
    return html`<li role="option" id="c-${c.id}" data-id=${c.id} aria-selected=${c.id === this.selectedId}
      class="${unread ? 'unread' : ''} ${c.id === this.activeId ? 'active' : ''}" @click=${() => this.#open(c.id)}>
      <div class="row">
        <span class="dot ${c.visitor.online ? 'online' : ''}" title=${c.visitor.online ? 'Online' : 'Offline'}></span>
        <bdi class="name">${c.visitor.name}</bdi>
        <span style="flex:1"></span>
        ${c.unrepliedCount > 0 ? html`<span class="badge unreplied" title="Unreplied visitor messages" aria-label="${c.unrepliedCount} unreplied">${c.unrepliedCount}</span>` : nothing}
      </div>
      <div class="preview">${c.lastMessage ? `${c.lastMessage.author === 'visitor' ? '' : `${c.lastMessage.author}: `}${c.lastMessage.text}` : ''}</div>
      <div class="row chips">
        <span class="chip bot ${c.botStatus}">${BOT_LABELS[c.botStatus]}</span>
        <span class="chip ticket">${TICKET_LABELS[c.ticketStatus]}</span>
        ${c.holderName ? html`<bdi class="chip holder">${c.holderName}</bdi>` : nothing}
        ${c.tags.slice(0, 3).map((t) => html`<span class="chip tag">#${t}</span>`)}
        ${tagChips((c.contactTags ?? []).slice(0, 3), this.catalogue, 'contact-tag')}
        <time datetime=${c.lastActivityAt}>${formatTime(c.lastActivityAt)}</time>
      </div>
    </li>`;
  }

  #value(name: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value ?? '';
  }

  #set(key: keyof ConversationFilter) {
    return (event: Event) => this.#change({ [key]: (event.target as HTMLInputElement).value || undefined });
  }

  #onKey = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const ids = this.items.map((c) => c.id);
    if (ids.length === 0) return;
    const index = this.activeId ? ids.indexOf(this.activeId) : -1;
    let next: number | null = null;
    if (event.key === 'ArrowDown' || event.key === 'j') next = Math.min(ids.length - 1, index + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') next = Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = ids.length - 1;
    else if ((event.key === 'Enter' || event.key === ' ') && index >= 0) {
      event.preventDefault();
      this.#open(ids[index] as string);
      return;
    }
    if (next === null) return;
    event.preventDefault();
    this.activeId = ids[next] ?? null;
    void this.updateComplete.then(() => this.renderRoot.querySelector(`#c-${this.activeId}`)?.scrollIntoView({ block: 'nearest' }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-conversation-list': ConversationListView;
  }
}
