import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SuggestionSource, SummaryPointKind } from '../../protocol/assist.js';
import { panelStyles } from '../agent-panel.styles.js';
import { type AssistState, NO_ASSIST } from '../controllers/assist.js';
import { emitInternal, request } from '../events.js';

export const SOURCE_LABELS: Record<SuggestionSource, string> = { faq: 'FAQ', quick_reply: 'Quick reply', past_answer: 'Past answer', ai: 'AI' };
const POINT_LABELS: Record<SummaryPointKind, string> = { request: 'Asked', answer: 'Answered', open_question: 'Still open', status: 'Status' };

/** One line about what assist can do now, or nothing when all is well. */
function statusLine(state: AssistState): string {
  if (state.statusError) return `Assist unavailable: ${state.statusError}`;
  const status = state.status;
  if (!status) return '';
  if (!status.settings.summary && !status.settings.suggestions) return 'Assist unavailable: turned off by an admin.';
  if (status.provider && !status.providerReachable) return 'AI provider unreachable: showing built-in suggestions and summary.';
  return '';
}

const shared = css`
  .assist-status { margin: 0; font-size: 12px; color: var(--sb-muted); }
  .source { font-size: 11px; padding: 0 6px; border-radius: 999px; background: var(--sb-surface-alt); color: var(--sb-muted); white-space: nowrap; }
  .error { color: var(--sb-danger); font-size: 12px; margin: 0; }
  button.refresh { font-size: 12px; padding: 2px 8px; }
`;

/**
 * The reply suggestions above the composer: 2–3 chips, each with its source (FAQ, quick reply, past answer, AI), and a
 * Refresh. Choosing one fires `sb-assist-use` and the conversation view puts the text in the composer; nothing is
 * ever sent from here. Texts are rendered as text. Hidden while suggestions are turned off.
 *
 * @fires sb-assist-use - detail: `{ text }` (internal)
 * @fires sb-assist-action - detail: an `AssistIntent` and `reply` (internal)
 */
@customElement('sb-assist-suggestions')
export class AssistSuggestions extends LitElement {
  static override styles = [
    panelStyles,
    shared,
    css`
      :host { display: block; }
      .strip { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px 0; }
      .label { font-size: 12px; font-weight: 600; color: var(--sb-muted); }
      ul { display: contents; list-style: none; margin: 0; padding: 0; }
      li { display: contents; }
      button.suggestion { display: inline-flex; gap: 6px; align-items: center; max-width: 100%; text-align: start; border-radius: 999px; padding: 3px 10px; }
      button.suggestion .text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 36ch; }
      .empty { font-size: 12px; color: var(--sb-muted); }
    `,
  ];

  @property({ attribute: false }) state: AssistState = NO_ASSIST;

  override render() {
    const s = this.state;
    const line = statusLine(s);
    if (s.status && !s.status.settings.suggestions) return line ? html`<p class="assist-status" role="status">${line}</p>` : nothing;
    if (!s.status && !s.statusError) return nothing;
    return html`<div class="strip" role="group" aria-label="Reply suggestions" aria-busy=${s.suggestionsLoading ? 'true' : 'false'}>
        <span class="label" id="suggestions-label">Suggestions</span>
        ${this.#items()}
        ${s.status ? html`<button type="button" class="refresh refresh-suggestions" ?disabled=${s.suggestionsLoading} aria-label="Refresh suggestions" @click=${this.#refresh}>Refresh</button>` : nothing}
      </div>
      ${line ? html`<p class="assist-status" role="status">${line}</p>` : nothing}`;
  }

  #items() {
    const s = this.state;
    if (s.suggestionsError) return html`<p class="error" role="alert">${s.suggestionsError}</p>`;
    if (s.suggestions.length === 0) {
      if (s.suggestionsLoading || !s.suggestionsLoaded) return html`<span class="empty">Looking for suggestions…</span>`;
      return html`<span class="empty">No suggestions for the visitor's last message.</span>`;
    }
    return html`<ul aria-labelledby="suggestions-label">
      ${s.suggestions.map(
        (item) => html`<li><button type="button" class="suggestion" data-source=${item.source} title=${item.text}
          aria-label="${item.text} (${SOURCE_LABELS[item.source]}): put in the reply box" @click=${() => emitInternal(this, 'sb-assist-use', { text: item.text })}>
          <span class="text">${item.text}</span><span class="source">${SOURCE_LABELS[item.source]}</span></button></li>`,
      )}
    </ul>`;
  }

  #refresh = (): void => {
    const id = this.state.conversationId;
    if (id) void request(this, 'sb-assist-action', { action: 'refresh-suggestions', conversationId: id });
  };
}

/**
 * The conversation's summary, in the side panel: what the visitor asked, what they were told, what is still open,
 * where it stands; labelled "AI" or "Built from the messages"; a Refresh, and a note when newer messages are not in it.
 *
 * @fires sb-assist-action - detail: an `AssistIntent` and `reply` (internal)
 */
@customElement('sb-assist-summary')
export class AssistSummary extends LitElement {
  static override styles = [
    panelStyles,
    shared,
    css`
      :host { display: block; }
      /* Wraps in the side panel's 280 px: in one line the title, the source and Refresh needed 313. */
      header { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
      h3 { margin: 0; flex: 1; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 8px; margin: 6px 0 0; }
      dt { font-weight: 600; font-size: 12px; color: var(--sb-muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      p { margin: 6px 0 0; }
      .muted { color: var(--sb-muted); font-size: 12px; }
    `,
  ];

  @property({ attribute: false }) state: AssistState = NO_ASSIST;
  /** The id of the conversation's newest message (to say the summary is older). */
  @property({ type: Number }) latestMessageId = 0;

  override render() {
    const s = this.state;
    if (!s.status?.settings.summary) return nothing;
    const d = s.summary;
    const source = d?.available ? (d.source === 'ai' ? 'AI' : 'Built from the messages') : '';
    return html`<section class="assist-summary" aria-labelledby="assist-summary-title" aria-busy=${s.summaryLoading ? 'true' : 'false'}>
      <header>
        <h3 id="assist-summary-title">Summary</h3>
        ${source ? html`<span class="source summary-source">${source}</span>` : nothing}
        <button type="button" class="refresh refresh-summary" ?disabled=${s.summaryLoading} aria-label="Refresh the summary" @click=${this.#refresh}>Refresh</button>
      </header>
      ${this.#body()}
    </section>`;
  }

  #body() {
    const s = this.state;
    const d = s.summary;
    if (s.summaryError) return html`<p class="error" role="alert">${s.summaryError}</p>`;
    if (!d) return html`<p class="muted">${s.summaryLoading ? 'Summarising…' : 'No summary yet.'}</p>`;
    if (!d.available) return html`<p class="muted">A summary appears once the conversation has ${d.minMessages} messages.</p>`;
    const newer = this.latestMessageId > d.upToMessageId;
    return html`${d.source === 'ai' || d.points.length === 0 ? html`<p class="summary-text">${d.text}</p>` : nothing}
      ${d.points.length ? html`<dl class="summary-points">${d.points.map((p) => html`<dt class="kind-${p.kind}">${POINT_LABELS[p.kind]}</dt><dd>${p.text}</dd>`)}</dl>` : nothing}
      ${newer ? html`<p class="muted stale">Newer messages are not in this summary: Refresh to include them.</p>` : nothing}`;
  }

  #refresh = (): void => {
    const id = this.state.conversationId;
    if (id) void request(this, 'sb-assist-action', { action: 'refresh-summary', conversationId: id });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-assist-suggestions': AssistSuggestions;
    'sb-assist-summary': AssistSummary;
  }
}
