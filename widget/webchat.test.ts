// The widget in headless Chromium against the real hub started for the test run.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { io } from 'socket.io-client';
import type { ConversationDetail, Message } from '../protocol/types.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import './webchat.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `t-${Math.random().toString(36).slice(2)}`;

async function mount(storageKey = unique(), userData: Record<string, string> = {}): Promise<SwitchboardWebchat> {
  const el = await fixture<SwitchboardWebchat>(
    html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${storageKey} .userData=${userData}></switchboard-webchat>`,
  );
  await el.chat.ready;
  return el;
}

const shadow = (el: SwitchboardWebchat) => el.shadowRoot as ShadowRoot;
const bubbles = (el: SwitchboardWebchat) => [...shadow(el).querySelectorAll('.msg')].map((m) => m.querySelector('.bubble')?.textContent ?? m.textContent ?? '');

async function conversationOf(el: SwitchboardWebchat, token: string): Promise<ConversationDetail> {
  await waitUntil(() => el.chat.conversation !== null, 'no conversation yet');
  return api<ConversationDetail>(token, 'GET', `/api/conversations/${el.chat.conversation?.id}`);
}

describe('<switchboard-webchat>', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('sends the visitor’s user data to the hub and shows the bot’s answer', async () => {
    const email = `${unique()}@example.com`;
    const el = await mount(undefined, { first_name: 'Ada', last_name: 'Lovelace', email, phone_number: '+33 1 23 45 67 89', comments: 'VIP' });
    el.show();
    await el.updateComplete;
    await el.chat.send('hello');
    await waitUntil(() => el.chat.messages.some((m) => m.author === 'bot'), 'bot did not answer');
    await el.updateComplete;
    expect(bubbles(el).join('|')).to.contain('How can I help');
    const detail = await conversationOf(el, admin);
    expect(detail.visitor.userData).to.include({ first_name: 'Ada', last_name: 'Lovelace', email, phone_number: '+33 1 23 45 67 89', comments: 'VIP' });
    expect(detail.visitor.verified).to.equal(false);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('greets a visitor whose chat is empty, by first name when the site gave one, until the first message', async () => {
    const greeting = (el: SwitchboardWebchat) => shadow(el).querySelector('.log .greeting')?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
    const anonymous = await mount();
    anonymous.show();
    await anonymous.updateComplete;
    expect(greeting(anonymous)).to.equal('Hi! How can we help? Our assistant answers right away, and you can ask for a person at any time.');
    await expect(anonymous).shadowDom.to.be.accessible();

    const named = await mount(undefined, { first_name: '  <b>Grace</b> ' });
    named.show();
    await named.updateComplete;
    expect(greeting(named)).to.match(/^Hi <b>Grace<\/b>! How can we help\?/, 'the name as text, trimmed');
    expect(shadow(named).querySelector('.greeting b')).to.equal(null);
    await named.chat.send('hello');
    await named.updateComplete;
    expect(greeting(named)).to.equal(null, 'the first message replaces the greeting');
    expect(bubbles(named)).to.include('hello');
  });

  it('continues the same conversation after a reload (IndexedDB session)', async () => {
    const key = unique();
    const first = await mount(key);
    await first.chat.send('remember me');
    await waitUntil(() => first.chat.messages.some((m) => m.author === 'bot'));
    const visitorId = first.chat.visitorId;
    const conversationId = first.chat.conversation?.id;
    first.remove(); // the page goes away

    const second = await mount(key);
    expect(second.chat.visitorId).to.equal(visitorId);
    expect(second.chat.conversation?.id).to.equal(conversationId);
    second.show();
    await second.updateComplete;
    expect(bubbles(second)).to.include('remember me');
  });

  it('queues a message typed offline and delivers it exactly once when the connection returns', async () => {
    const el = await mount();
    await el.chat.send('first');
    el.chat.goOffline();
    await waitUntil(() => el.chat.connection === 'offline');
    el.show();
    await el.chat.send('typed while offline');
    await el.updateComplete;
    const pending = el.chat.messages.find((m) => m.text === 'typed while offline');
    expect(pending?.delivery).to.equal('pending');
    expect(shadow(el).querySelector('[data-delivery="pending"]')).to.exist;
    expect(shadow(el).querySelector('.banner')?.textContent).to.contain('offline');
    // Said once: the header's presence line says it is reconnecting, not the banner's sentence again.
    expect(shadow(el).querySelector('.presence')?.textContent).to.equal('Reconnecting…');

    el.chat.goOnline();
    await waitUntil(() => el.chat.messages.find((m) => m.text === 'typed while offline')?.delivery === 'sent', 'not delivered');
    const detail = await conversationOf(el, admin);
    expect(detail.messages.filter((m) => m.text === 'typed while offline')).to.have.length(1);
  });

  it('shows escalation presence: agent joined, typing, agent left', async () => {
    const el = await mount();
    el.show();
    await el.chat.send('hi');
    const presence = () => shadow(el).querySelector('.presence')?.textContent ?? '';
    const { conversation } = await conversationOf(el, admin);

    await api(admin, 'POST', `/api/conversations/${conversation.id}/claim`, {});
    await waitUntil(() => presence().includes('Admin is here to help'), `presence: ${presence()}`);
    expect(bubbles(el)).to.include('Admin joined the conversation');

    const agent = io(`${testHub.url}/agent`, { auth: { token: admin }, transports: ['websocket'] });
    await new Promise((resolve) => agent.once('hello', resolve));
    agent.emit('typing', { conversationId: conversation.id, typing: true });
    await waitUntil(() => presence().includes('Admin is typing'), `presence: ${presence()}`);
    const ack = await agent.emitWithAck('message:send', { conversationId: conversation.id, clientId: unique(), text: 'How can I help?' });
    expect(ack.data).to.exist;
    await waitUntil(() => bubbles(el).includes('How can I help?'));
    expect(presence()).to.contain('Admin is here to help', 'typing stops when the message arrives');

    await api(admin, 'POST', `/api/conversations/${conversation.id}/release`);
    await waitUntil(() => presence().includes('agent left'), `presence: ${presence()}`);
    agent.disconnect();
  });

  it('counts unread agent messages on the launcher and clears them on open', async () => {
    const el = await mount();
    await el.chat.send('hi');
    const { conversation } = await conversationOf(el, admin);
    await waitUntil(() => el.chat.messages.some((m) => m.author === 'bot'));
    await api(admin, 'POST', `/api/conversations/${conversation.id}/claim`, {});
    const agent = io(`${testHub.url}/agent`, { auth: { token: admin }, transports: ['websocket'] });
    await new Promise((resolve) => agent.once('hello', resolve));
    await agent.emitWithAck('message:send', { conversationId: conversation.id, clientId: unique(), text: 'Are you there?' });
    // The bot's greeting and the agent's message; the "joined" line is not counted.
    await waitUntil(() => shadow(el).querySelector('.badge')?.textContent === '2', `badge ${shadow(el).querySelector('.badge')?.textContent}`);
    expect(shadow(el).querySelector('.launcher')?.getAttribute('aria-label')).to.contain('2 unread');
    el.show();
    await el.updateComplete;
    expect(shadow(el).querySelector('.badge')).to.equal(null);
    agent.disconnect();
  });

  it('renders script injection in messages and user data as inert text', async () => {
    const payloads = [
      '<img src=x onerror="window.__pwned=1">',
      '<script>window.__pwned=1</script>',
      '<svg onload="window.__pwned=1">',
      'javascript:window.__pwned=1',
    ];
    const el = await mount(undefined, { first_name: '<img src=x onerror="window.__pwned=1">' });
    el.show();
    for (const text of payloads) await el.chat.send(text);
    const { conversation } = await conversationOf(el, admin);
    await api(admin, 'POST', `/api/conversations/${conversation.id}/claim`, {});
    const agent = io(`${testHub.url}/agent`, { auth: { token: admin }, transports: ['websocket'] });
    await new Promise((resolve) => agent.once('hello', resolve));
    await agent.emitWithAck('message:send', {
      conversationId: conversation.id,
      clientId: unique(),
      text: '<b onmouseover=alert(1)>bold</b> https://example.com/x?a=<i> javascript:alert(1)',
    });
    await waitUntil(() => bubbles(el).some((t) => t.includes('<b onmouseover')));
    await el.updateComplete;
    const root = shadow(el);
    expect(root.querySelector('.log img, .log script, .log svg, .log b, .log i')).to.equal(null);
    for (const text of payloads) expect(bubbles(el)).to.include(text);
    const links = [...root.querySelectorAll<HTMLAnchorElement>('.log a')];
    expect(links.map((a) => a.href)).to.deep.equal(['https://example.com/x?a=']);
    expect(links[0]?.rel).to.contain('noopener');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    agent.disconnect();
  });

  it('works with the keyboard only: open, type, Enter to send, Shift+Enter for a new line, Escape to close', async () => {
    const el = await mount();
    shadow(el).querySelector<HTMLButtonElement>('.launcher')?.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.open).to.equal(true);
    await waitUntil(() => shadow(el).activeElement?.tagName === 'TEXTAREA', 'composer not focused');
    await sendKeys({ type: 'line one' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'line two' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.chat.messages.some((m: Message) => m.text === 'line one\nline two' && m.author === 'visitor'));
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
    await waitUntil(() => shadow(el).activeElement?.classList.contains('launcher') ?? false, 'focus not returned to the launcher');
    const detail = await conversationOf(el, admin);
    expect(detail.messages.map((m) => m.text)).to.include('line one\nline two');
  });

  it('fills the screen on a phone and takes its colours from custom properties', async () => {
    await setViewport({ width: 375, height: 700 });
    try {
      const el = await mount();
      el.style.setProperty('--sb-accent', 'rgb(11, 122, 82)');
      const launcher = shadow(el).querySelector<HTMLElement>('[part="launcher"]') as HTMLElement;
      expect(getComputedStyle(launcher).backgroundColor).to.equal('rgb(11, 122, 82)');
      el.show();
      await el.updateComplete;
      const panel = (shadow(el).querySelector('[part="panel"]') as HTMLElement).getBoundingClientRect();
      expect([panel.left, panel.top, panel.width, panel.height]).to.deep.equal([0, 0, 375, 700]);
    } finally {
      await setViewport({ width: 1280, height: 800 });
    }
  });
});
