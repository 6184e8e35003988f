import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { EMAIL_DELAY_MINUTES, type EmailSettings, type EmailSettingsInput } from '../../protocol/email.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { AdminState } from '../controllers/admin.js';
import { adminAction, adminStyles } from './admin-shared.js';

/**
 * Email continuity (README "Email continuity"): the switch that emails visitors the agent replies they have not seen,
 * the delay, the chat page the email links to, and what the server has configured (SMTP, the reply listeners, the
 * reply domain: read-only, set by the operator's environment). Agents' escalation emails are set per agent (Agents
 * screen, or each agent's own switch in the top bar). Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-email')
export class AdminEmail extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      label.check { display: flex; flex-direction: row; gap: 6px; align-items: center; color: inherit; font-size: inherit; }
      .field-error { color: var(--sb-danger); font-size: 12px; }
      .field-error:empty { display: none; }
      [aria-invalid='true'] { border-color: var(--sb-danger); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
      dt { color: var(--sb-muted); }
      dd { margin: 0; }
      .warning { padding: 6px 8px; border-radius: var(--sb-radius); background: var(--sb-danger-bg); }
      input[name='chatUrl'] { min-width: 280px; }
    `,
  ];

  @property({ attribute: false }) settings: EmailSettings | null = null;
  @property({ attribute: false }) fieldErrors: AdminState['fieldErrors'] = null;

  #save(changes: EmailSettingsInput, success: string): Promise<boolean> {
    return adminAction(this, { action: 'email-save', changes, success });
  }

  #hubError(field: string): string {
    return this.fieldErrors?.form === 'email' ? (this.fieldErrors.errors[field] ?? '') : '';
  }

  override render() {
    const s = this.settings;
    if (!s) return html`<p>Loading…</p>`;
    const urlError = this.#hubError('chatUrl');
    const delayError = this.#hubError('delayMinutes');
    return html`<section class="email">
        <h2>Email continuity</h2>
        <p>When an agent replies and the visitor has left, the reply is emailed to them after the delay, with a link back to
          the chat; their answer by email comes back into the conversation ("via email").</p>
        ${s.smtpConfigured ? nothing : html`<p class="warning" role="note">The server has no SMTP_URL: no email is sent, whatever this switch says.</p>`}
        <label class="check"><input type="checkbox" name="enabled" .checked=${s.enabled}
          @change=${(e: Event) => this.#toggle((e.target as HTMLInputElement).checked)} />Email visitors the replies they have not seen</label>
        <form class="email-form" @submit=${this.#submit}>
          <label>Delay (minutes)<input name="delayMinutes" type="number" required min=${EMAIL_DELAY_MINUTES.min} max=${EMAIL_DELAY_MINUTES.max} step="1"
            .value=${String(s.delayMinutes)} aria-invalid=${delayError ? 'true' : 'false'} aria-describedby="delay-error" /></label>
          <label>Chat page the email links to<input name="chatUrl" type="url" placeholder="the site's first allowed origin"
            .value=${s.chatUrl ?? ''} aria-invalid=${urlError ? 'true' : 'false'} aria-describedby="url-error" /></label>
          <button type="submit" class="primary">Save</button>
        </form>
        <div class="field-error" id="delay-error" role="alert">${delayError}</div>
        <div class="field-error" id="url-error" role="alert">${urlError}</div>
      </section>
      <section class="email-status">
        <h2>Server configuration</h2>
        <dl>
          <dt>Outgoing mail (SMTP_URL)</dt><dd class="smtp">${s.smtpConfigured ? 'configured' : 'not configured'}</dd>
          <dt>Reply domain (INBOUND_EMAIL_DOMAIN)</dt><dd class="domain">${s.replyDomain ?? 'none: emails carry no reply address'}</dd>
          <dt>Built-in SMTP listener (INBOUND_SMTP_PORT)</dt><dd class="inbound-smtp">${s.inboundSmtp ? 'on' : 'off'}</dd>
          <dt>HTTP inbound (INBOUND_EMAIL_TOKEN)</dt><dd class="inbound-http">${s.inboundHttp ? 'on' : 'off'}</dd>
        </dl>
      </section>`;
  }

  #toggle(enabled: boolean): void {
    void this.#save({ enabled }, enabled ? 'Visitors will be emailed their unseen replies' : 'Visitor emails are off');
  }

  #submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const chatUrl = String(data.get('chatUrl') ?? '').trim();
    void this.#save({ delayMinutes: Number(data.get('delayMinutes')), chatUrl: chatUrl || null }, 'Email settings saved');
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-email': AdminEmail;
  }
}
