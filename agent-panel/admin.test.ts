// Admin screens and role checks against the real hub.
import { expect, waitUntil } from '@open-wc/testing';
import type { Agent, Faq, QuickReply } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, listedIds, login, newAgent, panel, root, testHub, unique, visitor } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel, tag: string) => admin$(el)?.querySelector(tag)?.shadowRoot as ShadowRoot;
const status = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('.status')?.textContent ?? '';

function fill(form: HTMLFormElement, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) (form.querySelector(`[name="${name}"]`) as HTMLInputElement).value = value;
}

describe('<switchboard-agent-panel> admin screens', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('FAQs: create, test box with match and score, edit, CSV export, archive, CSV import', async () => {
    const el = await panel(admin);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => screen(el, 'sb-admin-faqs')?.querySelector('form.new-faq'), 'FAQ screen not shown');
    const faqs = () => screen(el, 'sb-admin-faqs');
    const word = `zorblax${unique()}`;

    fill(faqs().querySelector('form.new-faq') as HTMLFormElement, {
      type: 'general',
      questions: `How do I ${word} my order?\nCan I ${word}?`,
      answer: `You can ${word} it in your account.`,
    });
    (faqs().querySelector('form.new-faq') as HTMLFormElement).requestSubmit();
    await waitUntil(() => [...faqs().querySelectorAll('tr.faq')].some((tr) => tr.textContent?.includes(`How do I ${word}`)), 'FAQ not listed');
    expect(status(el)).to.contain('FAQ added');

    const test = faqs().querySelector('form.faq-test') as HTMLFormElement;
    fill(test, { text: `how do i ${word} my order` });
    test.requestSubmit();
    await waitUntil(() => faqs().querySelector('.test-result'), 'no test result');
    expect(faqs().querySelector('.test-result')?.textContent).to.match(new RegExp(`Matches “How do I ${word} my order\\?” — score [01]\\.\\d\\d`));

    const row = () => [...faqs().querySelectorAll<HTMLElement>('tr.faq')].find((tr) => tr.textContent?.includes(word)) as HTMLElement;
    (row().querySelector('button.edit') as HTMLButtonElement).click();
    await waitUntil(() => faqs().querySelector('form.edit-faq'));
    fill(faqs().querySelector('form.edit-faq') as HTMLFormElement, { answer: `Edited ${word} answer` });
    (faqs().querySelector('form.edit-faq') as HTMLFormElement).requestSubmit();
    await waitUntil(() => row()?.textContent?.includes(`Edited ${word} answer`), 'edit not saved');
    const csv = await el.api.fetchFile('GET /api/faqs/export.csv', {}, 'faqs.csv');
    expect(await csv.blob.text()).to.contain(`general,How do I ${word} my order?,Edited ${word} answer`);
    (row().querySelector('button.archive') as HTMLButtonElement).click();
    await waitUntil(() => row()?.classList.contains('archived'), 'not archived');
    const stored = (await api<{ items: Faq[] }>(admin, 'GET', '/api/faqs')).items.find((f) => f.answer === `Edited ${word} answer`);
    expect(stored?.archived).to.equal(true);

    const imported = `quxil${unique()}`;
    const file = new File([`type,question,answer\ngeneral,What is ${imported}?,${imported} is a thing\nbogus,x,y\n`], 'faqs.csv', { type: 'text/csv' });
    const input = faqs().querySelector('form.import input[type=file]') as HTMLInputElement;
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    (faqs().querySelector('form.import') as HTMLFormElement).requestSubmit();
    await waitUntil(() => status(el).includes('Imported 1 FAQs'), `import not reported: ${status(el)}`);
    expect(status(el)).to.contain('line 3');
    await waitUntil(() => faqs().textContent?.includes(`What is ${imported}?`), 'imported FAQ not listed');
  });

  it('quick replies with time windows, responder priority, and agents', async () => {
    const el = await panel(admin);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => admin$(el)?.querySelector('.tab-quick-replies'));
    admin$(el).querySelector<HTMLButtonElement>('.tab-quick-replies')?.click();
    await waitUntil(() => screen(el, 'sb-admin-quick-replies')?.querySelector('form.quick-reply-form .window'));
    const qr = () => screen(el, 'sb-admin-quick-replies');
    const name = `Night ${unique()}`;
    const form = qr().querySelector('form.quick-reply-form') as HTMLFormElement;
    fill(form, { name, text: 'We are closed, back at 9.', choices: 'Leave a message, FAQ' });
    const zone = qr().querySelector('select.timezone') as HTMLSelectElement;
    zone.value = 'Europe/Paris';
    zone.dispatchEvent(new Event('change'));
    // The new form's window is Mon–Fri; its times become the night.
    const row = qr().querySelector('.window') as HTMLElement;
    for (const [selector, value] of [
      ['input.start', '18:00'],
      ['input.end', '09:00'],
    ] as const) {
      const input = row.querySelector(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    form.requestSubmit();
    await waitUntil(() => [...qr().querySelectorAll('tr.quick-reply')].some((tr) => tr.textContent?.includes(name)), `quick reply not listed: ${status(el)}`);
    const stored = (await api<{ items: QuickReply[] }>(admin, 'GET', '/api/quick-replies')).items.find((q) => q.name === name);
    expect(stored?.windows).to.deep.equal([{ days: [1, 2, 3, 4, 5], start: '18:00', end: '09:00' }]);
    expect(stored?.timezone).to.equal('Europe/Paris');
    expect(stored?.choices).to.deep.equal(['Leave a message', 'FAQ']);
    const listed = [...qr().querySelectorAll('tr.quick-reply')].find((tr) => tr.textContent?.includes(name));
    expect(listed?.querySelector('.when')?.textContent).to.equal('Mon–Fri 18:00–09:00 (next day) (Europe/Paris)');

    admin$(el).querySelector<HTMLButtonElement>('.tab-settings')?.click();
    await waitUntil(() => screen(el, 'sb-admin-settings')?.querySelector('.priority button.up'));
    const before = (await api<{ responderPriority: string[] }>(admin, 'GET', '/api/settings')).responderPriority;
    screen(el, 'sb-admin-settings').querySelector<HTMLButtonElement>('.priority button.up')?.click();
    await waitUntil(
      async () => (await api<{ responderPriority: string[] }>(admin, 'GET', '/api/settings')).responderPriority.join() === [...before].reverse().join(),
      'priority not saved',
    );
    await api(admin, 'PUT', '/api/settings', { responderPriority: before });

    admin$(el).querySelector<HTMLButtonElement>('.tab-agents')?.click();
    await waitUntil(() => screen(el, 'sb-admin-agents')?.querySelector('form.new-agent'));
    const agents = () => screen(el, 'sb-admin-agents');
    const email = `${unique()}@team.local`;
    fill(agents().querySelector('form.new-agent') as HTMLFormElement, { name: 'Nina', email, password: 'password-123', role: 'agent' });
    (agents().querySelector('form.new-agent') as HTMLFormElement).requestSubmit();
    await waitUntil(() => agents().textContent?.includes(email), 'agent not listed');
    const nina = (await api<{ items: Agent[] }>(admin, 'GET', '/api/agents')).items.find((a) => a.email === email) as Agent;
    const role = agents().querySelector(`tr[data-id="${nina.id}"] select`) as HTMLSelectElement;
    role.value = 'admin';
    role.dispatchEvent(new Event('change'));
    await waitUntil(
      async () => (await api<{ items: Agent[] }>(admin, 'GET', '/api/agents')).items.find((a) => a.id === nina.id)?.role === 'admin',
      'role not changed',
    );
  });

  it('an agent sees no admin screens nor conversations outside its visibility, and the hub refuses both', async () => {
    const { token } = await newAgent(admin, 'Rita');
    const v = await visitor('restricted one', { first_name: 'Hidden' });
    const me = await api<Agent>(admin, 'GET', '/api/me');
    await api(admin, 'PUT', `/api/conversations/${v.conversationId}/visibility`, { agentIds: [me.id] });
    const el = await panel(token);
    expect(root(el).querySelector('.admin-tab')).to.equal(null);
    expect(root(el).querySelector('sb-admin-view')).to.equal(null);
    expect(listedIds(el)).not.to.include(v.conversationId);
    expect(await el.openConversation(v.conversationId)).to.equal(false);
    await waitUntil(() => root(el).querySelector('.alert'), 'refusal not shown');

    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${testHub.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await call('POST', '/api/faqs', { type: 'general', questions: ['x'], answer: 'y' })).status).to.equal(403);
    expect((await call('POST', '/api/agents', { email: 'x@y.z', name: 'x', role: 'admin', password: 'password-123' })).status).to.equal(403);
    expect((await call('PUT', '/api/settings', { botName: 'Evil' })).status).to.equal(403);
    expect([403, 404]).to.include((await call('GET', `/api/conversations/${v.conversationId}`)).status);

    // A live update of the hidden conversation never reaches the agent's list.
    await v.say('still hidden?');
    const adminPanel = await panel(admin);
    await waitUntil(() => listedIds(adminPanel).includes(v.conversationId));
    expect(listedIds(el)).not.to.include(v.conversationId);
    expect(root(adminPanel).querySelector('.admin-tab')).to.exist;
    v.socket.disconnect();
  });
});
