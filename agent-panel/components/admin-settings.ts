import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BotSettings } from '../../protocol/api.js';
import { LIMITS } from '../../protocol/limits.js';
import type { Responder } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { AdminState } from '../controllers/admin.js';
import { adminAction, adminStyles } from './admin-shared.js';

const RESPONDERS: Record<Responder, string> = { faq: 'FAQs', quick_reply: 'Quick replies' };

/** The texts of the bot settings form, in its order: field, label, hint. */
const TEXTS: [keyof Pick<BotSettings, 'greeting' | 'fallbackText' | 'handoffText'>, string, string][] = [
  ['greeting', 'Greeting', 'The answer of the greeting FAQ: sent when a visitor says hello, hi, hey…'],
  ['fallbackText', 'Fallback text', 'Sent when the bot finds no answer.'],
  ['handoffText', 'Handoff text', 'Sent when the visitor asks for a person.'],
];

/**
 * The Settings screen: one `<section>` per concern (the bot's name, texts and FAQ threshold; the order in which it
 * tries its responders). To add a concern, add a section: a method rendering a `<section>` with its own form, a line
 * in `render()`, and the state it needs in `AdminState` (controllers/admin.ts). A form's refusals by the hub arrive as
 * `fieldErrors` (by field) and are shown next to the field.
 * Presentational: the panel's AdminController holds the settings and runs the intents.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-settings')
export class AdminSettings extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      form.stack { display: grid; gap: 10px; align-items: start; justify-items: stretch; max-width: 640px; }
      form.stack textarea { width: 100%; box-sizing: border-box; }
      form.stack button[type='submit'] { justify-self: start; }
      .field-error { color: var(--sb-danger); font-size: 12px; }
      .field-error:empty { display: none; }
      .hint { font-size: 12px; color: var(--sb-muted); }
      .threshold { display: flex; gap: 8px; align-items: center; }
      .threshold input { flex: 1; }
      output { font-variant-numeric: tabular-nums; min-width: 3ch; font-weight: 600; color: var(--sb-text); }
      [aria-invalid='true'] { border-color: var(--sb-danger); }
    `,
  ];

  @property({ attribute: false }) settings: BotSettings | null = null;
  @property({ attribute: false }) fieldErrors: AdminState['fieldErrors'] = null;
  /** The threshold as the slider stands (shown next to it before saving). */
  @state() private threshold: number | null = null;

  override render() {
    const s = this.settings;
    if (!s) return html`<p class="muted">Loading…</p>`;
    return html`${this.#botSection(s)} ${this.#prioritySection(s)}`;
  }

  #error(field: string): string {
    return this.fieldErrors?.form === 'settings' ? (this.fieldErrors.errors[field] ?? '') : '';
  }

  /** A field's error line (empty while there is none), referenced by the control's `aria-describedby`. */
  #errorLine(field: string) {
    return html`<span class="field-error" id="${field}-error" role="alert">${this.#error(field)}</span>`;
  }

  #botSection(s: BotSettings) {
    const threshold = this.threshold ?? s.faqThreshold;
    return html`<section class="bot-settings">
      <h2>Bot</h2>
      <form class="stack bot-settings-form" novalidate @submit=${this.#save}>
        <label>Bot name
          <input name="botName" maxlength="60" required .value=${s.botName}
            aria-invalid=${this.#error('botName') ? 'true' : 'false'} aria-describedby="botName-error" />
          ${this.#errorLine('botName')}
        </label>
        ${TEXTS.map(
          ([field, label, hint]) => html`<label>${label}
            <textarea name=${field} maxlength=${LIMITS.faqAnswer} .value=${s[field]}
              placeholder=${field === 'greeting' && !s.greeting ? 'No greeting FAQ yet: saving a greeting creates one' : ''}
              aria-invalid=${this.#error(field) ? 'true' : 'false'} aria-describedby="${field}-error ${field}-hint"></textarea>
            <span class="hint" id="${field}-hint">${hint}</span>
            ${this.#errorLine(field)}
          </label>`,
        )}
        <label>FAQ match threshold
          <span class="threshold">
            <input type="range" name="faqThreshold" min="0" max="1" step="0.05" .value=${String(threshold)}
              aria-valuetext=${threshold.toFixed(2)} aria-invalid=${this.#error('faqThreshold') ? 'true' : 'false'} aria-describedby="faqThreshold-error faqThreshold-hint"
              @input=${(e: Event) => (this.threshold = Number((e.target as HTMLInputElement).value))} />
            <output class="threshold-value" aria-hidden="true">${threshold.toFixed(2)}</output>
          </span>
          <span class="hint" id="faqThreshold-hint">The bot answers with an FAQ when the match score (0 to 1) reaches this; the Test FAQ box shows the scores.</span>
          ${this.#errorLine('faqThreshold')}
        </label>
        <p class="hint placeholders">Answers (FAQs, quick replies, these texts) may use the visitor's data: <code>{first_name}</code>, <code>{last_name}</code>,
          <code>{email}</code>, <code>{phone_number}</code>; <code>{first_name|there}</code> says “there” when the first name is unknown.</p>
        <button type="submit" class="primary">Save bot settings</button>
      </form>
    </section>`;
  }

  #prioritySection(s: BotSettings) {
    return html`<section class="priority">
      <h2>Bot answers with</h2>
      <ol>${s.responderPriority.map(
        (r, i) => html`<li>${RESPONDERS[r]}
          ${i > 0 ? html`<button type="button" class="up" aria-label="Try ${RESPONDERS[r]} first" @click=${() => this.#move(s, i)}>↑</button>` : nothing}</li>`,
      )}</ol>
      <span class="hint">A visitor asking for a person always gets the handoff text; with no answer the bot sends the fallback text.</span>
      ${this.#errorLine('responderPriority')}
    </section>`;
  }

  #move(s: BotSettings, index: number): void {
    const order = [...s.responderPriority];
    const [item] = order.splice(index, 1);
    if (!item) return;
    order.splice(index - 1, 0, item);
    void adminAction(this, { action: 'priority', order });
  }

  #save = (event: SubmitEvent): void => {
    event.preventDefault();
    const s = this.settings;
    if (!s) return;
    const data = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '');
    const changes: Partial<BotSettings> = {
      botName: text('botName'),
      fallbackText: text('fallbackText'),
      handoffText: text('handoffText'),
      faqThreshold: Number(text('faqThreshold')),
    };
    // No greeting FAQ and nothing typed: nothing to create.
    if (s.greeting || text('greeting').trim()) changes.greeting = text('greeting');
    void adminAction(this, { action: 'settings-save', changes }).then((ok) => {
      if (ok) this.threshold = null;
      else void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-settings': AdminSettings;
  }
}
