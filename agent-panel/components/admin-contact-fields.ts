import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CONTACT_FIELD_TYPES, type ContactFieldDefinition, type ContactFieldType } from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import { panelStyles } from '../agent-panel.styles.js';
import { adminAction, adminStyles } from './admin-shared.js';

const KEY_MAX = 40;

export const FIELD_TYPE_LABELS: Record<ContactFieldType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  select: 'Select (choices)',
  checkbox: 'Checkbox',
};

/** `Order total (€)` → `order_total`: a key the hub accepts (`[a-z][a-z0-9_]*`, at most 40 characters). */
export function suggestKey(label: string): string {
  let key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (key && !/^[a-z]/.test(key)) key = `field_${key}`;
  return key.slice(0, KEY_MAX).replace(/_+$/, '');
}

/** The choices of a select field as typed: one per line, or separated by commas when on one line. */
export function parseOptions(text: string): string[] {
  const parts = text.includes('\n') ? text.split('\n') : text.split(',');
  return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}

/**
 * Contact fields: the custom fields agents fill in about a contact. The admin edits a copy of the list (add,
 * edit, delete, move up/down) and "Save fields" replaces the hub's list at once (`PUT /api/contact-fields`),
 * whose refusal (400) shows in the status line. A key is suggested from the label and can only be changed
 * before the field is saved: values are stored by key. Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-contact-fields')
export class AdminContactFields extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      .save-row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      label.check { display: flex; flex-direction: row; gap: 4px; align-items: center; }
      input[readonly] { background: var(--sb-surface-alt); }
    `,
  ];

  /** The list as the hub has it. */
  @property({ attribute: false }) fields: ContactFieldDefinition[] = [];
  /** The list being edited (sent by Save). */
  @state() private draft: ContactFieldDefinition[] = [];
  /** Index in `draft` of the field in the form; null: the form adds a new field. */
  @state() private editing: number | null = null;
  /** The type chosen in the form (the options box shows for select fields only). */
  @state() private formType: ContactFieldType = 'text';
  /** The admin typed a key: stop suggesting one from the label. */
  #keyTouched = false;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('fields')) {
      this.draft = this.fields.map((f) => ({ ...f, options: [...f.options] }));
      this.#edit(null);
    }
  }

  get #dirty(): boolean {
    return JSON.stringify(this.draft) !== JSON.stringify(this.fields);
  }

  /** Saved fields keep their key (contacts' values are stored by it). */
  #isSaved(key: string): boolean {
    return this.fields.some((f) => f.key === key);
  }

  override render() {
    const e = this.editing === null ? null : (this.draft[this.editing] ?? null);
    const keyLocked = e !== null && this.#isSaved(e.key);
    const last = this.draft.length - 1;
    return html`
      <section class="contact-fields">
        <h2>Contact fields</h2>
        <p class="muted">Agents fill these in about a contact, in this order. Changes are sent to the hub when you save the list.</p>
        ${
          this.draft.length === 0
            ? html`<p class="muted empty">No contact fields yet.</p>`
            : html`<div class="table"><table>
              <thead><tr><th>Label</th><th>Key</th><th>Type</th><th>Options</th><th>Required</th><th><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>${this.draft.map(
                (f, i) => html`<tr class="contact-field ${this.editing === i ? 'editing' : ''}" data-key=${f.key}>
                  <td class="label">${f.label}</td><td class="key nowrap"><code>${f.key}</code></td><td class="nowrap">${FIELD_TYPE_LABELS[f.type]}</td>
                  <td>${f.options.join(', ')}</td><td>${f.required ? 'Required' : ''}</td>
                  <td class="buttons">
                    <button type="button" class="edit" @click=${() => this.#edit(i)}>Edit</button>
                    <button type="button" class="up" aria-label="Move ${f.label} up" ?disabled=${i === 0} @click=${() => this.#move(i, -1)}>↑</button>
                    <button type="button" class="down" aria-label="Move ${f.label} down" ?disabled=${i === last} @click=${() => this.#move(i, 1)}>↓</button>
                    <button type="button" class="danger delete" aria-label="Delete ${f.label}" @click=${() => this.#delete(i)}>Delete</button>
                  </td></tr>`,
              )}</tbody>
            </table></div>`
        }
        <div class="save-row">
          <button type="button" class="primary save-fields" ?disabled=${!this.#dirty} @click=${this.#save}>Save fields</button>
          ${
            this.#dirty
              ? html`<span class="muted unsaved">Unsaved changes</span>
                <button type="button" class="discard" @click=${() => this.#discard()}>Discard changes</button>`
              : nothing
          }
        </div>
      </section>
      <section>
        <h2>${e ? 'Edit field' : 'New field'}</h2>
        <form class="field-form ${e ? 'edit-field' : 'new-field'}" @submit=${this.#submit}>
          <label>Label<input name="label" required maxlength="80" .value=${e?.label ?? ''} @input=${this.#onLabel} /></label>
          <label>Key<input name="key" required maxlength=${KEY_MAX} pattern="[a-z][a-z0-9_]*" title="Lower-case letters, digits and _, starting with a letter"
            ?readonly=${keyLocked} .value=${e?.key ?? ''} @input=${() => (this.#keyTouched = true)} /></label>
          <label>Type<select name="type" @change=${(ev: Event) => (this.formType = (ev.target as HTMLSelectElement).value as ContactFieldType)}>
            ${CONTACT_FIELD_TYPES.map((t) => html`<option value=${t} ?selected=${(e?.type ?? 'text') === t}>${FIELD_TYPE_LABELS[t]}</option>`)}
          </select></label>
          <label ?hidden=${this.formType !== 'select'}>Options (one per line, or separated by commas)
            <textarea name="options" .value=${e?.options.join('\n') ?? ''}></textarea></label>
          <label class="check"><input type="checkbox" name="required" .checked=${e?.required ?? false} /> Required</label>
          <button type="submit">${e ? 'Update field' : 'Add field'}</button>
          ${e ? html`<button type="button" class="cancel" @click=${() => this.#edit(null)}>Cancel</button>` : nothing}
        </form>
        <p class="muted">Fields are added to the list above; save the list to apply them. A key cannot be changed once saved (max ${LIMITS.contactFields} fields).</p>
      </section>`;
  }

  #edit(index: number | null): void {
    this.editing = index;
    this.formType = index === null ? 'text' : (this.draft[index]?.type ?? 'text');
    // A field being edited keeps its key unless the admin changes it.
    this.#keyTouched = index !== null;
    if (index === null) this.renderRoot?.querySelector<HTMLFormElement>('form.field-form')?.reset();
  }

  #onLabel = (event: Event): void => {
    if (this.#keyTouched) return;
    const key = this.renderRoot.querySelector<HTMLInputElement>('input[name="key"]');
    if (key && !key.readOnly) key.value = suggestKey((event.target as HTMLInputElement).value);
  };

  #submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const type = String(data.get('type')) as ContactFieldType;
    const field: ContactFieldDefinition = {
      key: String(data.get('key') ?? '').trim(),
      label: String(data.get('label') ?? '').trim(),
      type,
      options: type === 'select' ? parseOptions(String(data.get('options') ?? '')) : [],
      required: data.get('required') !== null,
    };
    const clash = this.draft.findIndex((f, i) => f.key === field.key && i !== this.editing);
    if (clash >= 0) {
      void adminAction(this, { action: 'report', message: `The key “${field.key}” is already used by “${this.draft[clash]?.label}”` });
      return;
    }
    if (type === 'select' && field.options.length === 0) {
      void adminAction(this, { action: 'report', message: 'A select field needs at least one option' });
      return;
    }
    const editing = this.editing;
    this.draft = editing === null ? [...this.draft, field] : this.draft.map((f, i) => (i === editing ? field : f));
    form.reset();
    this.#edit(null);
  };

  #move(index: number, step: -1 | 1): void {
    const target = index + step;
    const draft = [...this.draft];
    const [a, b] = [draft[index], draft[target]];
    if (!a || !b) return;
    draft[index] = b;
    draft[target] = a;
    this.draft = draft;
    if (this.editing === index) this.editing = target;
    else if (this.editing === target) this.editing = index;
  }

  #delete(index: number): void {
    this.draft = this.draft.filter((_, i) => i !== index);
    if (this.editing === index) this.#edit(null);
    else if (this.editing !== null && this.editing > index) this.editing -= 1;
  }

  #discard(): void {
    this.draft = this.fields.map((f) => ({ ...f, options: [...f.options] }));
    this.#edit(null);
  }

  #save = (): void => {
    void adminAction(this, { action: 'contact-fields-save', items: this.draft });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-contact-fields': AdminContactFields;
  }
}
