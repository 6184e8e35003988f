// Bot and admin screens (session 5) against the real hub: bot settings, the test box's verdict, FAQ clone, the
// sample CSV, deleting a conversation, and the quick replies' schedule editor. The hub is shared by every browser
// test: unique data, no absolute counts, and the shared settings changed here are restored.
import { expect, waitUntil } from '@open-wc/testing';
import type { BotSettings } from '../protocol/api.js';
import type { Faq, QuickReply } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, listedIds, login, newAgent, open, panel, root, unique, view, viewRoot, visitor } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel, tag: string) => admin$(el)?.querySelector(tag)?.shadowRoot as ShadowRoot;
const status = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('.status')?.textContent ?? '';

/** Sets a control's value as a person would (the `input` and `change` events fire). */
function set(control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
}

function tick(box: HTMLInputElement, on: boolean): void {
  if (box.checked !== on) box.click();
}

/** A signed-in admin panel on one admin screen. */
async function adminScreen(token: string, tab: string, tag: string): Promise<{ el: SwitchboardAgentPanel; s: () => ShadowRoot }> {
  const el = await panel(token);
  (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
  await waitUntil(() => admin$(el)?.querySelector(`.tab-${tab}`), 'admin screens not shown');
  admin$(el).querySelector<HTMLButtonElement>(`.tab-${tab}`)?.click();
  await waitUntil(() => screen(el, tag)?.querySelector('form'), `${tab} not shown`);
  return { el, s: () => screen(el, tag) };
}

describe('<switchboard-agent-panel> bot and admin screens', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('bot settings: saved and shown again; the hub’s refusal shows next to the field', async () => {
    const original = await api<BotSettings>(admin, 'GET', '/api/settings');
    try {
      const { el, s } = await adminScreen(admin, 'settings', 'sb-admin-settings');
      const form = () => s().querySelector('form.bot-settings-form') as HTMLFormElement;
      const field = <T extends HTMLElement>(name: string) => form().querySelector(`[name="${name}"]`) as unknown as T;
      expect(field<HTMLInputElement>('botName').value).to.equal(original.botName);
      expect(field<HTMLTextAreaElement>('greeting').value).to.equal(original.greeting);
      expect(s().querySelector('output.threshold-value')?.textContent).to.equal(original.faqThreshold.toFixed(2));
      await expect(el).to.be.accessible();

      const name = `Bot ${unique()}`;
      set(field('botName'), name);
      set(field('greeting'), 'Hi {first_name|there}! How can I help?');
      set(field('fallbackText'), `Sorry {first_name|friend}, I did not get that (${name}).`);
      set(field('handoffText'), 'A person will join, {first_name|there}.');
      set(field('faqThreshold'), '0.65');
      await waitUntil(() => s().querySelector('output.threshold-value')?.textContent === '0.65', 'the slider’s value is not shown');
      form().requestSubmit();
      await waitUntil(() => status(el).includes('Bot settings saved'), `not saved: ${status(el)}`);
      const saved = await api<BotSettings>(admin, 'GET', '/api/settings');
      expect(saved).to.include({
        botName: name,
        greeting: 'Hi {first_name|there}! How can I help?',
        fallbackText: `Sorry {first_name|friend}, I did not get that (${name}).`,
        handoffText: 'A person will join, {first_name|there}.',
        faqThreshold: 0.65,
      });

      // Shown again by a fresh panel.
      const again = await adminScreen(admin, 'settings', 'sb-admin-settings');
      const form2 = again.s().querySelector('form.bot-settings-form') as HTMLFormElement;
      expect((form2.querySelector('[name="botName"]') as HTMLInputElement).value).to.equal(name);
      expect((form2.querySelector('[name="faqThreshold"]') as HTMLInputElement).value).to.equal('0.65');
      expect(again.s().querySelector('output.threshold-value')?.textContent).to.equal('0.65');

      // A blank name: the hub refuses it (400, field botName) and the form says so next to the field.
      set(field('botName'), '   ');
      form().requestSubmit();
      await waitUntil(() => s().querySelector('#botName-error')?.textContent, 'no inline error');
      expect(s().querySelector('#botName-error')?.textContent).to.contain("can't be blank");
      expect(field('botName').getAttribute('aria-invalid')).to.equal('true');
      expect(status(el)).to.contain('Not saved');
      expect((await api<BotSettings>(admin, 'GET', '/api/settings')).botName).to.equal(name);
      // Fixed and saved: the error goes.
      set(field('botName'), `${name}!`);
      form().requestSubmit();
      await waitUntil(() => !s().querySelector('#botName-error')?.textContent && status(el).includes('Bot settings saved'), 'error not cleared');
    } finally {
      const { botName, greeting, fallbackText, handoffText, faqThreshold, responderPriority } = original;
      await api(admin, 'PUT', '/api/settings', { botName, greeting, fallbackText, handoffText, faqThreshold, responderPriority });
    }
  });

  it('Test FAQ says whether the bot would answer: a match below the live threshold would not', async () => {
    const w = `blorp${unique()}`;
    await api<Faq>(admin, 'POST', '/api/faqs', { type: 'general', questions: [`Can I ${w} parcels abroad quickly?`], answer: `Yes, ${w} works.` });
    const { faqThreshold: threshold } = await api<BotSettings>(admin, 'GET', '/api/settings');
    const { s } = await adminScreen(admin, 'faqs', 'sb-admin-faqs');
    const testForm = () => s().querySelector('form.faq-test') as HTMLFormElement;
    const result = () => s().querySelector('.test-result');

    // One word of four: a match, but a weak one.
    set(testForm().querySelector('input[name="text"]') as HTMLInputElement, `${w} tomorrow`);
    testForm().requestSubmit();
    await waitUntil(() => result(), 'no test result');
    expect(result()?.classList.contains('would-not-answer')).to.equal(true);
    expect(result()?.textContent).to.match(
      new RegExp(`Matches “Can I ${w} parcels abroad quickly\\?” — score 0\\.\\d\\d \\(threshold ${threshold.toFixed(2).replace('.', '\\.')}\\)`),
    );
    expect(result()?.textContent).to.contain('The bot would not answer with this FAQ');
    expect(result()?.textContent).to.contain(`below the threshold ${threshold.toFixed(2)}`);

    set(testForm().querySelector('input[name="text"]') as HTMLInputElement, `Can I ${w} parcels abroad quickly?`);
    testForm().requestSubmit();
    await waitUntil(() => result()?.classList.contains('would-answer'), 'no “would answer” result');
    expect(result()?.textContent).to.contain(`The bot would answer (score 1.00 ≥ threshold ${threshold.toFixed(2)})`);
    expect(result()?.textContent).to.contain(`Yes, ${w} works.`);
  });

  it('Clone opens the FAQ editor pre-filled as a new FAQ; saving adds one and leaves the original', async () => {
    const w = `clonk${unique()}`;
    const original = await api<Faq>(admin, 'POST', '/api/faqs', { type: 'closing', questions: [`${w} bye`, `${w} ciao`], answer: `Bye from ${w}` });
    const { el, s } = await adminScreen(admin, 'faqs', 'sb-admin-faqs');
    await waitUntil(() => s().querySelector(`tr.faq[data-id="${original.id}"]`), 'FAQ not listed');
    (s().querySelector(`tr.faq[data-id="${original.id}"] button.clone`) as HTMLButtonElement).click();
    await waitUntil(() => s().querySelector('form.faq-form.new-faq.cloned'), 'no cloned form');
    const form = s().querySelector('form.faq-form') as HTMLFormElement;
    expect((form.querySelector('[name="type"]') as HTMLSelectElement).value).to.equal('closing');
    expect((form.querySelector('[name="questions"]') as HTMLTextAreaElement).value).to.equal(`${w} bye\n${w} ciao`);
    expect((form.querySelector('[name="answer"]') as HTMLTextAreaElement).value).to.equal(`Bye from ${w}`);
    expect(s().activeElement?.getAttribute('name')).to.equal('questions');
    set(form.querySelector('[name="answer"]') as HTMLTextAreaElement, `Goodbye from ${w}`);
    form.requestSubmit();
    await waitUntil(() => status(el).includes('FAQ added'), `not added: ${status(el)}`);
    await waitUntil(() => !s().querySelector('form.faq-form.cloned'), 'the form did not return to a new FAQ');
    expect((s().querySelector('form.faq-form [name="answer"]') as HTMLTextAreaElement).value).to.equal('');
    expect((s().querySelector('form.faq-form [name="type"]') as HTMLSelectElement).value).to.equal('general');

    const mine = (await api<{ items: Faq[] }>(admin, 'GET', '/api/faqs')).items.filter((f) => f.questions.includes(`${w} bye`));
    expect(mine.map((f) => f.answer).sort()).to.deep.equal([`Bye from ${w}`, `Goodbye from ${w}`]);
    const copy = mine.find((f) => f.id !== original.id) as Faq;
    expect(copy.questions).to.deep.equal(original.questions);
    expect(copy.type).to.equal('closing');
    for (const f of mine) await api(admin, 'DELETE', `/api/faqs/${f.id}`);
  });

  it('Download sample CSV fetches the sample (with the token) and offers it as a file', async () => {
    const { s } = await adminScreen(admin, 'faqs', 'sb-admin-faqs');
    const clicked: { href: string; download: string }[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    };
    try {
      const button = s().querySelector('form.import button.sample') as HTMLButtonElement;
      expect(button.textContent).to.equal('Download sample CSV');
      button.click();
      await waitUntil(() => clicked.length > 0, 'no download offered');
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    const [file] = clicked;
    expect(file?.download).to.equal('faqs-sample.csv');
    const text = await (await fetch(file?.href ?? '')).text();
    expect(text.split('\n')[0]).to.equal('type,question,answer');
    expect(text).to.contain('{first_name|there}');
  });

  it('an admin deletes a conversation after confirming; it closes and leaves the list', async () => {
    const v = await visitor(`delete me ${unique()}`, { first_name: 'Doomed' });
    const el = await panel(admin);
    await waitUntil(() => listedIds(el).includes(v.conversationId), 'conversation not listed');
    await open(el, v.conversationId);
    const dialog = () => viewRoot(el).querySelector('dialog.delete-conversation') as HTMLDialogElement;
    const button = viewRoot(el).querySelector('button.delete-conversation') as HTMLButtonElement;
    expect(button.textContent?.trim()).to.equal('Delete');

    // Cancel keeps it.
    button.click();
    await waitUntil(() => dialog().open, 'no confirmation dialog');
    expect(dialog().textContent).to.contain('Doomed');
    await expect(dialog()).to.be.accessible();
    (dialog().querySelector('button.cancel') as HTMLButtonElement).click();
    expect(dialog().open).to.equal(false);
    expect(view(el)?.detail.conversation.id).to.equal(v.conversationId);
    expect(await api(admin, 'GET', `/api/conversations/${v.conversationId}`)).to.exist;

    // Confirm deletes it: the view closes and the list drops it.
    button.click();
    await waitUntil(() => dialog().open);
    (dialog().querySelector('button.confirm-delete') as HTMLButtonElement).click();
    await waitUntil(() => !view(el) && !listedIds(el).includes(v.conversationId), 'still shown after delete');
    const res = await fetch(`${window.__HUB__.url}/api/conversations/${v.conversationId}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).to.equal(404);
    v.socket.disconnect();
  });

  it('an agent sees no delete button', async () => {
    const { token } = await newAgent(admin, `Ann ${unique()}`);
    const v = await visitor(`keep me ${unique()}`, { first_name: 'Kept' });
    const el = await panel(token);
    await open(el, v.conversationId);
    expect(viewRoot(el).querySelector('.actions button.close')).to.exist;
    expect(viewRoot(el).querySelector('button.delete-conversation')).to.equal(null);
    expect(viewRoot(el).querySelector('dialog.delete-conversation')).to.equal(null);
    v.socket.disconnect();
  });

  it('quick replies: the schedule editor builds windows, checks each row inline, and edits them back', async () => {
    const { el, s } = await adminScreen(admin, 'quick-replies', 'sb-admin-quick-replies');
    const form = () => s().querySelector('form.quick-reply-form') as HTMLFormElement;
    const rows = () => [...s().querySelectorAll<HTMLElement>('.window')];
    const row = (i: number) => rows()[i] as HTMLElement;
    const day = (row: HTMLElement, d: number) => row.querySelector(`input.day[value="${d}"]`) as HTMLInputElement;
    const name = `Weekend ${unique()}`;
    set(form().querySelector('[name="name"]') as HTMLInputElement, name);
    set(form().querySelector('[name="text"]') as HTMLTextAreaElement, 'Our team is off, {first_name|there}.');
    tick(form().querySelector('[name="enabled"]') as HTMLInputElement, false); // never answers other tests' visitors
    expect(s().querySelector('#schedule-hint')?.textContent).to.contain('A window may wrap midnight');
    const zones = [...(s().querySelector('select.timezone') as HTMLSelectElement).options].map((o) => o.value);
    expect(zones).to.include.members(['Europe/Paris', 'America/New_York', 'UTC']);
    set(s().querySelector('select.timezone') as HTMLSelectElement, 'America/New_York');

    // Row 1 (new forms start Mon–Fri 09:00–17:00): no day at all.
    expect(rows()).to.have.length(1);
    for (const d of [1, 2, 3, 4, 5]) tick(day(row(0), d), false);
    // Row 2: Mon and Wed, 08:00–08:00.
    (s().querySelector('button.add-window') as HTMLButtonElement).click();
    await waitUntil(() => rows().length === 2);
    const second = row(1);
    for (const d of [2, 4, 5]) tick(day(second, d), false);
    set(second.querySelector('input.start') as HTMLInputElement, '08:00');
    set(second.querySelector('input.end') as HTMLInputElement, '08:00');
    // Row 3, added then removed.
    (s().querySelector('button.add-window') as HTMLButtonElement).click();
    await waitUntil(() => rows().length === 3);
    (row(2).querySelector('button.remove-window') as HTMLButtonElement).click();
    await waitUntil(() => rows().length === 2);

    form().requestSubmit();
    await waitUntil(() => s().querySelector('#window-0-error')?.textContent, 'no inline error');
    expect(s().querySelector('#window-0-error')?.textContent).to.equal('Choose at least one day.');
    expect(s().querySelector('#window-1-error')?.textContent).to.contain('The end equals the start');
    expect(rows().every((r) => r.classList.contains('invalid'))).to.equal(true);
    expect((await api<{ items: QuickReply[] }>(admin, 'GET', '/api/quick-replies')).items.some((q) => q.name === name)).to.equal(false);

    // Fixed: row 1 Sat + Sun all day, row 2 ends at 12:00.
    tick(day(row(0), 6), true);
    tick(day(row(0), 0), true);
    tick(row(0).querySelector('input.all-day') as HTMLInputElement, true);
    await waitUntil(() => (row(0).querySelector('input.start') as HTMLInputElement).disabled);
    set(row(1).querySelector('input.end') as HTMLInputElement, '12:00');
    await waitUntil(() => !s().querySelector('.window.invalid'), 'errors stay after the fix');
    form().requestSubmit();
    await waitUntil(() => [...s().querySelectorAll('tr.quick-reply')].some((tr) => tr.textContent?.includes(name)), `not listed: ${status(el)}`);
    const stored = (await api<{ items: QuickReply[] }>(admin, 'GET', '/api/quick-replies')).items.find((q) => q.name === name) as QuickReply;
    expect(stored.windows).to.deep.equal([
      { days: [6, 0], start: '00:00', end: '00:00' },
      { days: [1, 3], start: '08:00', end: '12:00' },
    ]);
    expect(stored.timezone).to.equal('America/New_York');
    expect(stored.enabled).to.equal(false);
    const listed = s().querySelector(`tr.quick-reply[data-id="${stored.id}"]`);
    expect(listed?.querySelector('.when')?.textContent).to.equal('Sat, Sun all day; Mon, Wed 08:00–12:00 (America/New_York)');
    // The form is empty again, with one fresh window.
    expect((form().querySelector('[name="name"]') as HTMLInputElement).value).to.equal('');
    expect(rows()).to.have.length(1);

    // Edit shows the windows as rows; a night window wraps midnight.
    (listed?.querySelector('button.edit') as HTMLButtonElement | undefined)?.click();
    await waitUntil(() => (form().querySelector('[name="name"]') as HTMLInputElement).value === name);
    expect(rows()).to.have.length(2);
    expect((row(0).querySelector('input.all-day') as HTMLInputElement).checked).to.equal(true);
    expect([6, 0].map((d) => day(row(0), d).checked)).to.deep.equal([true, true]);
    expect((s().querySelector('select.timezone') as HTMLSelectElement).value).to.equal('America/New_York');
    set(row(1).querySelector('input.start') as HTMLInputElement, '18:00');
    set(row(1).querySelector('input.end') as HTMLInputElement, '09:00');
    await waitUntil(() => row(1).textContent?.includes('ends the next day'), 'no next-day hint');
    await expect(el).to.be.accessible();
    form().requestSubmit();
    await waitUntil(() => status(el).includes('Quick reply saved'), `not saved: ${status(el)}`);
    const edited = (await api<{ items: QuickReply[] }>(admin, 'GET', '/api/quick-replies')).items.find((q) => q.id === stored.id);
    expect(edited?.windows[1]).to.deep.equal({ days: [1, 3], start: '18:00', end: '09:00' });
    await api(admin, 'DELETE', `/api/quick-replies/${stored.id}`);
  });
});
