import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { live } from 'lit/directives/live.js';
import type { QuickReplyInput } from '../../protocol/api.js';
import { LIMITS } from '../../protocol/limits.js';
import type { QuickReply, TimeWindow } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { AdminState } from '../controllers/admin.js';
import { adminAction, adminStyles } from './admin-shared.js';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** The editor's and the list's day order: Monday first (the hub's numbers: 0 = Sunday … 6 = Saturday). */
const WEEK = [1, 2, 3, 4, 5, 6, 0];
/** The hub's "whole day" window: start = end = midnight (a window whose end is not after its start ends the next day). */
const MIDNIGHT = '00:00';

/** One row of the schedule editor. `allDay` is saved as 00:00–00:00. */
export interface WindowDraft {
  days: number[];
  start: string;
  end: string;
  allDay: boolean;
}

export function toDraft(w: TimeWindow): WindowDraft {
  const allDay = w.start === MIDNIGHT && w.end === MIDNIGHT;
  return { days: WEEK.filter((d) => w.days.includes(d)), start: allDay ? '09:00' : w.start, end: allDay ? '17:00' : w.end, allDay };
}

export function fromDraft(d: WindowDraft): TimeWindow {
  const days = WEEK.filter((day) => d.days.includes(day));
  return d.allDay ? { days, start: MIDNIGHT, end: MIDNIGHT } : { days, start: d.start, end: d.end };
}

/** What is wrong with a row, or '' (the editor shows it under the row). */
export function windowError(d: WindowDraft): string {
  if (d.days.length === 0) return 'Choose at least one day.';
  if (d.allDay) return '';
  if (!/^\d\d:\d\d$/.test(d.start) || !/^\d\d:\d\d$/.test(d.end)) return 'Enter a start and an end time.';
  if (d.start === d.end) return 'The end equals the start: change a time, or tick “All day”.';
  return '';
}

/** "Mon–Fri" for runs of three days or more, "Sat, Sun" otherwise (Monday first). */
function dayList(days: number[]): string {
  const ordered = WEEK.filter((d) => days.includes(d));
  if (ordered.length === 7) return 'Every day';
  const runs: number[][] = [];
  for (const d of ordered) {
    const last = runs.at(-1);
    if (last && WEEK.indexOf(d) === WEEK.indexOf(last.at(-1) ?? -9) + 1) last.push(d);
    else runs.push([d]);
  }
  return runs.map((run) => (run.length >= 3 ? `${DAY_NAMES[run[0] ?? 0]}–${DAY_NAMES[run.at(-1) ?? 0]}` : run.map((d) => DAY_NAMES[d]).join(', '))).join(', ');
}

/** A schedule in words: "Mon–Fri 18:00–09:00 (next day); Sat, Sun all day". */
export function describeWindows(windows: TimeWindow[]): string {
  if (windows.length === 0) return 'Never (no time window)';
  return windows
    .map((w) => {
      if (w.start === w.end) return `${dayList(w.days)} ${w.start === MIDNIGHT ? 'all day' : `24 h from ${w.start}`}`;
      return `${dayList(w.days)} ${w.start}–${w.end}${w.end < w.start ? ' (next day)' : ''}`;
    })
    .join('; ');
}

/** Every IANA time zone the browser knows, with `current` kept when it is not among them. */
function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...(zones.includes('UTC') ? [] : ['UTC']), ...zones, ...(current && !zones.includes(current) ? [current] : [])])];
}

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const newWindow = (): WindowDraft => ({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', allDay: false });

/**
 * Quick replies: text, buttons, a weekly schedule in a time zone, enabled. The schedule editor has a row per
 * window (days Mon–Sun, start and end, or all day) and checks each row before anything is sent; the hub's
 * refusals (e.g. an unknown time zone) are shown next to the field too.
 * Presentational: the panel's AdminController holds the quick replies and runs the intents.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-quick-replies')
export class AdminQuickReplies extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      fieldset.schedule { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 8px; display: grid; gap: 8px; flex-basis: 100%; margin: 0; }
      fieldset.schedule legend { font-size: 12px; color: var(--sb-muted); padding: 0 4px; }
      .window { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; padding: 6px; border-radius: var(--sb-radius); background: var(--sb-surface-alt); }
      .window.invalid { outline: 1px solid var(--sb-danger); }
      .window fieldset.days { border: none; padding: 0; margin: 0; display: flex; gap: 6px; flex-wrap: wrap; }
      .window label { display: inline-flex; gap: 4px; align-items: center; font-size: 12px; color: var(--sb-text); }
      .window .error-line { flex-basis: 100%; }
      .field-error { color: var(--sb-danger); font-size: 12px; }
      .field-error:empty { display: none; }
      .hint { font-size: 12px; color: var(--sb-muted); margin: 0; }
      [aria-invalid='true'] { border-color: var(--sb-danger); }
      th { overflow-wrap: normal; }
      select.timezone { max-width: 320px; }
    `,
  ];

  @property({ attribute: false }) items: QuickReply[] = [];
  @property({ attribute: false }) fieldErrors: AdminState['fieldErrors'] = null;
  @state() private editing: QuickReply | null = null;
  @state() private windows: WindowDraft[] = [newWindow()];
  @state() private timezone = browserZone();
  /** Show the rows' errors (after a first attempt to save, so a half-typed row is not flagged). */
  @state() private checked = false;
  /** A new key renders a fresh form (after a save, Edit or Cancel); the schedule's rows follow `windows` (live values). */
  @state() private formKey = 0;

  override render() {
    const e = this.editing;
    return html`
      <section class="quick-replies">
        <h2>Quick replies</h2>
        <div class="table"><table>
          <thead><tr><th>Name</th><th>Text</th><th>Buttons</th><th>When (time zone)</th><th>Enabled</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${this.items.map(
            (q) => html`<tr class="quick-reply" data-id=${q.id}><td>${q.name}</td><td>${q.text}</td><td>${q.choices.join(' · ')}</td>
              <td class="when">${describeWindows(q.windows)} (${q.timezone})</td>
              <td><input type="checkbox" aria-label="Enabled" .checked=${q.enabled} @change=${(ev: Event) => adminAction(this, { action: 'quick-reply-save', id: q.id, input: { ...this.#input(q), enabled: (ev.target as HTMLInputElement).checked }, success: 'Saved' })} /></td>
              <td class="buttons"><button type="button" class="edit" @click=${() => this.#edit(q)}>Edit</button>
                <button type="button" class="danger delete" @click=${() => confirm(`Delete “${q.name}”?`) && adminAction(this, { action: 'quick-reply-delete', id: q.id })}>Delete</button></td></tr>`,
          )}</tbody>
        </table></div>
        <h2>${e ? 'Edit quick reply' : 'New quick reply'}</h2>
        ${keyed(
          this.formKey,
          html`<form class="quick-reply-form" novalidate @submit=${this.#save}>
          <label>Name<input name="name" required maxlength="100" .value=${e?.name ?? ''}
            aria-invalid=${this.#hubError('name') ? 'true' : 'false'} aria-describedby="qr-name-error" />${this.#errorLine('qr-name-error', this.#hubError('name'))}</label>
          <label>Text<textarea name="text" required maxlength=${LIMITS.faqAnswer} .value=${e?.text ?? ''}
            aria-invalid=${this.#hubError('text') ? 'true' : 'false'} aria-describedby="qr-text-error"></textarea>${this.#errorLine('qr-text-error', this.#hubError('text'))}</label>
          <label>Buttons (comma separated)<input name="choices" .value=${e?.choices.join(', ') ?? ''} /></label>
          <label><span>Enabled</span><input type="checkbox" name="enabled" .checked=${e?.enabled ?? true} /></label>
          ${this.#schedule()}
          <button type="submit" class="primary">${e ? 'Save' : 'Add quick reply'}</button>
          ${e ? html`<button type="button" class="cancel" @click=${() => this.#edit(null)}>Cancel</button>` : nothing}
          ${this.#errorLine('qr-form-error', this.#otherHubError())}
        </form>`,
        )}
      </section>`;
  }

  #schedule() {
    const zones = timeZones(this.timezone);
    return html`<fieldset class="schedule" aria-describedby="schedule-hint">
      <legend>When to send it</legend>
      <label>Time zone
        <select name="timezone" class="timezone" .value=${live(this.timezone)} aria-invalid=${this.#hubError('timezone') ? 'true' : 'false'} aria-describedby="qr-timezone-error"
          @change=${(ev: Event) => (this.timezone = (ev.target as HTMLSelectElement).value)}>
          ${zones.map((z) => html`<option value=${z} ?selected=${z === this.timezone}>${z.replace(/_/g, ' ')}</option>`)}
        </select>
        ${this.#errorLine('qr-timezone-error', this.#hubError('timezone'))}
      </label>
      ${this.windows.map((w, i) => this.#windowRow(w, i))}
      <div><button type="button" class="add-window" @click=${this.#addWindow}>Add window</button></div>
      <p class="hint" id="schedule-hint">
        ${this.windows.length === 0 ? html`<strong>Without a window the quick reply is never sent.</strong> ` : nothing}
        Times are in the time zone above. A window may wrap midnight: when its end is earlier than its start (18:00 → 09:00) it ends
        the next day, so Mon–Fri 18:00 → 09:00 covers the nights up to Saturday 09:00.
      </p>
    </fieldset>`;
  }

  #windowRow(w: WindowDraft, i: number) {
    const error = this.checked ? windowError(w) : '';
    const errorId = `window-${i}-error`;
    const invalid = error ? 'true' : 'false';
    return html`<div class="window ${error ? 'invalid' : ''}" role="group" aria-label="Window ${i + 1}" data-index=${i}>
      <fieldset class="days" aria-describedby=${errorId}>
        <legend class="sr-only">Days of window ${i + 1}</legend>
        ${WEEK.map(
          (
            d,
          ) => html`<label><input type="checkbox" class="day" value=${d} .checked=${live(w.days.includes(d))} aria-invalid=${w.days.length === 0 ? invalid : 'false'}
            @change=${(ev: Event) => this.#setDay(i, d, (ev.target as HTMLInputElement).checked)} />${DAY_NAMES[d]}</label>`,
        )}
      </fieldset>
      <label>From <input type="time" class="start" required .value=${live(w.start)} ?disabled=${w.allDay} aria-invalid=${w.days.length > 0 ? invalid : 'false'} aria-describedby=${errorId}
        @input=${(ev: Event) => this.#patch(i, { start: (ev.target as HTMLInputElement).value })} /></label>
      <label>To <input type="time" class="end" required .value=${live(w.end)} ?disabled=${w.allDay} aria-invalid=${w.days.length > 0 ? invalid : 'false'} aria-describedby=${errorId}
        @input=${(ev: Event) => this.#patch(i, { end: (ev.target as HTMLInputElement).value })} /></label>
      <label><input type="checkbox" class="all-day" .checked=${live(w.allDay)} @change=${(ev: Event) => this.#patch(i, { allDay: (ev.target as HTMLInputElement).checked })} />All day</label>
      ${!w.allDay && w.end < w.start && w.end !== '' ? html`<span class="hint">ends the next day</span>` : nothing}
      <button type="button" class="remove-window" aria-label="Remove window ${i + 1}" @click=${() => this.#removeWindow(i)}>Remove</button>
      <span class="error-line">${this.#errorLine(errorId, error)}</span>
    </div>`;
  }

  #errorLine(id: string, message: string) {
    return html`<span class="field-error" id=${id} role="alert">${message}</span>`;
  }

  #hubError(field: string): string {
    return this.fieldErrors?.form === 'quick-reply' ? (this.fieldErrors.errors[field] ?? '') : '';
  }

  /** A refusal about a field the form has no place for (e.g. inside the windows). */
  #otherHubError(): string {
    const errors = this.fieldErrors?.form === 'quick-reply' ? this.fieldErrors.errors : {};
    return Object.entries(errors)
      .filter(([field]) => !['name', 'text', 'timezone'].includes(field))
      .map(([, message]) => message)
      .join(' ');
  }

  #edit(q: QuickReply | null): void {
    this.editing = q;
    this.windows = q ? q.windows.map(toDraft) : [newWindow()];
    this.timezone = q?.timezone ?? browserZone();
    this.checked = false;
    this.formKey += 1;
  }

  #patch(index: number, patch: Partial<WindowDraft>): void {
    this.windows = this.windows.map((w, i) => (i === index ? { ...w, ...patch } : w));
  }

  #setDay(index: number, day: number, on: boolean): void {
    const days = this.windows[index]?.days ?? [];
    this.#patch(index, { days: on ? WEEK.filter((d) => d === day || days.includes(d)) : days.filter((d) => d !== day) });
  }

  #addWindow = (): void => {
    this.windows = [...this.windows, newWindow()];
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`.window[data-index="${this.windows.length - 1}"] input.day`)?.focus());
  };

  #removeWindow(index: number): void {
    this.windows = this.windows.filter((_, i) => i !== index);
  }

  #input(q: QuickReply): QuickReplyInput {
    return { name: q.name, text: q.text, choices: q.choices, timezone: q.timezone, windows: q.windows, enabled: q.enabled };
  }

  #save = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    this.checked = true;
    if (this.windows.some((w) => windowError(w))) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.window.invalid input:not([disabled])')?.focus());
      return;
    }
    const data = new FormData(form);
    const input: QuickReplyInput = {
      name: String(data.get('name') ?? '').trim(),
      text: String(data.get('text') ?? '').trim(),
      choices: String(data.get('choices') ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      timezone: this.timezone,
      windows: this.windows.map(fromDraft),
      enabled: data.get('enabled') === 'on',
    };
    const editing = this.editing;
    void adminAction(this, {
      action: 'quick-reply-save',
      id: editing?.id ?? null,
      input,
      success: editing ? 'Quick reply saved' : 'Quick reply added',
    }).then((ok) => ok && this.#edit(null));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-quick-replies': AdminQuickReplies;
  }
}
