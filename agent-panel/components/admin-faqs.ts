import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { FaqInput, FaqTestResult } from '../../protocol/api.js';
import { LIMITS } from '../../protocol/limits.js';
import { FAQ_TYPES, type Faq, type FaqType } from '../../protocol/types.js';
import { panelStyles } from '../agent-panel.styles.js';
import { formatTime } from '../format.js';
import { adminAction, adminStyles } from './admin-shared.js';

/** A new FAQ is a question about the business unless the admin says otherwise (small talk matches differently). */
const NEW_FAQ_TYPE: FaqType = 'general';

/**
 * FAQs: list (with archived), create, edit, clone (a new FAQ from a copy), archive/restore, CSV import/export with a
 * sample file, and the "test FAQ" box (the best match, its score against the live threshold, and whether the bot would answer).
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
  /** A clone: the new-FAQ form starts from a copy of this FAQ (saved as a new one). */
  @state() private draft: FaqInput | null = null;
  /** A new key renders a fresh form (the values of `editing` or `draft`, or empty), so typed text is never overwritten by a re-render. */
  @state() private formKey = 0;

  override render() {
    const e = this.editing;
    const values = e ?? this.draft;
    return html`
      <section class="faq-test-box">
        <h2>Test FAQ</h2>
        <form class="faq-test" @submit=${this.#testFaq}>
          <input name="text" aria-label="A visitor question to test" placeholder="Type a visitor question…" required style="flex:1;min-width:180px" />
          <button type="submit">Test</button>
        </form>
        ${this.test === null ? nothing : testResult(this.test)}
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
                <button type="button" class="edit" @click=${() => this.#open(f, null)}>Edit</button>
                <button type="button" class="clone" aria-label="Clone “${f.questions[0] ?? f.answer}”" @click=${() => this.#open(null, f)}>Clone</button>
                <button type="button" class="archive" @click=${() => this.#archive(f)}>${f.archived ? 'Restore' : 'Archive'}</button>
              </td></tr>`,
          )}</tbody>
        </table></div>
        <h2 id="faq-form-title">${e ? 'Edit FAQ' : this.draft ? 'New FAQ (copy: edit, then add)' : 'New FAQ'}</h2>
        ${keyed(
          this.formKey,
          html`<form class="faq-form ${e ? 'edit-faq' : 'new-faq'} ${this.draft ? 'cloned' : ''}" aria-labelledby="faq-form-title" @submit=${this.#save}>
          <label>Type<select name="type">${FAQ_TYPES.map((t) => html`<option value=${t} ?selected=${(values?.type ?? NEW_FAQ_TYPE) === t}>${t}</option>`)}</select></label>
          <label>Questions (one per line)<textarea name="questions" required .value=${values?.questions.join('\n') ?? ''}></textarea></label>
          <label>Answer<textarea name="answer" required maxlength=${LIMITS.faqAnswer} .value=${values?.answer ?? ''}></textarea></label>
          <button type="submit" class="primary">${e ? 'Save' : 'Add FAQ'}</button>
          ${values ? html`<button type="button" class="cancel" @click=${() => this.#open(null, null)}>Cancel</button>` : nothing}
        </form>`,
        )}
        <p class="muted placeholders">Answers may use the visitor's data: {first_name}, {last_name}, {email}, {phone_number}; {first_name|there} says “there” when the first name is unknown.</p>
      </section>
      <section class="csv">
        <h2>CSV</h2>
        <form class="import" @submit=${this.#import}>
          <label>Import (columns type,question,answer; one row per question)<input type="file" name="csv" accept=".csv,text/csv" required /></label>
          <button type="submit">Import</button>
          <button type="button" class="sample" @click=${() => adminAction(this, { action: 'faq-sample' })}>Download sample CSV</button>
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
    }).then((ok) => ok && this.#open(null, null));
  };

  /** Shows `faq` in the form to edit it, or a copy of `copy` as a new FAQ, or (both null) an empty new FAQ. */
  #open(faq: Faq | null, copy: Faq | null): void {
    this.editing = faq;
    this.draft = copy ? { type: copy.type, questions: [...copy.questions], answer: copy.answer } : null;
    this.formKey += 1;
    if (!faq && !copy) return;
    void this.updateComplete.then(() => {
      const questions = this.renderRoot.querySelector<HTMLTextAreaElement>('form.faq-form textarea[name="questions"]');
      questions?.scrollIntoView({ block: 'nearest' });
      questions?.focus();
    });
  }

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

/** The test box's answer: the match and its score, the threshold, and what the bot would do. */
function testResult(test: FaqTestResult) {
  const threshold = test.threshold.toFixed(2);
  const m = test.match;
  if (!m)
    return html`<div class="result test-result no-match" role="status">No match: the bot would not answer with an FAQ; it would send its fallback text.</div>`;
  const verdict = test.wouldAnswer
    ? `The bot would answer (score ${m.score.toFixed(2)} ≥ threshold ${threshold}):\n${m.faq.answer}`
    : `The bot would not answer with this FAQ: the score ${m.score.toFixed(2)} is below the threshold ${threshold}, so it would send its fallback text.`;
  return html`<div class="result test-result ${test.wouldAnswer ? 'would-answer' : 'would-not-answer'}" role="status">Matches “${m.question}” — score ${m.score.toFixed(2)} (threshold ${threshold})\n${verdict}</div>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-faqs': AdminFaqs;
  }
}
