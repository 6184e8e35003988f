import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FaqImportResult, FaqTestResult } from '../protocol/api.js';
import { type Agent, FAQ_TYPES, type Faq, type FaqType, type QuickReply } from '../protocol/types.js';
import { panelStyles } from './agent-panel.styles.js';
import type { HubApi } from './api.js';

/** Admin screens: FAQs (with CSV import/export and the test box), quick replies, agents. The hub refuses these to agents too. */
@customElement('sb-admin-view')
export class AdminView extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host { display: grid; gap: 16px; padding: 12px; overflow-y: auto; }
      section { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 10px; }
      h2 { font-size: 15px; margin: 0 0 8px; }
      table { width: 100%; border-collapse: collapse; }
      td, th { text-align: left; border-bottom: 1px solid var(--sb-border); padding: 4px; vertical-align: top; overflow-wrap: anywhere; }
      form { display: flex; gap: 6px; flex-wrap: wrap; align-items: flex-start; margin-top: 8px; }
      textarea { min-width: 220px; }
    `,
  ];

  @property({ attribute: false }) api!: HubApi;
  @property({ attribute: false }) me!: Agent;
  @state() private faqs: Faq[] = [];
  @state() private quickReplies: QuickReply[] = [];
  @state() private agents: Agent[] = [];
  @state() private test: FaqTestResult | null = null;
  @state() private message = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    const [faqs, quickReplies, agents] = await Promise.all([
      this.api.get<{ items: Faq[] }>('/api/faqs'),
      this.api.get<{ items: QuickReply[] }>('/api/quick-replies'),
      this.api.get<{ items: Agent[] }>('/api/agents'),
    ]);
    this.faqs = faqs.items;
    this.quickReplies = quickReplies.items;
    this.agents = agents.items;
  }

  async #do(run: () => Promise<unknown>, done = ''): Promise<void> {
    try {
      await run();
      this.message = done;
      await this.#load();
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
    }
  }

  override render() {
    return html`
      ${this.message ? html`<p role="status">${this.message}</p>` : ''}
      <section class="faqs">
        <h2>FAQs</h2>
        <table>
          <thead><tr><th>Type</th><th>Questions</th><th>Answer</th><th></th></tr></thead>
          <tbody>${this.faqs.map(
            (f) => html`<tr class=${f.archived ? 'muted' : ''}><td>${f.type}</td><td>${f.questions.join(' · ')}</td><td>${f.answer}</td>
              <td><button @click=${() => this.#do(() => this.api.put(`/api/faqs/${f.id}`, { type: f.type, questions: f.questions, answer: f.answer, archived: !f.archived }))}>${f.archived ? 'Restore' : 'Archive'}</button></td></tr>`,
          )}</tbody>
        </table>
        <form class="new-faq" @submit=${this.#addFaq}>
          <select name="type" aria-label="Type">${FAQ_TYPES.map((t) => html`<option value=${t}>${t}</option>`)}</select>
          <textarea name="questions" aria-label="Questions, one per line" placeholder="Questions, one per line" required></textarea>
          <textarea name="answer" aria-label="Answer" placeholder="Answer" required></textarea>
          <button type="submit" class="primary">Add FAQ</button>
        </form>
        <form class="faq-test" @submit=${this.#testFaq}>
          <input name="text" aria-label="Test a question" placeholder="Test a visitor question…" required />
          <button type="submit">Test FAQ</button>
          <span class="test-result">${this.test === null ? '' : this.test.match ? `→ “${this.test.match.question}” (score ${this.test.match.score.toFixed(2)}): ${this.test.match.faq.answer}` : 'No match: the bot would use its fallback answer'}</span>
        </form>
        <form @submit=${this.#import}>
          <label>Import CSV (type,question,answer) <input type="file" name="csv" accept=".csv,text/csv" required /></label>
          <button type="submit">Import</button>
          <button type="button" @click=${() => this.#do(() => this.api.download('/api/faqs/export.csv', 'faqs.csv'))}>Export CSV</button>
        </form>
      </section>
      <section class="quick-replies">
        <h2>Quick replies</h2>
        <table><thead><tr><th>Name</th><th>Text</th><th>When</th><th>Enabled</th></tr></thead>
          <tbody>${this.quickReplies.map(
            (q) => html`<tr><td>${q.name}</td><td>${q.text}</td><td>${q.windows.map((w) => `${w.days.join(',')} ${w.start}–${w.end}`).join('; ')} (${q.timezone})</td>
              <td><input type="checkbox" aria-label="Enabled" .checked=${q.enabled} @change=${(e: Event) => this.#do(() => this.api.put(`/api/quick-replies/${q.id}`, { name: q.name, text: q.text, choices: q.choices, timezone: q.timezone, windows: q.windows, enabled: (e.target as HTMLInputElement).checked }))} /></td></tr>`,
          )}</tbody></table>
      </section>
      <section class="agents">
        <h2>Agents</h2>
        <table><thead><tr><th>Name</th><th>Email</th><th>Role</th><th></th></tr></thead>
          <tbody>${this.agents.map(
            (a) => html`<tr><td>${a.name}${a.online ? ' ●' : ''}</td><td>${a.email}</td><td>${a.role}</td>
              <td>${a.id === this.me.id ? '' : html`<button class="danger" @click=${() => confirm(`Remove ${a.name}?`) && this.#do(() => this.api.delete(`/api/agents/${a.id}`))}>Remove</button>`}</td></tr>`,
          )}</tbody></table>
        <form class="new-agent" @submit=${this.#addAgent}>
          <input name="name" aria-label="Name" placeholder="Name" required /><input name="email" type="email" aria-label="Email" placeholder="Email" required />
          <input name="password" type="password" aria-label="Password" placeholder="Password (8+)" minlength="8" required />
          <select name="role" aria-label="Role"><option value="agent">agent</option><option value="admin">admin</option></select>
          <button type="submit">Add agent</button>
        </form>
      </section>`;
  }

  #addFaq = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const questions = String(data.get('questions')).split('\n').map((q) => q.trim()).filter(Boolean);
    void this.#do(async () => {
      await this.api.post('/api/faqs', { type: data.get('type') as FaqType, questions, answer: String(data.get('answer')) });
      form.reset();
    }, 'FAQ added');
  };

  #testFaq = (event: SubmitEvent): void => {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('text'));
    void this.api.post<FaqTestResult>('/api/faqs/test', { text }).then((result) => (this.test = result));
  };

  #import = (event: SubmitEvent): void => {
    event.preventDefault();
    const file = new FormData(event.target as HTMLFormElement).get('csv');
    if (!(file instanceof File)) return;
    void this.#do(async () => {
      const result = await this.api.request<FaqImportResult>('POST', '/api/faqs/import', await file.text(), 'text/csv');
      this.message = `Imported ${result.imported} FAQs${result.errors.length ? `; ${result.errors.length} lines skipped` : ''}`;
    });
  };

  #addAgent = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = Object.fromEntries(new FormData(form));
    void this.#do(async () => {
      await this.api.post('/api/agents', data);
      form.reset();
    }, 'Agent added');
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-admin-view': AdminView;
  }
}
