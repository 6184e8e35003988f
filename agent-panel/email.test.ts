// Email continuity in the panel, against the real hub (which has no SMTP_URL: the screen says so): the admin's Email
// screen, an agent's escalation emails set by the admin and by the agent themselves, and the "via email" label.
import { expect, waitUntil } from '@open-wc/testing';
import type { EmailSettings } from '../protocol/email.js';
import type { Agent, Message } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, login, newAgent, open, panel, root, visitor, view, viewRoot } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel, tag: string) => admin$(el)?.querySelector(tag)?.shadowRoot as ShadowRoot;
const status = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('.status')?.textContent ?? '';

async function adminTab(el: SwitchboardAgentPanel, tab: string, tag: string, ready: string): Promise<ShadowRoot> {
  (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
  await waitUntil(() => admin$(el)?.querySelector(`.tab-${tab}`), `no ${tab} tab`);
  admin$(el).querySelector<HTMLButtonElement>(`.tab-${tab}`)?.click();
  await waitUntil(() => screen(el, tag)?.querySelector(ready), `${tab} screen not shown`);
  return screen(el, tag);
}

describe('<switchboard-agent-panel> email continuity', () => {
  it('an admin switches visitor emails on, sets the delay and the chat page; the server status is shown', async () => {
    const admin = await login();
    const el = await panel(admin);
    const s = await adminTab(el, 'email', 'sb-admin-email', 'form.email-form');
    expect(s.querySelector('.warning')?.textContent).to.contain('no SMTP_URL');
    expect(s.querySelector('dd.smtp')?.textContent).to.equal('not configured');
    expect(s.querySelector('dd.inbound-http')?.textContent).to.equal('off');

    const enabled = s.querySelector('input[name="enabled"]') as HTMLInputElement;
    enabled.checked = !enabled.checked;
    enabled.dispatchEvent(new Event('change'));
    const want = enabled.checked;
    await waitUntil(async () => (await api<EmailSettings>(admin, 'GET', '/api/email/settings')).enabled === want, 'the switch was not saved');

    const form = s.querySelector('form.email-form') as HTMLFormElement;
    const url = form.querySelector('input[name="chatUrl"]') as HTMLInputElement;
    (form.querySelector('input[name="delayMinutes"]') as HTMLInputElement).value = '7';
    url.value = 'ftp://shop.example/chat';
    form.requestSubmit();
    await waitUntil(() => s.querySelector('#url-error')?.textContent?.includes('http'), 'the hub’s refusal not shown next to the field');
    expect(url.getAttribute('aria-invalid')).to.equal('true');
    url.value = 'https://shop.example/chat';
    form.requestSubmit();
    await waitUntil(() => status(el).includes('Email settings saved'), `not saved: ${status(el)}`);
    const saved = await api<EmailSettings>(admin, 'GET', '/api/email/settings');
    expect({ delay: saved.delayMinutes, url: saved.chatUrl }).to.deep.equal({ delay: 7, url: 'https://shop.example/chat' });
    await api(admin, 'PUT', '/api/email/settings', { enabled: false, delayMinutes: 5, chatUrl: null });
  });

  it('escalation emails: the admin sets them on the Agents screen, each agent in the top bar', async () => {
    const admin = await login();
    const { agent, token } = await newAgent(admin, 'Mailable');
    const el = await panel(admin);
    const s = await adminTab(el, 'agents', 'sb-admin-agents', 'form.new-agent');
    const box = () => s.querySelector<HTMLInputElement>(`tr.agent[data-id="${agent.id}"] input.escalation-email`) as HTMLInputElement;
    expect(box().checked).to.equal(false);
    box().checked = true;
    box().dispatchEvent(new Event('change'));
    await waitUntil(() => status(el).includes('Escalation emails on'), `not saved: ${status(el)}`);
    expect((await api<Agent>(token, 'GET', '/api/me')).emailOnEscalation).to.equal(true);

    const own = await panel(token);
    const mine = root(own).querySelector('.email-me input') as HTMLInputElement;
    expect(mine.checked).to.equal(true);
    // This hub has no SMTP_URL: the switch says so (it is saved anyway, for when an admin sets one).
    expect(root(own).querySelector('.email-me')?.textContent).to.contain('this hub sends no email yet');
    mine.checked = false;
    mine.dispatchEvent(new Event('change'));
    // The panel takes the hub's answer to its PATCH, so once it shows the switch off the hub has stored it. (Polling
    // the hub first raced the panel: the hub could answer a GET before the panel had read its PATCH's answer.)
    await waitUntil(() => own.me?.emailOnEscalation === false, 'the panel did not take the saved switch');
    expect((await api<Agent>(token, 'GET', '/api/me')).emailOnEscalation).to.equal(false);
  });

  it('a message the visitor sent by answering an email is labelled "via email"', async () => {
    const admin = await login();
    const v = await visitor('hello from the chat');
    const el = await panel(admin);
    await open(el, v.conversationId);
    const shown = view(el);
    if (!shown) throw new Error('no conversation view');
    const last = shown.detail.messages.findLast((m) => m.author === 'visitor') as Message;
    const after = Math.max(...shown.detail.messages.map((m) => m.id));
    // As the hub stores an email reply (server tests cover that path): channel `email`.
    shown.detail = {
      ...shown.detail,
      messages: [...shown.detail.messages, { ...last, id: after + 1000, clientId: 'email-x', text: 'by email', channel: 'email' }],
    };
    await shown.updateComplete;
    const metas = [...viewRoot(el).querySelectorAll<HTMLElement>('.msg.visitor')].map((m) => [
      m.querySelector('.text')?.textContent,
      m.querySelector('.via')?.textContent ?? null,
    ]);
    expect(metas).to.deep.include(['by email', 'via email']);
    expect(metas).to.deep.include(['hello from the chat', null]);
    v.socket.disconnect();
  });
});
