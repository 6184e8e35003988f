import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  WEBHOOK_EVENTS,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookInput,
  type WebhookSettings,
} from '../../protocol/webhooks.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { AdminState } from '../controllers/admin.js';
import { formatFull, formatTime } from '../format.js';
import { adminAction, adminStyles } from './admin-shared.js';

export const EVENT_LABELS: Record<WebhookEventType, string> = {
  'conversation.created': 'Conversation created',
  'conversation.escalated': 'Conversation escalated (Need Help)',
  'conversation.claimed': 'Conversation taken over',
  'conversation.closed': 'Conversation closed',
  'message.created': 'Message (visitor, agent or bot)',
  'contact.created': 'Contact created',
  'contact.updated': 'Contact updated',
  'contact.deleted': 'Contact deleted',
};

interface Draft {
  url: string;
  events: Set<WebhookEventType>;
  enabled: boolean;
}

/** A new endpoint's form: the conversation events most CRMs want, enabled. */
const blankDraft = (): Draft => ({ url: '', events: new Set(['conversation.created', 'conversation.escalated', 'message.created']), enabled: true });

/** What the admin reads in the Status column. */
export function deliveryStatus(d: Pick<WebhookDelivery, 'status' | 'attempts'>): string {
  switch (d.status) {
    case 'pending':
      return d.attempts === 0 ? 'Waiting' : 'Will retry';
    case 'sending':
      return 'Sending';
    case 'delivered':
      return 'Delivered';
    case 'failed':
      return 'Failed';
  }
}

