import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LanguageCount } from '../../protocol/api.js';
import type { TagCatalogue } from '../../protocol/contacts.js';
import { noCounts } from '../../protocol/inbox.js';
import {
  BOT_STATUSES,
  CHANNELS,
  type ConversationFilter,
  type Agent,
  type ConversationSummary,
  INBOXES,
  type Inbox,
  type InboxCounts,
  TICKET_STATUSES,
} from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { emitInternal } from '../events.js';
import { cleanFilter, filterToParams } from '../filters.js';
import { BOT_LABELS, CHANNEL_LABELS, conversationCount, countText, formatTime, INBOX_LABELS, languageName, TICKET_LABELS } from '../format.js';
import { tagChips } from './contact-card.js';
import { listStyles } from './conversation-list.styles.js';

/** Search and the tag filter apply this long after typing stops. */
export const TYPING_DELAY_MS = 250;

/** The filters typed as text (the others are selects and dates, applied on change). */
type TypedKey = 'q' | 'tag';
const TYPED: TypedKey[] = ['q', 'tag'];

/** Every filter but the view and the search. */
const NO_FILTERS: Partial<ConversationFilter> = {
  botStatus: undefined,
  ticketStatus: undefined,
  language: undefined,
  channel: undefined,
  tag: undefined,
  contactTag: undefined,
  from: undefined,
  to: undefined,
};

/** `fr-CA — Canadian French`, or the tag alone when the browser has no name for it. */
function languageLabel(tag: string): string {
  const name = languageName(tag);
  return name === tag ? tag : `${tag} — ${name}`;
}

/**
 * The customers view: the inbox views (wrapping buttons, each with its unreplied messages), search and filters
 * that apply as you type (TYPING_DELAY_MS after the last key), and the live list. Keyboard: j/k or ↑/↓ move,
 * Enter (or Space) opens, Home/End jump. Presentational: the panel owns the data.
 *
 * @fires sb-filter-change - detail: `{ filter }` a new filter chosen by the agent (internal)
 * @fires sb-open - detail: `{ conversationId }` (internal)
 * @fires sb-load-more - the end of the list came into view, or "Show more" was pressed (internal)
 */
@customElement('sb-conversation-list')
export class ConversationListView extends LitElement {
  static override styles = [panelStyles, listStyles];

  @property({ attribute: false }) items: ConversationSummary[] = [];
  @property({ attribute: false }) counts: InboxCounts = noCounts();
  @property({ attribute: false }) filter: ConversationFilter = { inbox: 'all' };
  @property({ attribute: false }) total = 0;
  /** `total` is a lower bound, shown with a "+" ("1,000+"): a list counted up to 1,000, or a search's matches among the latest 500 ("500+"). */
  @property({ attribute: false }) totalIsLowerBound = false;
  @property({ attribute: false }) selectedId: string | null = null;
  @property({ type: Boolean }) loading = false;
  /** The hub has more pages of this list, and whether the next one is being fetched. */
  @property({ type: Boolean }) more = false;
  @property({ type: Boolean, attribute: 'loading-more' }) loadingMore = false;
  /** The tag catalogue: the contact-tag filter's choices and the chips' colours. */
  @property({ attribute: false }) catalogue: TagCatalogue = { tags: [], freeTags: true };
  /** The visitor languages the hub reports (`GET /api/languages`): the language filter's choices. */
  @property({ attribute: false }) languages: LanguageCount[] = [];
  /** The team (`GET /api/agents`): the names of a row's assignees. */
  @property({ attribute: false }) agents: Agent[] = [];
  @state() private activeId: string | null = null;
  @state() private showFilters = false;
  #timers = new Map<TypedKey, number>();
  /** Infinite scroll: asks for the next page when the end of the list scrolls into view. */
  #endWatcher: IntersectionObserver | null = null;

