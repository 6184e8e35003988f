import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Agent } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { AdminState } from '../controllers/admin.js';
import { type AdminIntent, type AdminScreen, type IntentDetail, forward, request } from '../events.js';
import './admin-agents.js';
import './admin-api-tokens.js';
import './admin-assist.js';
import './admin-assignment.js';
import './admin-contact-fields.js';
import './admin-email.js';
import './admin-faqs.js';
import './admin-quick-replies.js';
import './admin-settings.js';
import './admin-tags.js';
import './admin-webhooks.js';

type Tab = AdminScreen;
const TABS: [Tab, string][] = [
  ['faqs', 'FAQs'],
  ['quick-replies', 'Quick replies'],
  ['settings', 'Settings'],
  ['agents', 'Agents'],
  ['contact-fields', 'Contact fields'],
  ['tags', 'Tags'],
  ['webhooks', 'Webhooks'],
  ['api-tokens', 'API tokens'],
  ['email', 'Email'],
];

/**
 * Admin screens (role admin only; the hub refuses them to agents too): FAQs with CSV import/export, a sample CSV and
 * the test box, quick replies with their weekly schedule, the settings (the bot's name, texts, FAQ threshold,
 * responder priority, auto-assignment and the AI assist switches), agents and roles (and their caps), the contacts' custom
 * fields, the tag catalogue, the outgoing webhooks, email continuity and the API tokens.
 * Presentational: renders the panel's `AdminController` state; the screens' intents are passed on to the panel.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal; opening a tab asks for its data)
 */
@customElement('sb-admin-view')
export class AdminView extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host { display: grid; gap: 12px; padding: 12px; align-content: start; }
      [role='tablist'] { display: flex; gap: 4px; flex-wrap: wrap; }
      [role='tab'][aria-selected='true'] { background: var(--sb-accent); color: var(--sb-accent-text); border-color: var(--sb-accent); }
      .status { padding: 6px 10px; border-radius: var(--sb-radius); background: var(--sb-surface-alt); }
      .status.error { background: var(--sb-danger-bg); }
    `,
  ];

  @property({ attribute: false }) state!: AdminState;
  @property({ attribute: false }) me!: Agent;
  @state() private tab: Tab = 'faqs';

  override connectedCallback(): void {
    super.connectedCallback();
    void request(this, 'sb-admin-action', { action: 'screen', screen: this.tab });
  }

  override render() {
    const s = this.state;
    const status = s.status;
    return html`
      <div role="tablist" aria-label="Admin screens" @keydown=${this.#onKey}>
        ${TABS.map(
          ([id, label]) => html`<button type="button" role="tab" id="tab-${id}" class="tab-${id}" aria-selected=${this.tab === id} aria-controls="panel"
          tabindex=${this.tab === id ? 0 : -1} @click=${() => this.#select(id)}>${label}</button>`,
        )}
      </div>
      ${status ? html`<div class="status ${status.error ? 'error' : ''}" role=${status.error ? 'alert' : 'status'}>${status.message}</div>` : ''}
      <div id="panel" role="tabpanel" aria-labelledby="tab-${this.tab}"
        @sb-admin-action=${(e: CustomEvent<IntentDetail<AdminIntent>>) => forward(e, 'sb-admin-action', this)}>
        ${this.#screen(s)}
      </div>`;
  }

  #screen(s: AdminState) {
    switch (this.tab) {
      case 'faqs':
        return html`<sb-admin-faqs .faqs=${s.faqs} .showArchived=${s.showArchived} .test=${s.faqTest}></sb-admin-faqs>`;
      case 'quick-replies':
        return html`<sb-admin-quick-replies .items=${s.quickReplies} .fieldErrors=${s.fieldErrors}></sb-admin-quick-replies>`;
      case 'settings':
        return html`<sb-admin-settings .settings=${s.settings} .fieldErrors=${s.fieldErrors}></sb-admin-settings>
          <sb-admin-assignment .settings=${s.settings}></sb-admin-assignment>
          <sb-admin-assist .status=${s.assist}></sb-admin-assist>`;
      case 'agents':
        return html`<sb-admin-agents .agents=${s.agents} .me=${this.me}></sb-admin-agents>`;
      case 'contact-fields':
        return html`<sb-admin-contact-fields .fields=${s.contactFields}></sb-admin-contact-fields>`;
      case 'tags':
        return html`<sb-admin-tags .catalogue=${s.tags}></sb-admin-tags>`;
      case 'webhooks':
        return html`<sb-admin-webhooks .endpoints=${s.webhooks} .settings=${s.webhookSettings} .deliveries=${s.deliveries}
          .fieldErrors=${s.fieldErrors}></sb-admin-webhooks>`;
      case 'api-tokens':
        return html`<sb-admin-api-tokens .tokens=${s.apiTokens} .secret=${s.apiTokenSecret} .fieldErrors=${s.fieldErrors}></sb-admin-api-tokens>`;
      case 'email':
        return html`<sb-admin-email .settings=${s.email} .fieldErrors=${s.fieldErrors}></sb-admin-email>`;
    }
  }

  #select(tab: Tab): void {
    this.tab = tab;
    void request(this, 'sb-admin-action', { action: 'screen', screen: tab });
  }

  #onKey = (event: KeyboardEvent): void => {
    const index = TABS.findIndex(([id]) => id === this.tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TABS[(index + step + TABS.length) % TABS.length];
    if (!next) return;
    this.#select(next[0]);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next[0]}`)?.focus());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-view': AdminView;
  }
}
