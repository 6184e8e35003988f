import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AssignmentMode, Settings } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { adminAction, adminStyles } from './admin-shared.js';

const MODES: Record<AssignmentMode, string> = {
  off: 'Off — conversations wait in Unassigned',
  round_robin: 'Round robin — the agent assigned least recently',
  balanced: 'Balanced — the agent with the fewest open conversations',
};

/**
 * Auto-assignment settings: the mode, and after how many minutes offline an agent's conversations go to
 * someone online. The per-agent cap is on the Agents screen. Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-assignment')
export class AdminAssignment extends LitElement {
  static override styles = [panelStyles, adminStyles, css`:host { margin-top: 12px; } select { max-width: 100%; } input[name="minutes"] { width: 8em; }`];

  @property({ attribute: false }) settings: Settings | null = null;

  override render() {
    const s = this.settings;
    if (!s) return html``;
    return html`<section class="assignment">
      <h2>Assignment</h2>
      <label>New and escalated conversations go to an online agent
        <select class="assignment-mode" @change=${this.#mode}>
          ${(Object.keys(MODES) as AssignmentMode[]).map((m) => html`<option value=${m} ?selected=${s.assignment === m}>${MODES[m]}</option>`)}
        </select>
      </label>
      <form class="reassign" @submit=${this.#reassign}>
        <label>Reassign when the agent has been offline for (minutes, empty: never)
          <input name="minutes" type="number" min="1" max="10080" step="1" .value=${s.reassignAfterMinutes === null ? '' : String(s.reassignAfterMinutes)} />
        </label>
        <button type="submit">Save</button>
      </form>
      <span class="muted">Agents count while their panel is open, up to their “Max open conversations” (Agents screen).</span>
    </section>`;
  }

  #mode = (event: Event): void => {
    const assignment = (event.target as HTMLSelectElement).value as AssignmentMode;
    void adminAction(this, { action: 'settings-save', changes: { assignment }, success: 'Assignment saved' });
  };

  #reassign = (event: SubmitEvent): void => {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('minutes') ?? '').trim();
    const reassignAfterMinutes = text === '' ? null : Number(text);
    void adminAction(this, { action: 'settings-save', changes: { reassignAfterMinutes }, success: 'Reassignment saved' });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-assignment': AdminAssignment;
  }
}
