// The agent panel in headless Chromium against the real hub started for the test run.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { type Socket, io } from 'socket.io-client';
import type { Agent, Message } from '../protocol/types.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import './index.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import type { ConversationView } from './conversation-view.js';

const unique = () => Math.random().toString(36).slice(2, 10);

/** A visitor on the demo site (a real widget socket) who has said `text`. */
async function visitor(text: string, userData: Record<string, string> = {}): Promise<{ socket: Socket; conversationId: string; visitorId: string }> {
  const socket = io(`${testHub.url}/visitor`, { auth: { site: 'demo', userData }, transports: ['websocket'] });
  const session = (await new Promise((resolve) => socket.once('session', resolve))) as { visitor: { id: string } };
  const ack = (await socket.emitWithAck('message:send', { clientId: unique(), text })) as { data: { conversation: { id: string } } };
  return { socket, conversationId: ack.data.conversation.id, visitorId: session.visitor.id };
}

async function panel(token: string): Promise<SwitchboardAgentPanel> {
  const el = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel .hub=${testHub.url} .token=${token}></switchboard-agent-panel>`);
  await waitUntil(() => el.shadowRoot?.querySelector('ul[role="listbox"], .empty'), 'panel did not load');
  return el;
}

const root = (el: SwitchboardAgentPanel) => el.shadowRoot as ShadowRoot;
const listedIds = (el: SwitchboardAgentPanel) => [...root(el).querySelectorAll<HTMLElement>('li[role="option"]')].map((li) => li.dataset['id']);
const view = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-conversation-view') as ConversationView | null;
const viewRoot = (el: SwitchboardAgentPanel) => view(el)?.shadowRoot as ShadowRoot;

async function newAgent(admin: string, name: string, role: 'agent' | 'admin' = 'agent'): Promise<{ agent: Agent; token: string }> {
  const email = `${unique()}@test.local`;
  const agent = await api<Agent>(admin, 'POST', '/api/agents', { email, name, role, password: 'password-123' });
  return { agent, token: await login(email, 'password-123') };
}

describe('<switchboard-agent-panel>', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('shows a sign-in form without a token and signs in', async () => {
    sessionStorage.clear();
    const el = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel .hub=${testHub.url}></switchboard-agent-panel>`);
    const form = root(el).querySelector('form.login') as HTMLFormElement;
    expect(form).to.exist;
    (form.querySelector('[name=email]') as HTMLInputElement).value = testHub.admin.email;
    (form.querySelector('[name=password]') as HTMLInputElement).value = 'wrong password';
    form.requestSubmit();
    await waitUntil(() => root(el).querySelector('.error'), 'no error shown');
    (form.querySelector('[name=password]') as HTMLInputElement).value = testHub.admin.password;
    form.requestSubmit();
    await waitUntil(() => root(el).querySelector('.tiles'), 'did not sign in');
    sessionStorage.clear();
  });

  it('updates the list live when a visitor writes, and search and filters narrow it', async () => {
    const el = await panel(admin);
    const name = `Zed${unique()}`;
    const { conversationId } = await visitor('I want to talk to a human', { first_name: name, email: `${name}@example.com` });
    await waitUntil(() => listedIds(el).includes(conversationId), 'new conversation did not appear live');
    await waitUntil(() => root(el).querySelector(`[data-id="${conversationId}"] .chip.need_help`), 'need help not shown');

    el.setFilter({ q: name.toLowerCase() });
    await waitUntil(() => listedIds(el).length === 1 && listedIds(el)[0] === conversationId, 'search did not narrow');
    el.setFilter({ q: name, botStatus: 'ok' });
    await waitUntil(() => listedIds(el).length === 0, 'bot status filter did not narrow');
    el.setFilter({ q: name, botStatus: 'need_help', ticketStatus: 'new', language: 'en', channel: 'webchat' });
    await waitUntil(() => listedIds(el).length === 1);
    el.setFilter({ q: name, ticketStatus: 'resolved' });
    await waitUntil(() => listedIds(el).length === 0);
    await api(admin, 'PUT', `/api/conversations/${conversationId}/tags`, { tags: ['vip'] });
    el.setFilter({ q: name, tag: 'vip' });
    await waitUntil(() => listedIds(el).length === 1);
    el.setFilter({ q: name, tag: 'other' });
    await waitUntil(() => listedIds(el).length === 0);
    const today = new Date().toISOString().slice(0, 10);
    el.setFilter({ q: name, from: today, to: today });
    await waitUntil(() => listedIds(el).length === 1);
    el.setFilter({ q: name, from: '2020-08-07', to: '2020-08-09' });
    await waitUntil(() => listedIds(el).length === 0, 'date range did not narrow');
  });

  it('take over mutes the bot and a second agent sees the composer disabled; notes never reach the visitor', async () => {
    const { token: aliceToken } = await newAgent(admin, 'Alice');
    const { token: bobToken } = await newAgent(admin, 'Bob');
    const { socket, conversationId } = await visitor('hello');
    const received: Message[] = [];
    socket.on('message:new', (m: Message) => received.push(m));

    const alice = await panel(aliceToken);
    await alice.openConversation(conversationId);
    await waitUntil(() => viewRoot(alice)?.querySelector('button.claim'));
    viewRoot(alice).querySelector<HTMLButtonElement>('button.claim')?.click();
    await waitUntil(() => viewRoot(alice)?.querySelector('button.release'), 'take over failed');
    await waitUntil(() => viewRoot(alice)?.querySelector('.unmute-at'), 'mute not shown');
    await waitUntil(() => received.some((m) => m.text === 'Alice joined the conversation'), 'visitor did not see the agent join');

    const bob = await panel(bobToken);
    await bob.openConversation(conversationId);
    await waitUntil(() => viewRoot(bob)?.querySelector('#reply'));
    const composer = viewRoot(bob).querySelector<HTMLTextAreaElement>('#reply');
    expect(composer?.disabled).to.equal(true);
    expect(composer?.placeholder).to.contain('Alice is handling this conversation');
    expect(viewRoot(bob).querySelector<HTMLButtonElement>('button.claim')?.disabled).to.equal(true);

    // Alice replies with the keyboard-free path, and adds a private note.
    const reply = viewRoot(alice).querySelector<HTMLTextAreaElement>('#reply') as HTMLTextAreaElement;
    reply.value = 'Hi, Alice here';
    reply.form?.requestSubmit();
    await waitUntil(() => received.some((m) => m.text === 'Hi, Alice here'), 'reply not delivered');
    const noteForm = viewRoot(alice).querySelector<HTMLFormElement>('form.add-note') as HTMLFormElement;
    (noteForm.querySelector('textarea') as HTMLTextAreaElement).value = 'secret note <img src=x onerror="window.__pwned=1">';
    noteForm.requestSubmit();
    await waitUntil(() => viewRoot(bob)?.querySelector('.note'), 'note not shown live to the team');
    expect(viewRoot(bob).querySelector('.note img')).to.equal(null);
    const history = (await socket.emitWithAck('messages:since', { afterId: 0 })) as { data: { messages: Message[] } };
    expect(JSON.stringify(history)).not.to.contain('secret note');
    expect(received.some((m) => m.text.includes('secret note'))).to.equal(false);
    socket.disconnect();
  });

  it('downloads contain the whole transcript; delete removes the visitor everywhere', async () => {
    const { socket, conversationId } = await visitor('please export me', { first_name: 'Dana', email: `${unique()}@example.com` });
    await new Promise((resolve) => socket.once('message:new', resolve)); // the bot's answer
    const el = await panel(admin);
    await el.openConversation(conversationId);
    await waitUntil(() => viewRoot(el)?.querySelector('button.download-text'));
    const text = await el.api.download(`/api/conversations/${conversationId}/export?format=text`, 'c.txt');
    expect(await text.text()).to.contain('Dana: please export me');
    const json = JSON.parse(await (await el.api.download(`/api/conversations/${conversationId}/export?format=json`, 'c.json')).text()) as { messages: Message[] };
    expect(json.messages.length).to.equal(2);

    const reset = new Promise((resolve) => socket.once('session:reset', resolve));
    const confirm = window.confirm;
    window.confirm = () => true;
    viewRoot(el).querySelector<HTMLButtonElement>('button.delete-user')?.click();
    window.confirm = confirm;
    await reset;
    await waitUntil(() => !listedIds(el).includes(conversationId) && view(el) === null, 'still listed');
    socket.disconnect();
  });

  it('an agent sees no admin screens, nor conversations outside its visibility (the hub refuses too)', async () => {
    const { token: agentToken } = await newAgent(admin, 'Rita');
    const { conversationId } = await visitor('restricted one', { first_name: 'Hidden' });
    const me = await api<Agent>(admin, 'GET', '/api/me');
    await api(admin, 'PUT', `/api/conversations/${conversationId}/visibility`, { agentIds: [me.id] });
    const el = await panel(agentToken);
    expect(root(el).querySelector('.admin-tab')).to.equal(null);
    expect(listedIds(el)).not.to.include(conversationId);
    const refused = await fetch(`${testHub.url}/api/faqs`, { method: 'POST', headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'general', questions: ['x'], answer: 'y' }) });
    expect(refused.status).to.equal(403);
    const hidden = await fetch(`${testHub.url}/api/conversations/${conversationId}`, { headers: { authorization: `Bearer ${agentToken}` } });
    expect(hidden.status).to.equal(404);

    const adminPanel = await panel(admin);
    expect(root(adminPanel).querySelector('.admin-tab')).to.exist;
  });

  it('renders script injection in names and messages as inert text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const { conversationId, socket } = await visitor(`<script>window.__pwned=1</script>${evil}`, { first_name: evil, comments: '<svg onload="window.__pwned=1">' });
    const el = await panel(admin);
    await waitUntil(() => listedIds(el).includes(conversationId));
    await el.openConversation(conversationId);
    await waitUntil(() => viewRoot(el)?.querySelector('.msg'));
    expect(root(el).querySelector('li img, li script')).to.equal(null);
    expect(viewRoot(el).querySelector('img, script, svg')).to.equal(null);
    expect(root(el).querySelector(`[data-id="${conversationId}"] .name`)?.textContent).to.equal(evil);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    socket.disconnect();
  });
});
