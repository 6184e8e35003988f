import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { QuickReplyInput } from '../../protocol/api.js';
import type { QuickReply, Responder, Settings, TimeWindow } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { errorText } from '../format.js';
import { adminAction, adminStyles } from './admin-shared.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RESPONDERS: Record<Responder, string> = { faq: 'FAQs', quick_reply: 'Quick replies' };

/** "Mon,Tue 18:00-09:00; Sat,Sun 00:00-23:59" ⇄ time windows. */
export function formatWindows(windows: TimeWindow[]): string {
  return windows.map((w) => `${w.days.map((d) => DAYS[d]).join(',')} ${w.start}-${w.end}`).join('; ');
}

export function parseWindows(text: string): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z,\s]+)\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!match) throw new Error(`Can't read the time window “${part}” (e.g. Mon,Tue 18:00-09:00)`);
    const days = (match[1] ?? '').split(',').map((d) => DAYS.findIndex((name) => name.toLowerCase() === d.trim().slice(0, 3).toLowerCase()));
    if (days.some((d) => d < 0)) throw new Error(`Unknown day in “${part}”`);
    const pad = (t: string) => t.padStart(5, '0');
    windows.push({ days, start: pad(match[2] ?? ''), end: pad(match[3] ?? '') });
  }
  return windows;
}

/**
 * Quick replies (text, buttons, time windows in a time zone, enabled) and the bot's responder priority.
 * Presentational: the panel's AdminController holds them and runs the intents.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-quick-replies')
export class AdminQuickReplies extends LitElement {
  static override styles = [panelStyles, adminStyles];

  @property({ attribute: false }) items: QuickReply[] = [];
  @property({ attribute: false }) settings: Settings | null = null;
  @state() private editing: QuickReply | null = null;

  override render() {
    const e = this.editing;
    const s = this.settings;
    return html`
      ${
        s
          ? html`<section class="priority">
            <h2>Bot answers with</h2>
            <ol>${s.responderPriority.map(
              (r, i) => html`<li>${RESPONDERS[r]}
              ${i > 0 ? html`<button type="button" class="up" aria-label="Try ${RESPONDERS[r]} first" @click=${() => this.#move(i)}>↑</button>` : nothing}</li>`,
            )}</ol>
            <span class="muted">FAQ match threshold ${s.faqThreshold} · bot name “${s.botName}”</span>
          </section>`
          : nothing
      }
      <section class="quick-replies">
        <h2>Quick replies</h2>
        <div class="table"><table>
          <thead><tr><th>Name</th><th>Text</th><th>Buttons</th><th>When (time zone)</th><th>Enabled</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${this.items.map(
            (q) => html`<tr class="quick-reply" data-id=${q.id}><td>${q.name}</td><td>${q.text}</td><td>${q.choices.join(' · ')}</td>
              <td>${formatWindows(q.windows) || 'always'} (${q.timezone})</td>
              <td><input type="checkbox" aria-label="Enabled" .checked=${q.enabled} @change=${(ev: Event) => adminAction(this, { action: 'quick-reply-save', id: q.id, input: { ...this.#input(q), enabled: (ev.target as HTMLInputElement).checked }, success: 'Saved' })} /></td>
              <td class="buttons"><button type="button" class="edit" @click=${() => (this.editing = q)}>Edit</button>
                <button type="button" class="danger delete" @click=${() => confirm(`Delete “${q.name}”?`) && adminAction(this, { action: 'quick-reply-delete', id: q.id })}>Delete</button></td></tr>`,
          )}</tbody>
        </table></div>
        <h2>${e ? 'Edit quick reply' : 'New quick reply'}</h2>
        <form class="quick-reply-form" @submit=${this.#save}>
          <label>Name<input name="name" required .value=${e?.name ?? ''} /></label>
          <label>Text<textarea name="text" required .value=${e?.text ?? ''}></textarea></label>
          <label>Buttons (comma separated)<input name="choices" .value=${e?.choices.join(', ') ?? ''} /></label>
          <label>Time zone<input name="timezone" required .value=${e?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone} /></label>
          <label>Windows (e.g. Mon,Tue,Wed,Thu,Fri 18:00-09:00; Sat,Sun 00:00-23:59)<input name="windows" size="40" .value=${e ? formatWindows(e.windows) : ''} /></label>
          <label><span>Enabled</span><input type="checkbox" name="enabled" .checked=${e?.enabled ?? true} /></label>
          <button type="submit" class="primary">${e ? 'Save' : 'Add quick reply'}</button>
          ${e ? html`<button type="button" @click=${() => (this.editing = null)}>Cancel</button>` : nothing}
        </form>
      </section>`;
  }

  #input(q: QuickReply): QuickReplyInput {
    return { name: q.name, text: q.text, choices: q.choices, timezone: q.timezone, windows: q.windows, enabled: q.enabled };
  }

  #move(index: number): void {
    const order = [...(this.settings?.responderPriority ?? [])];
    const [item] = order.splice(index, 1);
    if (!item) return;
    order.splice(index - 1, 0, item);
    void adminAction(this, { action: 'priority', order });
  }

  #save = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    let input: QuickReplyInput;
    try {
      input = {
        name: String(data.get('name') ?? '').trim(),
        text: String(data.get('text') ?? '').trim(),
        choices: String(data.get('choices') ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
        timezone: String(data.get('timezone') ?? '').trim(),
        windows: parseWindows(String(data.get('windows') ?? '')),
        enabled: data.get('enabled') === 'on',
      };
    } catch (error) {
      void adminAction(this, { action: 'report', message: errorText(error) });
      return;
    }
    const editing = this.editing;
    void adminAction(this, {
      action: 'quick-reply-save',
      id: editing?.id ?? null,
      input,
      success: editing ? 'Quick reply saved' : 'Quick reply added',
    }).then((ok) => {
      if (!ok) return;
      this.editing = null;
      form.reset();
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-quick-replies': AdminQuickReplies;
  }
}
