import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AgentInput, AgentPatch } from '../../protocol/api.js';
import type { Agent, Role } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { HubApi } from '../api.js';
import { errorText } from '../format.js';
import { adminStyles, announce } from './admin-shared.js';

/**
 * Agents and roles: list with presence, add, change role, disable, reset password, remove.
 *
 * @fires agents-changed - detail: `{ agents }`
 */
@customElement('sb-admin-agents')
export class AdminAgents extends LitElement {
  static override styles = [panelStyles, adminStyles];

  @property({ attribute: false }) api!: HubApi;
  @property({ attribute: false }) me!: Agent;
  @state() private agents: Agent[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.agents = (await this.api.call('GET /api/agents')).items;
      this.dispatchEvent(new CustomEvent('agents-changed', { detail: { agents: this.agents }, bubbles: true, composed: true }));
    } catch (error) {
      announce(this, errorText(error), true);
    }
  }

  async #do(run: () => Promise<unknown>, done: string): Promise<boolean> {
    try {
      await run();
      announce(this, done);
      await this.load();
      return true;
    } catch (error) {
      announce(this, errorText(error), true);
      return false;
    }
  }

  #patch(agent: Agent, patch: AgentPatch, done: string): Promise<boolean> {
    return this.#do(() => this.api.call('PUT /api/agents/:id', { params: { id: agent.id }, body: patch }), done);
  }

  override render() {
    return html`<section class="agents">
      <h2>Agents</h2>
      <div class="table"><table>
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${this.agents.map((a) => {
          const self = a.id === this.me.id;
          return html`<tr class="agent" data-id=${a.id}>
            <td>${a.name}</td><td>${a.email}</td>
            <td><select aria-label="Role of ${a.name}" ?disabled=${self} @change=${(e: Event) => this.#patch(a, { role: (e.target as HTMLSelectElement).value as Role }, 'Role changed')}>
              <option value="agent" ?selected=${a.role === 'agent'}>agent</option><option value="admin" ?selected=${a.role === 'admin'}>admin</option>
            </select></td>
            <td>${a.disabled ? 'disabled' : a.online ? '● online' : 'offline'}</td>
            <td class="buttons">${
              self
                ? html`<span class="muted">you</span>`
                : html`<button type="button" class="toggle" @click=${() => this.#patch(a, { disabled: !a.disabled }, a.disabled ? 'Enabled' : 'Disabled')}>${a.disabled ? 'Enable' : 'Disable'}</button>
                  <button type="button" class="password" @click=${() => this.#resetPassword(a)}>Set password</button>
                  <button type="button" class="danger remove" @click=${() => confirm(`Remove ${a.name}?`) && this.#do(() => this.api.call('DELETE /api/agents/:id', { params: { id: a.id } }), 'Agent removed')}>Remove</button>`
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
    void this.#do(() => this.api.call('POST /api/agents', { body: input }), 'Agent added').then((ok) => ok && form.reset());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-agents': AdminAgents;
  }
}
