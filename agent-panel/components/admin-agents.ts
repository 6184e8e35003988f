import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AgentInput, AgentPatch } from '../../protocol/api.js';
import type { Agent, Role } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { adminAction, adminStyles } from './admin-shared.js';

/**
 * Agents and roles: list with presence, add, change role, cap on auto-assigned conversations, escalation emails
 * while offline, disable, reset password, remove. Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-agents')
export class AdminAgents extends LitElement {
  static override styles = [panelStyles, adminStyles];

  @property({ attribute: false }) agents: Agent[] = [];
  @property({ attribute: false }) me!: Agent;

  #patch(agent: Agent, patch: AgentPatch, success: string): Promise<boolean> {
    return adminAction(this, { action: 'agent-patch', id: agent.id, patch, success });
  }

  override render() {
    return html`<section class="agents">
      <h2>Agents</h2>
      <div class="table"><table>
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th><th>Max open conversations</th><th>Escalation email</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${this.agents.map((a) => {
          const self = a.id === this.me.id;
          return html`<tr class="agent" data-id=${a.id}>
            <td>${a.name}</td><td>${a.email}</td>
            <td><select aria-label="Role of ${a.name}" ?disabled=${self} @change=${(e: Event) => this.#patch(a, { role: (e.target as HTMLSelectElement).value as Role }, 'Role changed')}>
              <option value="agent" ?selected=${a.role === 'agent'}>agent</option><option value="admin" ?selected=${a.role === 'admin'}>admin</option>
            </select></td>
            <td>${a.disabled ? 'disabled' : a.online ? '● online' : 'offline'}</td>
            <td><input class="max-open" type="number" min="0" max="1000" step="1" placeholder="no cap" aria-label="Max open conversations of ${a.name}"
              .value=${a.maxOpen === null ? '' : String(a.maxOpen)} @change=${(e: Event) => this.#cap(a, (e.target as HTMLInputElement).value)} /></td>
            <td><input class="escalation-email" type="checkbox" aria-label="Email ${a.name} about escalations while offline" .checked=${a.emailOnEscalation}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                void this.#patch(a, { emailOnEscalation: on }, on ? 'Escalation emails on' : 'Escalation emails off');
              }} /></td>
            <td class="buttons">${
              self
                ? html`<span class="muted">you</span>`
                : html`<button type="button" class="toggle" @click=${() => this.#patch(a, { disabled: !a.disabled }, a.disabled ? 'Enabled' : 'Disabled')}>${a.disabled ? 'Enable' : 'Disable'}</button>
                  <button type="button" class="password" @click=${() => this.#resetPassword(a)}>Set password</button>
                  <button type="button" class="danger remove" @click=${() => confirm(`Remove ${a.name}?`) && adminAction(this, { action: 'agent-remove', id: a.id })}>Remove</button>`
            }</td>
          </tr>`;
        })}</tbody>
      </table></div>
      <form class="new-agent" @submit=${this.#add}>
        <label>Name<input name="name" required /></label>
        <label>Email<input name="email" type="email" required /></label>
        <label>Password<input name="password" type="password" minlength="8" required autocomplete="new-password" /></label>
        <label>Role<select name="role"><option value="agent">agent</option><option value="admin">admin</option></select></label>
        <button type="submit" class="primary">Add agent</button>
      </form>
    </section>`;
  }

  /** Empty: no cap; 0: never auto-assigned. */
  #cap(agent: Agent, text: string): void {
    const maxOpen = text.trim() === '' ? null : Number(text);
    void this.#patch(agent, { maxOpen }, maxOpen === null ? 'Cap removed' : 'Cap saved');
  }

  #resetPassword(agent: Agent): void {
    const password = prompt(`New password for ${agent.name} (8 characters or more)`);
    if (password) void this.#patch(agent, { password }, 'Password changed');
  }

  #add = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const input: AgentInput = {
      name: String(data.get('name') ?? '').trim(),
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
      role: String(data.get('role')) === 'admin' ? 'admin' : 'agent',
    };
    void adminAction(this, { action: 'agent-add', input }).then((ok) => ok && form.reset());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-agents': AdminAgents;
  }
}
