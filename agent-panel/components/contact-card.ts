import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Contact, ContactFieldDefinition, ContactFieldValue, ContactPatch, TagCatalogue } from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import { panelStyles } from '../agent-panel.styles.js';
import type { ContactState } from '../controllers/contact-context.js';
import { type ContactScope, request } from '../events.js';
import { tagStyle } from '../format.js';

/** The value of one field's input, typed as the hub stores it (empty → null). */
export function readFieldInput(type: ContactFieldDefinition['type'], input: HTMLInputElement | HTMLSelectElement): ContactFieldValue {
  if (type === 'checkbox') return (input as HTMLInputElement).checked;
  if (type === 'number') {
    const n = (input as HTMLInputElement).valueAsNumber;
    return Number.isFinite(n) ? n : null;
  }
  const text = input.value.trim();
  return text === '' ? null : text;
}

/** Coloured chips of tags, with the catalogue's colours (tags outside it are plain). */
export function tagChips(tags: string[], catalogue: TagCatalogue, cls: string, remove?: (tag: string) => void) {
  const colors = new Map(catalogue.tags.map((t) => [t.name, t.color]));
  return tags.map(
    (t) =>
      html`<span class="chip tag ${cls}" data-tag=${t} style=${styleMap(tagStyle(colors.get(t)))}>${t}${
        remove ? html`<button type="button" aria-label="Remove tag ${t}" @click=${() => remove(t)}>×</button>` : nothing
      }</span>`,
  );
}

/**
 * The contact section of the conversation side panel: the contact's custom fields as a form (Save sends the
 * changed ones with `PATCH /api/contacts/:id`) and its tags as coloured chips, with an add-tag picker of the
 * catalogue (plus free text when the catalogue allows it). Presentational: changes are `contact` intents the
 * side panel passes on; the hub's refusal comes back as `feedback` and shows next to the form.
 *
 * @fires sb-conversation-action - detail: a `contact` intent and `reply` (internal)
 */