/**
 * Webhooks: the endpoints the hub posts events to (URL, events, enabled), each with its signing secret (hidden until
 * asked for; admins may always read it), add / edit / enable / rotate the secret / delete (confirmed), the "allow
 * private targets" setting, and one endpoint's deliveries at a time — status, response code, attempts, next attempt,
 * the last error — with Resend. The hub's refusal of a URL (not https, a private address) shows next to the URL.
 * Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-webhooks')
export class AdminWebhooks extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      .field-error { color: var(--sb-danger); font-size: 12px; }
      .field-error:empty { display: none; }
      [aria-invalid='true'] { border-color: var(--sb-danger); }
      form.webhook-form { display: grid; gap: 8px; align-items: start; }
      form.webhook-form input[name='url'] { width: 100%; box-sizing: border-box; }
      fieldset { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); display: flex; flex-wrap: wrap; gap: 4px 14px; }
      label.check { display: flex; flex-direction: row; gap: 6px; align-items: center; color: inherit; font-size: inherit; }
      .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
      code.secret { font-size: 12px; word-break: break-all; }
      td.events { font-size: 12px; }
      tr.delivery[data-status='failed'] td.status { color: var(--sb-danger); }
      tr.delivery[data-status='delivered'] td.status { color: var(--sb-ok); }
    `,
  ];

  @property({ attribute: false }) endpoints: WebhookEndpoint[] = [];
  @property({ attribute: false }) settings: WebhookSettings | null = null;
  @property({ attribute: false }) deliveries: AdminState['deliveries'] = null;
  @property({ attribute: false }) fieldErrors: AdminState['fieldErrors'] = null;
  /** The endpoint in the form (null: the form adds one). */
  @state() private editing: string | null = null;
  /** Endpoints whose secret is shown. */
  @state() private shown = new Set<string>();
  /** The form's own check (no event chosen), shown like the hub's refusals. */
  @state() private eventsError = '';
  /** What the form holds (kept across renders: a status line or a refusal must not reset what the admin typed). */
  @state() private draft: Draft = blankDraft();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('endpoints') && this.editing && !this.endpoints.some((e) => e.id === this.editing)) this.#edit(null);
  }

  #setDraft(patch: Partial<Draft>): void {
    this.draft = { ...this.draft, ...patch };
  }

  #toggleEvent(type: WebhookEventType, on: boolean): void {
    const events = new Set(this.draft.events);
    if (on) events.add(type);
    else events.delete(type);
    this.#setDraft({ events });
  }

  get #edited(): WebhookEndpoint | null {
    return this.endpoints.find((e) => e.id === this.editing) ?? null;
  }

  #hubError(field: string): string {
    return this.fieldErrors?.form === 'webhook' ? (this.fieldErrors.errors[field] ?? '') : '';
  }

  override render() {
    return html`
      <section class="webhooks">
        <h2>Webhooks</h2>
        <p class="muted">The hub posts the events each endpoint wants to its URL, signed with the endpoint's secret
          (header <code>Switchboard-Signature</code>), and retries for 24 hours when it does not answer 2xx.</p>
        ${this.endpoints.length === 0 ? html`<p class="muted empty">No endpoints yet.</p>` : this.#table()}
      </section>
      ${this.#form()} ${this.#deliveries()} ${this.#privateTargets()}`;
  }

  #table() {
    return html`<div class="table"><table>
      <thead><tr><th>URL</th><th>Events</th><th>Status</th><th>Secret</th><th><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>${this.endpoints.map((e) => {
        const shown = this.shown.has(e.id);
        const open = this.deliveries?.endpointId === e.id;
        return html`<tr class="endpoint ${this.editing === e.id ? 'editing' : ''}" data-id=${e.id}>
          <td class="url">${e.url}</td>
          <td class="events">${e.events.length === WEBHOOK_EVENTS.length ? 'All events' : e.events.join(', ')}</td>
          <td class="enabled nowrap">${e.enabled ? 'Enabled' : 'Disabled'}</td>
          <td><code class="secret">${shown ? e.secret : 'whsec_••••••••'}</code>
            <button type="button" class="show-secret" aria-pressed=${shown ? 'true' : 'false'} aria-label="${shown ? 'Hide' : 'Show'} the secret of ${e.url}"
              @click=${() => this.#toggleSecret(e.id)}>${shown ? 'Hide' : 'Show'}</button></td>
          <td class="buttons">
            <button type="button" class="deliveries-toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls="deliveries"
              @click=${() => adminAction(this, { action: 'webhook-deliveries', id: e.id })}>Deliveries</button>
            <button type="button" class="edit" aria-label="Edit ${e.url}" @click=${() => this.#edit(e.id)}>Edit</button>
            <button type="button" class="toggle" @click=${() =>
              adminAction(this, {
                action: 'webhook-patch',
                id: e.id,
                patch: { enabled: !e.enabled },
                success: e.enabled ? 'Endpoint disabled' : 'Endpoint enabled',
              })}>
              ${e.enabled ? 'Disable' : 'Enable'}</button>
            <button type="button" class="rotate" aria-label="New secret for ${e.url}" @click=${() => this.#rotate(e)}>New secret</button>
            <button type="button" class="danger delete" aria-label="Delete ${e.url}" @click=${() => this.#delete(e)}>Delete</button>
          </td></tr>`;
      })}</tbody>
    </table></div>`;
  }

  #form() {
    const e = this.#edited;
    const urlError = this.#hubError('url');
    const eventsError = this.eventsError || this.#hubError('events');
    const d = this.draft;
    return html`<section>
      <h2>${e ? 'Edit endpoint' : 'New endpoint'}</h2>
      <form class="webhook-form ${e ? 'edit-webhook' : 'new-webhook'}" novalidate @submit=${this.#submit}>
        <label>URL (https)
          <input name="url" type="url" required maxlength="2048" placeholder="https://crm.example.com/switchboard" .value=${live(d.url)}
            @input=${(ev: Event) => this.#setDraft({ url: (ev.target as HTMLInputElement).value })}
            aria-invalid=${urlError ? 'true' : 'false'} aria-describedby="webhook-url-error" />
          <span class="field-error" id="webhook-url-error" role="alert">${urlError}</span></label>
        <fieldset class="events" aria-describedby="webhook-events-error">
          <legend>Events</legend>
          ${WEBHOOK_EVENTS.map(
            (type) => html`<label class="check"><input type="checkbox" name="events" value=${type} .checked=${live(d.events.has(type))}
              @change=${(ev: Event) => this.#toggleEvent(type, (ev.target as HTMLInputElement).checked)} />
              ${EVENT_LABELS[type]} <code class="muted">${type}</code></label>`,
          )}
          <span class="field-error" id="webhook-events-error" role="alert">${eventsError}</span>
        </fieldset>
        <label class="check"><input type="checkbox" name="enabled" .checked=${live(d.enabled)}
          @change=${(ev: Event) => this.#setDraft({ enabled: (ev.target as HTMLInputElement).checked })} /> Enabled</label>
        <div class="row">
          <button type="submit" class="primary">${e ? 'Save endpoint' : 'Add endpoint'}</button>
          ${e ? html`<button type="button" class="cancel" @click=${() => this.#edit(null)}>Cancel</button>` : nothing}
        </div>
      </form>
    </section>`;
  }

  #deliveries() {
    const d = this.deliveries;
    const endpoint = d ? this.endpoints.find((e) => e.id === d.endpointId) : undefined;
    if (!d || !endpoint) return nothing;
    return html`<section class="deliveries" id="deliveries">
      <div class="row"><h2>Deliveries to ${endpoint.url}</h2>
        <button type="button" class="refresh" @click=${() => adminAction(this, { action: 'webhook-deliveries', id: endpoint.id })}>Refresh</button></div>
      ${
        d.items.length === 0
          ? html`<p class="muted empty">Nothing sent yet.</p>`
          : html`<div class="table"><table>
            <thead><tr><th>Event</th><th>Status</th><th>Code</th><th>Attempts</th><th>Next attempt</th><th>Created</th><th>Last error</th>
              <th><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>${d.items.map(
              (x) => html`<tr class="delivery" data-id=${x.id} data-status=${x.status}>
                <td class="event nowrap"><code>${x.event}</code>${x.resendOf ? html` <span class="muted">(resend)</span>` : nothing}</td>
                <td class="status nowrap">${deliveryStatus(x)}</td>
                <td class="code">${x.responseCode ?? '—'}</td>
                <td class="attempts">${x.attempts}</td>
                <td class="next nowrap" title=${formatFull(x.nextAttemptAt)}>${x.nextAttemptAt ? formatTime(x.nextAttemptAt) : '—'}</td>
                <td class="created nowrap" title=${formatFull(x.createdAt)}>${formatTime(x.createdAt)}</td>
                <td class="error">${x.error ?? ''}</td>
                <td class="buttons"><button type="button" class="resend" aria-label="Resend ${x.event} of ${formatFull(x.createdAt)}"
                  @click=${() => adminAction(this, { action: 'webhook-resend', endpointId: endpoint.id, deliveryId: x.id })}>Resend</button></td>
              </tr>`,
            )}</tbody>
          </table></div>`
      }
      ${d.next ? html`<button type="button" class="more" @click=${() => adminAction(this, { action: 'webhook-deliveries', id: endpoint.id, more: true })}>Show older</button>` : nothing}
    </section>`;
  }

  #privateTargets() {
    const s = this.settings;
    if (!s) return nothing;
    return html`<section class="private-targets">
      <h2>Targets</h2>
      <label class="check"><input type="checkbox" class="allow-private" .checked=${live(s.allowPrivateTargets || s.allowedByServer)} ?disabled=${s.allowedByServer}
        aria-describedby="private-hint" @change=${(ev: Event) => adminAction(this, { action: 'webhook-settings', allowPrivateTargets: (ev.target as HTMLInputElement).checked })} />
        Allow private targets</label>
      <p class="muted" id="private-hint">${
        s.allowedByServer
          ? 'Allowed by the server (WEBHOOK_ALLOW_PRIVATE): plain http and internal addresses are accepted.'
          : 'Off: endpoints must use https and public addresses. On: plain http and internal addresses (localhost, 10.x, 192.168.x …) are accepted too — only if every admin may reach what the hub’s network reaches.'
      }</p>
    </section>`;
  }

  #toggleSecret(id: string): void {
    const shown = new Set(this.shown);
    if (!shown.delete(id)) shown.add(id);
    this.shown = shown;
  }

  #edit(id: string | null): void {
    this.editing = id;
    this.eventsError = '';
    const endpoint = this.endpoints.find((e) => e.id === id);
    this.draft = endpoint ? { url: endpoint.url, events: new Set(endpoint.events), enabled: endpoint.enabled } : blankDraft();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name="url"]')?.focus());
  }

  #rotate(endpoint: WebhookEndpoint): void {
    if (!confirm(`Give ${endpoint.url} a new secret? Its receiver must use the new one from now on.`)) return;
    this.shown = new Set([...this.shown, endpoint.id]);
    void adminAction(this, { action: 'webhook-patch', id: endpoint.id, patch: { rotateSecret: true }, success: 'New secret saved' });
  }

  #delete(endpoint: WebhookEndpoint): void {
    if (!confirm(`Delete the webhook ${endpoint.url}? Deliveries not sent yet are dropped.`)) return;
    void adminAction(this, { action: 'webhook-delete', id: endpoint.id });
  }

  #submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const events = data.getAll('events').map(String) as WebhookEventType[];
    const input: WebhookInput = { url: String(data.get('url') ?? '').trim(), events, enabled: data.get('enabled') !== null };
    // What was submitted stays in the form (through the hub's answer and any refusal).
    this.draft = { url: input.url, events: new Set(events), enabled: input.enabled ?? true };
    this.eventsError = events.length === 0 ? 'Choose at least one event' : '';
    if (this.eventsError) return;
    const id = this.editing;
    void adminAction(this, { action: 'webhook-save', id, input, success: id ? 'Endpoint saved' : 'Endpoint added' }).then((ok) => {
      if (!ok) return;
      this.editing = null;
      this.draft = blankDraft();
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-webhooks': AdminWebhooks;
  }
}
