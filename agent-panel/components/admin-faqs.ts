import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FaqInput, FaqTestResult } from '../../protocol/api.js';
import { LIMITS } from '../../protocol/limits.js';
import { FAQ_TYPES, type Faq, type FaqType } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { formatTime } from '../format.js';
import { adminAction, adminStyles } from './admin-shared.js';

/**
 * FAQs: list (with archived), create, edit, archive/restore, CSV import/export, and the "test FAQ" box.
 * Presentational: the panel's AdminController holds the FAQs and runs the intents.
 *
 * @fires sb-admin-action - detail: an `AdminIntent` and `reply` (internal)
 */
@customElement('sb-admin-faqs')
export class AdminFaqs extends LitElement {
  static override styles = [panelStyles, adminStyles];

  @property({ attribute: false }) faqs: Faq[] = [];
  @property({ attribute: false }) showArchived = true;
  @property({ attribute: false }) test: FaqTestResult | null = null;
  @state() private editing: Faq | null = null;

  override render() {
    const e = this.editing;
    return html`
      <section class="faq-test-box">
        <h2>Test FAQ</h2>
        <form class="faq-test" @submit=${this.#testFaq}>
          <input name="text" aria-label="A visitor question to test" placeholder="Type a visitor question…" required style="flex:1;min-width:180px" />
          <button type="submit">Test</button>
        </form>
        ${
          this.test === null
            ? nothing
            : html`<div class="result test-result" role="status">${
                this.test.match
                  ? `Matches “${this.test.match.question}” — score ${this.test.match.score.toFixed(2)}\nAnswer: ${this.test.match.faq.answer}`
                  : 'No match: the bot would use its fallback answer.'
              }</div>`
        }
      </section>
      <section class="faqs">
        <h2>FAQs</h2>
        <label><input type="checkbox" .checked=${this.showArchived}
          @change=${(ev: Event) => adminAction(this, { action: 'faqs-archived', show: (ev.target as HTMLInputElement).checked })} /> Show archived</label>
        <div class="table"><table>
          <thead><tr><th>Type</th><th>Questions</th><th>Answer</th><th>Updated</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${this.faqs.map(
            (
              f,
            ) => html`<tr class="faq ${f.archived ? 'archived' : ''}" data-id=${f.id}><td class="nowrap">${f.type}</td><td>${f.questions.join(' · ')}</td><td>${f.answer}</td><td class="nowrap">${formatTime(f.updatedAt)}</td>
              <td class="buttons">
                <button type="button" class="edit" @click=${() => (this.editing = f)}>Edit</button>
                <button type="button" class="archive" @click=${() => this.#archive(f)}>${f.archived ? 'Restore' : 'Archive'}</button>
              </td></tr>`,
          )}</tbody>
        </table></div>
        <h2>${e ? 'Edit FAQ' : 'New FAQ'}</h2>
        <form class="faq-form ${e ? 'edit-faq' : 'new-faq'}" @submit=${this.#save}>
          <label>Type<select name="type">${FAQ_TYPES.map((t) => html`<option value=${t} ?selected=${e?.type === t}>${t}</option>`)}</select></label>
          <label>Questions (one per line)<textarea name="questions" required .value=${e?.questions.join('\n') ?? ''}></textarea></label>
          <label>Answer<textarea name="answer" required maxlength=${LIMITS.faqAnswer} .value=${e?.answer ?? ''}></textarea></label>
          <button type="submit" class="primary">${e ? 'Save' : 'Add FAQ'}</button>
          ${e ? html`<button type="button" @click=${() => (this.editing = null)}>Cancel</button>` : nothing}
        </form>
      </section>
      <section class="csv">
        <h2>CSV</h2>
        <form class="import" @submit=${this.#import}>
          <label>Import (columns type,question,answer)<input type="file" name="csv" accept=".csv,text/csv" required /></label>
          <button type="submit">Import</button>
          <button type="button" class="export" @click=${this.#export}>Export CSV</button>
        </form>
      </section>`;
  }

  #save = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const input: FaqInput = {
      type: String(data.get('type')) as FaqType,
      questions: String(data.get('questions') ?? '')
        .split('\n')
        .map((q) => q.trim())
        .filter(Boolean),
      answer: String(data.get('answer') ?? '').trim(),
    };
    const editing = this.editing;
    void adminAction(this, {
      action: 'faq-save',
      id: editing?.id ?? null,
      input: editing ? { ...input, archived: editing.archived } : input,
      success: editing ? 'FAQ saved' : 'FAQ added',
    }).then((ok) => {
      if (!ok) return;
      this.editing = null;
      form.reset();
    });
  };

  #testFaq = (event: SubmitEvent): void => {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('text') ?? '');
    void adminAction(this, { action: 'faq-test', text });
  };

  #import = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const file = new FormData(form).get('csv');
    if (!(file instanceof File)) return;
    void file
      .text()
      .then((csv) => adminAction(this, { action: 'faq-import', csv }))
      .then((ok) => ok && form.reset());
  };

  #export = (): void => {
    void adminAction(this, { action: 'faq-export' });
  };

  #archive(f: Faq): void {
    const input = { type: f.type, questions: f.questions, answer: f.answer, archived: !f.archived };
    void adminAction(this, { action: 'faq-save', id: f.id, input, success: f.archived ? 'FAQ restored' : 'FAQ archived' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-faqs': AdminFaqs;
  }
}
