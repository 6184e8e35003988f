import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Tag, TagCatalogue } from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import { panelStyles } from '../agent-panel.styles.js';
import { tagStyle } from '../format.js';
import { adminAction, adminStyles } from './admin-shared.js';

/** Colours offered for a new tag, in turn (the admin can pick any other). */
const PALETTE = ['#1f5eff', '#067647', '#b42318', '#93370d', '#6941c6', '#0e9384', '#c11574', '#f79009', '#344054', '#fde272'];

/**
 * Tags: the catalogue of tags agents apply to contacts and conversations (name and colour), and whether agents
 * may also use tags outside it. The admin edits a copy; "Save tags" replaces the hub's catalogue
 * (`PUT /api/tags`), whose refusal shows in the status line. Presentational.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-tags')
export class AdminTags extends LitElement {
  static override styles = [
    panelStyles,
    adminStyles,
    css`
      .save-row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      input[type='color'] { padding: 0 2px; width: 44px; height: 30px; }
      label.check { display: flex; gap: 6px; align-items: center; }
    `,
  ];

  /** The catalogue as the hub has it (null while loading). */
  @property({ attribute: false }) catalogue: TagCatalogue | null = null;
  @state() private draft: Tag[] = [];
  @state() private freeTags = true;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('catalogue')) this.#discard();
  }

  get #dirty(): boolean {
    const saved = this.catalogue;
    return !!saved && (saved.freeTags !== this.freeTags || JSON.stringify(saved.tags) !== JSON.stringify(this.draft));
  }

  override render() {
    if (!this.catalogue) return html`<p class="muted">Loading…</p>`;
    const nextColor = PALETTE[this.draft.length % PALETTE.length] ?? '#1f5eff';
    return html`
      <section class="tag-catalogue">
        <h2>Tags</h2>
        <p class="muted">Agents apply these to contacts and conversations. Changes are sent to the hub when you save.</p>
        ${
          this.draft.length === 0
            ? html`<p class="muted empty">No tags in the catalogue yet.</p>`
            : html`<div class="table"><table>
              <thead><tr><th>Tag</th><th>Colour</th><th><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>${this.draft.map(
                (t, i) => html`<tr class="catalogue-tag" data-name=${t.name}>
                  <td><span class="chip tag" style=${styleMap(tagStyle(t.color))}>${t.name}</span></td>
                  <td><input type="color" aria-label="Colour of ${t.name}" .value=${t.color} @input=${(e: Event) => this.#recolor(i, (e.target as HTMLInputElement).value)} /></td>
                  <td class="buttons"><button type="button" class="danger remove" aria-label="Remove ${t.name}" @click=${() => this.#remove(i)}>Remove</button></td>
                </tr>`,
              )}</tbody>
            </table></div>`
        }
        <form class="new-tag" @submit=${this.#add}>
          <label>Name<input name="name" required maxlength=${LIMITS.tag} /></label>
          <label>Colour<input type="color" name="color" .value=${nextColor} /></label>
          <button type="submit">Add tag</button>
        </form>
        <label class="check"><input type="checkbox" class="free-tags" .checked=${this.freeTags}
          @change=${(e: Event) => (this.freeTags = (e.target as HTMLInputElement).checked)} /> Allow agents to use tags outside the catalogue</label>
        <div class="save-row">
          <button type="button" class="primary save-tags" ?disabled=${!this.#dirty} @click=${this.#save}>Save tags</button>
          ${
            this.#dirty
              ? html`<span class="muted unsaved">Unsaved changes</span>
                <button type="button" class="discard" @click=${() => this.#discard()}>Discard changes</button>`
              : nothing
          }
        </div>
      </section>`;
  }

  #discard(): void {
    this.draft = (this.catalogue?.tags ?? []).map((t) => ({ ...t }));
    this.freeTags = this.catalogue?.freeTags ?? true;
  }

  #recolor(index: number, color: string): void {
    this.draft = this.draft.map((t, i) => (i === index ? { ...t, color } : t));
  }

  #remove(index: number): void {
    this.draft = this.draft.filter((_, i) => i !== index);
  }

  #add = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const color = String(data.get('color') ?? '').toLowerCase();
    if (!name) return;
    if (this.draft.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      void adminAction(this, { action: 'report', message: `The tag “${name}” is already in the catalogue` });
      return;
    }
    this.draft = [...this.draft, { name, color }];
    (form.querySelector('input[name="name"]') as HTMLInputElement).value = '';
  };

  #save = (): void => {
    void adminAction(this, { action: 'tags-save', catalogue: { tags: this.draft, freeTags: this.freeTags } });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-tags': AdminTags;
  }
}