@customElement('sb-contact-card')
export class ContactCard extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host { display: grid; gap: 8px; }
      h3 { font-size: 12px; margin: 0; text-transform: uppercase; letter-spacing: 0.03em; color: var(--sb-muted); }
      h4 { font-size: 12px; margin: 4px 0 2px; color: var(--sb-muted); font-weight: 600; }
      .tags { display: flex; flex-wrap: wrap; gap: 4px; }
      .chip button { border: none; background: none; padding: 0 0 0 4px; color: inherit; }
      form { display: grid; gap: 6px; }
      form.add-contact-tag { display: flex; gap: 4px; flex-wrap: wrap; }
      form.add-contact-tag select, form.add-contact-tag input { flex: 1 1 0; min-width: 0; }
      /* With a free-text box too, the catalogue picker gets a line of its own (the side panel is narrow). */
      form.add-contact-tag.free select { flex-basis: 100%; }
      label { display: grid; gap: 2px; font-size: 12px; color: var(--sb-muted); }
      label.check { display: flex; gap: 6px; align-items: center; color: var(--sb-text); font-size: inherit; }
      label input, label select { color: var(--sb-text); font-size: var(--sb-font-size, 14px); min-width: 0; }
      .req { color: var(--sb-danger); }
      .feedback { font-size: 12px; }
      .feedback.error { color: var(--sb-danger); }
      .feedback.ok { color: var(--sb-ok); }
    `,
  ];

  /** The open conversation's contact, the field definitions and the catalogue (controllers/contact-context.ts). */
  @property({ attribute: false }) state!: ContactState;

  get contact(): Contact | null {
    return this.state.contact;
  }

  get definitions(): ContactFieldDefinition[] {
    return this.state.definitions;
  }

  get catalogue(): TagCatalogue {
    return this.state.catalogue;
  }

  #patch(patch: ContactPatch, scope: ContactScope): Promise<boolean> {
    const contactId = this.contact?.id;
    if (!contactId) return Promise.resolve(false);
    return request(this, 'sb-conversation-action', { action: 'contact', contactId, patch, scope });
  }

  override render() {
    const c = this.contact;
    const s = this.state;
    return html`<section class="contact" aria-label="Contact" aria-busy=${s.loading ? 'true' : 'false'}>
      <h3>Contact</h3>
      ${
        c
          ? html`${this.#renderTags(c)}${this.#renderFields(c)}`
          : !s.contactId
            ? html`<p class="muted">No contact.</p>`
            : s.loadError
              ? html`<p class="error load-error" role="alert">${s.loadError}</p>`
              : html`<p class="muted">Loading contact…</p>`
      }
    </section>`;
  }

  #renderFeedback(scope: ContactScope) {
    const f = this.state.feedback;
    if (f?.scope !== scope) return nothing;
    return html`<div class="feedback ${f.error ? 'error' : 'ok'}" role=${f.error ? 'alert' : 'status'}>${f.message}</div>`;
  }

  #renderTags(c: Contact) {
    const applied = new Set(c.tags);
    const available = this.catalogue.tags.filter((t) => !applied.has(t.name));
    const free = this.catalogue.freeTags;
    return html`<h4>Contact tags</h4>
      <div class="tags contact-tags">
        ${c.tags.length === 0 ? html`<span class="muted">No tags</span>` : nothing}
        ${tagChips(c.tags, this.catalogue, 'contact-tag', (t) => void this.#patch({ tags: c.tags.filter((x) => x !== t) }, 'tags'))}
      </div>
      ${
        available.length > 0 || free
          ? html`<form class="add-contact-tag ${free ? 'free' : ''}" @submit=${this.#addTag}>
            ${
              available.length > 0
                ? html`<select name="tag" aria-label="Catalogue tag to add to the contact">
                  <option value="">Choose a tag…</option>${available.map((t) => html`<option value=${t.name}>${t.name}</option>`)}
                </select>`
                : nothing
            }
            ${free ? html`<input name="free" aria-label="New contact tag" placeholder=${available.length ? 'or type one' : 'Add a tag'} maxlength=${LIMITS.tag} />` : nothing}
            <button type="submit">Add</button>
          </form>`
          : nothing
      }
      ${this.#renderFeedback('tags')}`;
  }

  #renderFields(c: Contact) {
    if (this.definitions.length === 0) return html`<p class="muted no-fields">No custom fields (an admin defines them).</p>`;
    return html`<h4>Fields</h4>
      <form class="contact-fields" @submit=${this.#saveFields}>
        ${this.definitions.map((d) => this.#renderField(d, c.fields[d.key] ?? null))}
        <div><button type="submit" class="save-contact-fields">Save fields</button></div>
        ${this.#renderFeedback('fields')}
      </form>`;
  }

  #renderField(d: ContactFieldDefinition, value: ContactFieldValue) {
    const name = `field-${d.key}`;
    // Marked, not enforced by the browser: a contact saved before the field existed may lack it, and the agent
    // must still be able to save the other fields. The hub refuses clearing a required value.
    const mark = d.required ? html` <span class="req" aria-hidden="true">*</span><span class="sr-only">(required)</span>` : nothing;
    if (d.type === 'checkbox')
      return html`<label class="check"><input type="checkbox" name=${name} data-key=${d.key} .checked=${value === true} />${d.label}${mark}</label>`;
    const text = value === null || value === undefined ? '' : String(value);
    if (d.type === 'select') {
      // A value whose option was removed since is still shown (and kept unless changed).
      const options = text && !d.options.includes(text) ? [...d.options, text] : d.options;
      return html`<label><span>${d.label}${mark}</span><select name=${name} data-key=${d.key} aria-required=${d.required ? 'true' : 'false'}>
        <option value="" ?selected=${text === ''}>—</option>${options.map((o) => html`<option value=${o} ?selected=${o === text}>${o}</option>`)}
      </select></label>`;
    }
    const type = d.type === 'number' ? 'number' : d.type === 'date' ? 'date' : 'text';
    return html`<label><span>${d.label}${mark}</span><input type=${type} name=${name} data-key=${d.key} step=${d.type === 'number' ? 'any' : nothing}
      aria-required=${d.required ? 'true' : 'false'} .value=${text} /></label>`;
  }

  #addTag = (event: SubmitEvent): void => {
    event.preventDefault();
    const c = this.contact;
    if (!c) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const tag = String(data.get('free') ?? '').trim() || String(data.get('tag') ?? '');
    if (!tag || c.tags.includes(tag)) return;
    void this.#patch({ tags: [...c.tags, tag] }, 'tags').then((ok) => ok && form.reset());
  };

  #saveFields = (event: SubmitEvent): void => {
    event.preventDefault();
    const c = this.contact;
    if (!c) return;
    const form = event.target as HTMLFormElement;
    const fields: Record<string, ContactFieldValue> = {};
    for (const d of this.definitions) {
      const input = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-key="${CSS.escape(d.key)}"]`);
      if (!input) continue;
      const value = readFieldInput(d.type, input);
      // Only what the agent changed: another agent may have saved other fields meanwhile.
      if (value !== (c.fields[d.key] ?? (d.type === 'checkbox' ? false : null))) fields[d.key] = value;
    }
    if (Object.keys(fields).length > 0) void this.#patch({ fields }, 'fields');
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-contact-card': ContactCard;
  }
}
