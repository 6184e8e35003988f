import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  API_TOKEN_LIMITS,
  API_TOKEN_SCOPE_DESCRIPTIONS,
  API_TOKEN_SCOPES,
  type ApiToken,
  type ApiTokenInput,
  type ApiTokenScope,
  type ApiTokenStatus,
} from '../../protocol/api-tokens.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { AdminState } from '../controllers/admin.js';
import { formatFull, formatTime } from '../format.js';
import { adminAction, adminStyles } from './admin-shared.js';

const STATUS_LABELS: Record<ApiTokenStatus, string> = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };

/** The expiry choices (days; 0: never). */
const EXPIRIES: [number, string][] = [
  [7, '7 days'],
  [30, '30 days'],
  [90, '90 days'],
  [365, '1 year'],
  [0, 'No expiry'],
];

interface Draft {
  name: string;
  scopes: Set<ApiTokenScope>;
  expiresInDays: number;
}

const blankDraft = (): Draft => ({ name: '', scopes: new Set(), expiresInDays: 90 });

/**
 * API tokens: the admins' tokens for server-to-server use — name, prefix, scopes, who made it and when, last use,
 * expiry and status; a form to create one (name, scopes, expiry) whose secret is then shown once, with Copy and a
 * warning, until the admin says it is stored; Revoke (confirmed). User text is rendered as text only. Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-api-tokens')
export class AdminApiTokens extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      .field-error { color: var(--sb-danger); font-size: 12px; }
      .field-error:empty { display: none; }
      [aria-invalid='true'] { border-color: var(--sb-danger); }
      form.token-form { display: grid; gap: 8px; align-items: start; }
      form.token-form input[name='name'] { max-width: 320px; }
      fieldset { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); display: grid; gap: 4px; }
      label.check { display: flex; flex-direction: row; gap: 6px; align-items: baseline; color: inherit; font-size: inherit; }
      label.check .muted { font-size: 12px; }
      .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
      td.scopes code { display: inline-block; margin: 0 4px 2px 0; font-size: 12px; }
      tr.token[data-status='revoked'] td, tr.token[data-status='expired'] td { color: var(--sb-muted); }
      tr.token[data-status='active'] td.status { color: var(--sb-ok); }
      section.new-secret { border-color: var(--sb-accent); border-width: 2px; }
      section.new-secret h2:focus { outline: 2px solid var(--sb-accent); outline-offset: 2px; }
      .warning { margin: 0; padding: 6px 8px; border-radius: var(--sb-radius); background: var(--sb-danger-bg); }
      input.secret { font-family: ui-monospace, monospace; width: 100%; max-width: 480px; box-sizing: border-box; }
    `,
  ];

  @property({ attribute: false }) tokens: ApiToken[] = [];
  @property({ attribute: false }) secret: AdminState['apiTokenSecret'] = null;
  @property({ attribute: false }) fieldErrors: AdminState['fieldErrors'] = null;
  /** What the form holds (kept across renders: a status line or a refusal must not reset what the admin typed). */
  @state() private draft: Draft = blankDraft();
  /** The form's own checks (no name, no scope), shown like the hub's refusals. */
  @state() private nameError = '';
  @state() private scopesError = '';
  /** What the Copy button did, read out by screen readers. */
  @state() private copyStatus = '';
  @query('#new-secret-title') private secretTitle!: HTMLElement | null;

  /** A secret that was not on screen before this update: the token was just created. */
  #isNewSecret(changed: Map<string, unknown>): boolean {
    return changed.has('secret') && this.secret !== null && this.secret.id !== (changed.get('secret') as AdminState['apiTokenSecret'])?.id;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // The form is blank in the same render that shows the secret: the list's reload that follows is a round trip, and
    // a second click on Create meanwhile would make a second token.
    if (this.#isNewSecret(changed)) this.draft = blankDraft();
  }

  override updated(changed: Map<string, unknown>): void {
    // A new secret on screen: focus its heading, so that keyboard and screen-reader users land on it and its warning.
    if (this.#isNewSecret(changed)) {
      this.copyStatus = '';
      this.secretTitle?.focus();
    }
  }

  #hubError(field: string): string {
    return this.fieldErrors?.form === 'api-token' ? (this.fieldErrors.errors[field] ?? '') : '';
  }

  override render() {
    return html`
      <section class="api-tokens">
        <h2>API tokens</h2>
        <p class="muted">For server-to-server use (a CRM's backend, a script): send it as <code>Authorization: Bearer sbt_…</code> to the
          REST API. A token acts as the admin who created it, limited to its scopes; it can't manage agents, settings or tokens, and
          stops working when revoked, when it expires, or when its creator is disabled, removed or no longer an admin.</p>
        ${this.tokens.length === 0 ? html`<p class="muted empty">No API tokens yet.</p>` : this.#table()}
      </section>
      ${this.#secret()} ${this.#form()}`;
  }

  #table() {
    return html`<div class="table"><table>
      <thead><tr><th>Name</th><th>Prefix</th><th>Scopes</th><th>Created</th><th>Last used</th><th>Expires</th><th>Status</th>
        <th><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>${this.tokens.map(
        (t) => html`<tr class="token" data-id=${t.id} data-status=${t.status}>
          <td class="name">${t.name}</td>
          <td class="prefix nowrap"><code>${t.prefix}…</code></td>
          <td class="scopes">${t.scopes.map((scope) => html`<code>${scope}</code>`)}</td>
          <td class="created nowrap" title=${formatFull(t.createdAt)}>${formatTime(t.createdAt)}<br /><span class="muted by">${t.createdByName ?? 'a removed agent'}</span></td>
          <td class="last-used nowrap" title=${formatFull(t.lastUsedAt)}>${t.lastUsedAt ? formatTime(t.lastUsedAt) : 'Never'}</td>
          <td class="expires nowrap" title=${formatFull(t.expiresAt)}>${t.expiresAt ? formatTime(t.expiresAt) : 'Never'}</td>
          <td class="status nowrap" title=${t.revokedAt ? `Revoked ${formatFull(t.revokedAt)}` : ''}>${STATUS_LABELS[t.status]}</td>
          <td class="buttons">${
            t.status === 'revoked'
              ? nothing
              : html`<button type="button" class="danger revoke" aria-label="Revoke ${t.name}" @click=${() => this.#revoke(t)}>Revoke</button>`
          }</td>
        </tr>`,
      )}</tbody>
    </table></div>`;
  }

  #secret() {
    const s = this.secret;
    if (!s) return nothing;
    return html`<section class="new-secret" aria-labelledby="new-secret-title">
      <h2 id="new-secret-title" tabindex="-1">Copy the secret of “${s.name}” now</h2>
      <p class="warning" id="new-secret-warning">This is the only time it is shown: the hub keeps only a hash of it. Store it where your
        integration keeps its secrets. If it is lost, revoke the token and create a new one.</p>
      <label for="new-secret-value" class="sr-only">Secret of ${s.name}</label>
      <div class="row">
        <input id="new-secret-value" class="secret" readonly .value=${s.secret} aria-describedby="new-secret-warning"
          @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
        <button type="button" class="copy primary" @click=${() => this.#copy(s.secret)}>Copy</button>
        <button type="button" class="done" @click=${() => adminAction(this, { action: 'api-token-secret-done' })}>I have stored it</button>
      </div>
      <span class="copy-status" role="status" aria-live="polite">${this.copyStatus}</span>
    </section>`;
  }

  #form() {
    const d = this.draft;
    const nameError = this.nameError || this.#hubError('name');
    const scopesError = this.scopesError || this.#hubError('scopes');
    return html`<section>
      <h2>New token</h2>
      <form class="token-form" novalidate @submit=${this.#submit}>
        <label>Name
          <input name="name" required maxlength=${API_TOKEN_LIMITS.name} placeholder="CRM sync" autocomplete="off" .value=${live(d.name)}
            @input=${(e: Event) => (this.draft = { ...this.draft, name: (e.target as HTMLInputElement).value })}
            aria-invalid=${nameError ? 'true' : 'false'} aria-describedby="token-name-error" />
          <span class="field-error" id="token-name-error" role="alert">${nameError}</span></label>
        <fieldset class="scopes" aria-describedby="token-scopes-error">
          <legend>Scopes</legend>
          ${API_TOKEN_SCOPES.map(
            (scope) => html`<label class="check"><input type="checkbox" name="scopes" value=${scope} .checked=${live(d.scopes.has(scope))}
              @change=${(e: Event) => this.#toggleScope(scope, (e.target as HTMLInputElement).checked)} />
              <span><code>${scope}</code> <span class="muted">${API_TOKEN_SCOPE_DESCRIPTIONS[scope]}</span></span></label>`,
          )}
          <span class="field-error" id="token-scopes-error" role="alert">${scopesError}</span>
        </fieldset>
        <label>Expires after
          <select name="expires" .value=${live(String(d.expiresInDays))}
            @change=${(e: Event) => (this.draft = { ...this.draft, expiresInDays: Number((e.target as HTMLSelectElement).value) })}>
            ${EXPIRIES.map(([days, label]) => html`<option value=${String(days)} ?selected=${d.expiresInDays === days}>${label}</option>`)}
          </select></label>
        <div class="row"><button type="submit" class="primary">Create token</button></div>
      </form>
    </section>`;
  }

  #toggleScope(scope: ApiTokenScope, on: boolean): void {
    const scopes = new Set(this.draft.scopes);
    if (on) scopes.add(scope);
    else scopes.delete(scope);
    this.draft = { ...this.draft, scopes };
  }

  async #copy(secret: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(secret);
      this.copyStatus = 'Copied to the clipboard';
    } catch {
      // No clipboard access (permissions, an insecure page): leave the text selected for Ctrl+C.
      const input = this.renderRoot.querySelector<HTMLInputElement>('#new-secret-value');
      input?.focus();
      input?.select();
      this.copyStatus = 'Could not copy: the secret is selected, press Ctrl+C (⌘C) to copy it';
    }
  }

  #revoke(token: ApiToken): void {
    if (!confirm(`Revoke the API token “${token.name}”? Requests with it are refused at once; this cannot be undone.`)) return;
    void adminAction(this, { action: 'api-token-revoke', id: token.id });
  }

  #submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const scopes = API_TOKEN_SCOPES.filter((scope) => data.getAll('scopes').includes(scope));
    const days = Number(data.get('expires') ?? 0);
    const name = String(data.get('name') ?? '');
    this.draft = { name, scopes: new Set(scopes), expiresInDays: days };
    this.nameError = name.trim() === '' ? 'Give the token a name' : '';
    this.scopesError = scopes.length === 0 ? 'Choose at least one scope' : '';
    if (this.nameError || this.scopesError) return;
    const input: ApiTokenInput = { name: name.trim(), scopes, ...(days > 0 ? { expiresInDays: days } : {}) };
    // Once created, the secret arrives as a property and blanks the form (willUpdate).
    void adminAction(this, { action: 'api-token-create', input });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-api-tokens': AdminApiTokens;
  }
}