  /** Agents' names by id; the same map while the names stay the same, so that a presence change re-renders no row. */
  #names = new Map<string, string>();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('agents')) {
      const names = new Map(this.agents.map((a) => [a.id, a.name]));
      if (names.size !== this.#names.size || [...names].some(([id, name]) => this.#names.get(id) !== name)) this.#names = names;
    }
    if (changed.has('selectedId') && this.selectedId) this.activeId = this.selectedId;
    if (changed.has('filter')) {
      const f = this.filter;
      if (f.botStatus || f.ticketStatus || f.language || f.channel || f.tag || f.contactTag || f.from || f.to) this.showFilters = true;
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    this.#watchEnd();
    if (!changed.has('filter')) return;
    // The text boxes follow the filter (a tile, the hash, Clear) but keep what is being typed: "ab " searches for
    // "ab" and must not lose its space.
    for (const key of TYPED) {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`input[name="${key}"]`);
      const value = this.filter[key] ?? '';
      if (input && input.value.trim() !== value) input.value = value;
    }
  }

  /** Asks for the next page when "Show more" scrolls into the list's view (the list scrolls inside `.scroller`). */
  #watchEnd(): void {
    const end = this.renderRoot.querySelector('.load-more');
    const scroller = this.renderRoot.querySelector('.scroller');
    if (this.#endWatcher && this.#endWatcher.root !== scroller) {
      this.#endWatcher.disconnect();
      this.#endWatcher = null;
    }
    this.#endWatcher?.disconnect();
    if (!end || !scroller) return;
    this.#endWatcher ??= new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && this.more && !this.loadingMore) emitInternal(this, 'sb-load-more', null);
      },
      { root: scroller },
    );
    this.#endWatcher.observe(end);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#endWatcher?.disconnect();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Moves keyboard focus into the list (the panel calls it for a CRM shortcut). */
  focusList(): void {
    this.renderRoot.querySelector<HTMLElement>('ul[role="listbox"]')?.focus();
  }

  /** Asks for a new filter, unless it means the same as the current one. */
  #change(patch: Partial<ConversationFilter>): void {
    const filter = cleanFilter({ ...this.filter, ...patch } as Record<string, unknown>);
    if (filterToParams(filter).toString() === filterToParams(cleanFilter(this.filter as Record<string, unknown>)).toString()) return;
    emitInternal(this, 'sb-filter-change', { filter });
  }

  /** A text filter, applied once typing pauses. */
  #typed(key: TypedKey) {
    return (event: Event) => {
      const value = (event.target as HTMLInputElement).value;
      clearTimeout(this.#timers.get(key));
      this.#timers.set(
        key,
        window.setTimeout(() => {
          this.#timers.delete(key);
          this.#change({ [key]: value });
        }, TYPING_DELAY_MS),
      );
    };
  }

  /** Enter (or leaving the box) applies a text filter at once. */
  #flush(key: TypedKey): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    this.#change({ [key]: this.#value(key) });
  }

  #clearAll = (): void => {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#change({ q: undefined, ...NO_FILTERS });
  };

  #open(conversationId: string): void {
    this.activeId = conversationId;
    emitInternal(this, 'sb-open', { conversationId });
  }

  override render() {
    const f = this.filter;
    const active = (this.filter.inbox ?? 'all') as Inbox;
    const filterCount = [f.botStatus, f.ticketStatus, f.language, f.channel, f.tag, f.contactTag, f.from, f.to].filter(Boolean).length;
    // A contact tag from the URL that the catalogue does not (or no longer) hold is still offered; a language too.
    const contactTags = this.catalogue.tags.map((t) => t.name);
    if (f.contactTag && !contactTags.includes(f.contactTag)) contactTags.push(f.contactTag);
    const languages = [...this.languages];
    if (f.language && !languages.some((l) => l.language === f.language)) languages.push({ language: f.language, count: 0 });
    return html`
      <div class="views" role="group" aria-label="Inbox views">
        ${INBOXES.map(
          (inbox) => html`<button type="button" data-inbox=${inbox} aria-pressed=${active === inbox} @click=${() => this.#change({ inbox })}>
            <span class="label">${INBOX_LABELS[inbox]}</span> <span class="n ${this.counts[inbox] > 0 && inbox !== 'closed' ? 'waiting' : ''}" title="Unreplied visitor messages" aria-label="${this.counts[inbox]} unreplied">${this.counts[inbox]}</span>
          </button>`,
        )}
      </div>
      <form class="search" role="search" @submit=${(e: Event) => {
        e.preventDefault();
        this.#flush('q');
      }}>
        <input type="search" name="q" aria-label="Search names, emails and messages" placeholder="Search name, email, message…"
          @input=${this.#typed('q')} @change=${() => this.#flush('q')} />
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
        <div class="language">
          <label>Visitor language<select name="language" aria-describedby="bot-language" @change=${this.#set('language')}>
            <option value="">Any</option>${languages.map(
              (l) => html`<option value=${l.language} ?selected=${f.language === l.language}>${languageLabel(l.language)} (${l.count})</option>`,
            )}
          </select></label>
          <p class="bot-language hint" id="bot-language">The visitor's browser language. The bot answers in the language of its FAQs, whatever the visitor's.</p>
        </div>
        <label>Channel<select name="channel" @change=${this.#set('channel')}>
          <option value="">Any</option>${CHANNELS.map((c) => html`<option value=${c} ?selected=${f.channel === c}>${CHANNEL_LABELS[c]}</option>`)}
        </select></label>
        <label>Tag<input name="tag" list="filter-tags" autocomplete="off" @input=${this.#typed('tag')} @change=${() => this.#flush('tag')} />
          <datalist id="filter-tags">${this.catalogue.tags.map((t) => html`<option value=${t.name}></option>`)}</datalist></label>
        <label>Contact tag<select name="contactTag" @change=${this.#set('contactTag')}>
          <option value="">Any</option>${contactTags.map((t) => html`<option value=${t} ?selected=${f.contactTag === t}>${t}</option>`)}
        </select></label>
        <label>Active from<input name="from" type="date" .value=${f.from?.slice(0, 10) ?? ''} @change=${this.#set('from')} /></label>
        <label>Active to<input name="to" type="date" .value=${f.to?.slice(0, 10) ?? ''} @change=${this.#set('to')} /></label>
        ${filterCount ? html`<button type="button" class="clear-filters" @click=${() => this.#change(NO_FILTERS)}>Clear filters</button>` : nothing}
      </div>
      <div class="summary" aria-live="polite"><span class="total">${this.loading ? 'Loading…' : conversationCount(this.total, this.totalIsLowerBound)}</span></div>
      ${
        this.items.length === 0
          ? this.#renderEmpty(active, filterCount)
          : html`<div class="scroller">
            <ul role="listbox" aria-label="Conversations" tabindex="0" aria-activedescendant=${this.activeId ? `c-${this.activeId}` : nothing} @keydown=${this.#onKey}>
              ${this.#renderItems()}
            </ul>
            ${
              this.more
                ? html`<button type="button" class="load-more" ?disabled=${this.loadingMore} @click=${() => emitInternal(this, 'sb-load-more', null)}>
                    ${this.loadingMore ? 'Loading more…' : `Show more (${this.items.length} of ${countText(this.total, this.totalIsLowerBound)})`}
                  </button>`
                : nothing
            }
          </div>`
      }
    `;
  }

  /** No conversation: say why, and when a search or filter is the reason, offer to clear them. */
  #renderEmpty(inbox: Inbox, filterCount: number) {
    const q = this.filter.q;
    if (!q && filterCount === 0) return html`<div class="empty"><p>No conversations in ${INBOX_LABELS[inbox]}.</p></div>`;
    const what = q ? html`“<bdi>${q}</bdi>”${filterCount ? ' with these filters' : ''}` : 'these filters';
    return html`<div class="empty">
      <p>No conversations match ${what} in ${INBOX_LABELS[inbox]}.</p>
      <button type="button" class="clear-all" @click=${this.#clearAll}>Clear search and filters</button>
    </div>`;
  }

  /**
   * Keyed by conversation, and each row re-rendered only when what it shows changed: a live update moves one
   * conversation to the top, which unkeyed rewrote every row below it, and re-evaluated all of them per push.
   */
  #renderItems() {
    const today = new Date().toDateString(); // a row's time reads "14:05" today, a date tomorrow
    return repeat(
      this.items,
      (c) => c.id,
      (c) => guard([c, c.id === this.selectedId, c.id === this.activeId, this.catalogue, this.#names, today], () => this.#renderItem(c)),
    );
  }

  #renderItem(c: ConversationSummary) {
    const unread = c.unreadCount > 0;
    return html`<li role="option" id="c-${c.id}" data-id=${c.id} aria-selected=${c.id === this.selectedId}
      class="${unread ? 'unread' : ''} ${c.id === this.activeId ? 'active' : ''}" @click=${() => this.#open(c.id)}>
      <div class="row">
        <span class="dot ${c.visitor.online ? 'online' : ''}" title=${c.visitor.online ? 'Online' : 'Offline'}></span>
        <bdi class="name">${c.visitor.name}</bdi>
        <span style="flex:1"></span>
        <time datetime=${c.lastActivityAt}>${formatTime(c.lastActivityAt)}</time>
        ${c.unrepliedCount > 0 ? html`<span class="badge unreplied" title="Unreplied visitor messages" aria-label="${c.unrepliedCount} unreplied">${c.unrepliedCount}</span>` : nothing}
      </div>
      <div class="preview">${c.lastMessage ? `${c.lastMessage.author === 'visitor' ? '' : `${c.lastMessage.author}: `}${c.lastMessage.text}` : ''}</div>
      <div class="row chips">
        <span class="chip bot ${c.botStatus}">${BOT_LABELS[c.botStatus]}</span>
        <span class="chip ticket">${TICKET_LABELS[c.ticketStatus]}</span>
        <span class="chip where"><span class="language" title="Visitor language: ${languageName(c.language)}">${c.language}</span> ·
          <span class="channel" title="Channel">${CHANNEL_LABELS[c.channel] ?? c.channel}</span></span>
        ${c.holderName ? html`<bdi class="chip holder" title="Handling it">${c.holderName}</bdi>` : this.#assigneesChip(c.assignees)}
        ${c.tags.slice(0, 3).map((t) => html`<span class="chip tag">#${t}</span>`)}
        ${tagChips((c.contactTags ?? []).slice(0, 3), this.catalogue, 'contact-tag')}
      </div>
    </li>`;
  }

  /**
   * Who a conversation nobody is handling is assigned to: it is not in Unassigned, and the row should say why.
   * The first name, and how many more ("Assigned: Jordan +1"); a name the panel does not know (a removed agent) reads
   * as "someone".
   */
  #assigneesChip(assignees: string[]) {
    const [first, ...others] = assignees.map((id) => this.#names.get(id) ?? 'someone');
    if (first === undefined) return nothing;
    const more = others.length > 0 ? ` +${others.length}` : '';
    return html`<bdi class="chip assignee" title="Assigned to ${[first, ...others].join(', ')}">Assigned: ${first}${more}</bdi>`;
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
