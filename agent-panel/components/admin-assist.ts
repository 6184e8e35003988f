import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AssistSettings, AssistStatus } from '../../protocol/assist.js';
import { panelStyles } from '../agent-panel.styles.js';
import { adminAction, adminStyles } from './admin-shared.js';

/** The switches, in the form's order: setting, label, hint. */
const SWITCHES: [keyof AssistSettings, string, string][] = [
  ['summary', 'Conversation summary', "In the conversation's side panel: what the visitor asked, what they were told, what is still open."],
  [
    'suggestions',
    'Reply suggestions',
    "Above the reply box: from the FAQs, the quick replies and the team's past answers (and the AI). They only fill the reply box.",
  ],
  ['transcription', 'Voice-note transcription', 'Needs an AI provider with a transcription model (AI_TRANSCRIBE_MODEL).'],
];

/**
 * AI assist's switches on the Settings screen: each saved as soon as it is ticked or unticked, and what the hub has
 * (a provider or only the built-in suggestions and summary). Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-assist')
export class AdminAssist extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      :host { margin-top: 12px; }
      fieldset { border: 0; margin: 0; padding: 0; display: grid; gap: 8px; }
      label { display: flex; gap: 8px; align-items: baseline; }
      .hint { font-size: 12px; color: var(--sb-muted); }
    `,
  ];

  @property({ attribute: false }) status: AssistStatus | null = null;

  override render() {
    const s = this.status;
    if (!s) return html``;
    return html`<section class="assist-settings" aria-labelledby="assist-title">
      <h2 id="assist-title">AI assist</h2>
      <p class="hint provider">${
        s.provider
          ? `An AI provider is configured${s.providerReachable ? '' : ' but did not answer its last call (the built-in answers are shown meanwhile)'}.`
          : 'No AI provider (AI_BASE_URL): suggestions and summaries are built by the hub from your FAQs, quick replies and past conversations.'
      }</p>
      <fieldset>
        <legend class="sr-only">Assist features</legend>
        ${SWITCHES.map(
          ([key, label, hint]) => html`<div>
            <label><input type="checkbox" class="assist-${key}" .checked=${s.settings[key]} aria-describedby="assist-${key}-hint"
              @change=${(e: Event) => this.#save(key, (e.target as HTMLInputElement).checked)} />${label}</label>
            <div class="hint" id="assist-${key}-hint">${hint}</div>
          </div>`,
        )}
      </fieldset>
    </section>`;
  }

  #save(key: keyof AssistSettings, on: boolean): void {
    void adminAction(this, { action: 'assist-settings', changes: { [key]: on } });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-assist': AdminAssist;
  }
}
