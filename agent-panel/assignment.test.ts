// Auto-assignment's admin controls against the real hub: the mode select and the reassignment delay
// (Quick replies, bot & assignment screen), and the per-agent "Max open conversations" input (Agents).
import { expect, waitUntil } from '@open-wc/testing';
import type { Agent, Settings } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, login, newAgent, panel, root } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel, tag: string) => admin$(el)?.querySelector(tag)?.shadowRoot as ShadowRoot;
const status = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('.status')?.textContent ?? '';

describe('<switchboard-agent-panel> auto-assignment controls', () => {
  let admin: string;
  let me: Agent;
  before(async () => {
    admin = await login();
    me = await api<Agent>(admin, 'GET', '/api/me');
    // This hub is shared by every browser suite: while assignment is on here, the admin's own panel
    // (online) must not take other suites' queued conversations, so the admin takes none.
    await api(admin, 'PUT', `/api/agents/${me.id}`, { maxOpen: 0 });
  });
  after(async () => {
    await api(admin, 'PUT', '/api/settings', { assignment: 'off', reassignAfterMinutes: null });
    await api(admin, 'PUT', `/api/agents/${me.id}`, { maxOpen: null });
  });

  it('the mode select and the reassignment minutes save the hub settings', async () => {
    const el = await panel(admin);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => admin$(el)?.querySelector('.tab-settings'));
    admin$(el).querySelector<HTMLButtonElement>('.tab-settings')?.click();
    await waitUntil(() => screen(el, 'sb-admin-assignment')?.querySelector('select.assignment-mode'), 'assignment section not shown');
    const section = () => screen(el, 'sb-admin-assignment');
    const settings = () => api<Settings>(admin, 'GET', '/api/settings');
    expect((section().querySelector('select.assignment-mode') as HTMLSelectElement).value).to.equal((await settings()).assignment);

    const select = section().querySelector('select.assignment-mode') as HTMLSelectElement;
    select.value = 'balanced';
    select.dispatchEvent(new Event('change'));
    await waitUntil(async () => (await settings()).assignment === 'balanced', 'mode not saved');
    await waitUntil(() => status(el).includes('Assignment saved'), `no status: ${status(el)}`);

    const form = section().querySelector('form.reassign') as HTMLFormElement;
    (form.querySelector('[name="minutes"]') as HTMLInputElement).value = '20';
    form.requestSubmit();
    await waitUntil(async () => (await settings()).reassignAfterMinutes === 20, 'minutes not saved');
    await waitUntil(() => (section().querySelector('[name="minutes"]') as HTMLInputElement).value === '20', 'minutes not shown after reload');

    (section().querySelector('[name="minutes"]') as HTMLInputElement).value = '';
    (section().querySelector('form.reassign') as HTMLFormElement).requestSubmit();
    await waitUntil(async () => (await settings()).reassignAfterMinutes === null, 'empty did not mean never');
    const after = await settings();
    expect(after.assignment).to.equal('balanced', 'the other settings are kept');
    expect(after.responderPriority.length).to.be.greaterThan(0);
  });

  it('the "Max open conversations" input sets and clears an agent\'s cap', async () => {
    const { agent } = await newAgent(admin, 'Capped');
    const el = await panel(admin);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => admin$(el)?.querySelector('.tab-agents'));
    admin$(el).querySelector<HTMLButtonElement>('.tab-agents')?.click();
    const input = () => screen(el, 'sb-admin-agents')?.querySelector<HTMLInputElement>(`tr[data-id="${agent.id}"] input.max-open`);
    await waitUntil(() => input(), 'no cap input');
    expect(input()?.value).to.equal('', 'no cap by default');
    expect(input()?.getAttribute('aria-label')).to.equal('Max open conversations of Capped');
    const cap = async () => (await api<{ items: Agent[] }>(admin, 'GET', '/api/agents')).items.find((a) => a.id === agent.id)?.maxOpen;

    (input() as HTMLInputElement).value = '3';
    input()?.dispatchEvent(new Event('change'));
    await waitUntil(async () => (await cap()) === 3, 'cap not saved');
    await waitUntil(() => status(el).includes('Cap saved'));

    (input() as HTMLInputElement).value = '-2';
    input()?.dispatchEvent(new Event('change'));
    await waitUntil(() => admin$(el)?.querySelector('.status.error'), 'a refused cap is not reported');
    expect(await cap()).to.equal(3);

    (input() as HTMLInputElement).value = '';
    input()?.dispatchEvent(new Event('change'));
    await waitUntil(async () => (await cap()) === null, 'cap not cleared');
  });
});
