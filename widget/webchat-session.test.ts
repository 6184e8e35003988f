// Session edge cases against the real hub: two tabs, refused tokens, session reset, quick replies,
// messages the hub refuses for good.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConversationDetail, Message } from '../protocol/types.js';
import { LIMITS } from '../protocol/limits.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import { openSessionStore } from './session-db.js';
import './webchat.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `t-${Math.random().toString(36).slice(2)}`;

async function mount(storageKey: string): Promise<SwitchboardWebchat> {
  const el = await fixture<SwitchboardWebchat>(html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${storageKey}></switchboard-webchat>`);
  await el.chat.ready;
  return el;
}

const root = (el: SwitchboardWebchat) => el.shadowRoot as ShadowRoot;
const texts = (el: SwitchboardWebchat) => [...root(el).querySelectorAll('.bubble')].map((b) => b.textContent ?? '');

async function detailOf(el: SwitchboardWebchat, admin: string): Promise<ConversationDetail> {
  await waitUntil(() => el.chat.conversation !== null, 'no conversation yet');
  return api<ConversationDetail>(admin, 'GET', `/api/conversations/${el.chat.conversation?.id}`);
}

describe('<switchboard-webchat> session', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('two tabs share one visitor; a message queued in an offline tab is delivered once, by the tab that is online', async () => {
    const key = unique();
    const tabA = await mount(key);
    const tabB = await mount(key);
    expect(tabB.chat.visitorId).to.equal(tabA.chat.visitorId);

    await tabA.chat.send('from tab A');
    await waitUntil(() => tabB.chat.messages.some((m) => m.text === 'from tab A' && m.delivery === 'sent'), 'tab B did not see tab A’s message');

    tabA.chat.goOffline();
    await waitUntil(() => tabA.chat.connection === 'offline');
    await tabA.chat.send('queued in offline tab A');
    // Tab B learns about the outbox over BroadcastChannel and delivers it; tab A sees it sent.
    await waitUntil(() => tabA.chat.messages.find((m) => m.text === 'queued in offline tab A')?.delivery === 'sent', 'not delivered');
    expect(tabB.chat.messages.filter((m) => m.text === 'queued in offline tab A')).to.have.length(1);

    tabA.chat.goOnline(); // tab A resends nothing: the outbox is empty now
    await waitUntil(() => tabA.chat.connection === 'online');
    await tabA.chat.send('after reconnect');
    await waitUntil(() => tabA.chat.messages.find((m) => m.text === 'after reconnect')?.delivery === 'sent');
    const detail = await detailOf(tabA, admin);
    expect(detail.messages.filter((m) => m.text === 'queued in offline tab A')).to.have.length(1);
    expect(detail.messages.filter((m) => m.text === 'after reconnect')).to.have.length(1);
  });

  it('delivers an outbox left by a closed page when the next page connects', async () => {
    const key = unique();
    const first = await mount(key);
    first.chat.goOffline();
    await waitUntil(() => first.chat.connection === 'offline');
    await first.chat.send('written before the reload');
    first.remove();
    expect((await (await openSessionStore(key)).outbox()).map((i) => i.text)).to.deep.equal(['written before the reload']);

    const second = await mount(key);
    await waitUntil(() => second.chat.messages.find((m) => m.text === 'written before the reload')?.delivery === 'sent', 'not delivered');
    expect(await (await openSessionStore(key)).outbox()).to.deep.equal([]);
    const detail = await detailOf(second, admin);
    expect(detail.messages.filter((m) => m.text === 'written before the reload')).to.have.length(1);
  });

  it('forgets a token the hub refuses and starts a new session', async () => {
    const key = unique();
    const store = await openSessionStore(key);
    await store.save({ token: 'not.a.valid-token', visitorId: null, conversationId: null, lastSeenId: 0, transcript: [] });
    const el = await mount(key);
    expect(el.chat.visitorId).to.be.a('string');
    await waitUntil(async () => (await store.load()).token !== 'not.a.valid-token', 'token kept');
  });

  it('starts afresh when an admin deletes the visitor (session:reset)', async () => {
    const key = unique();
    const el = await mount(key);
    await el.chat.send('please forget me');
    const detail = await detailOf(el, admin);
    const oldVisitor = detail.visitor.id;
    await api(admin, 'DELETE', `/api/visitors/${oldVisitor}`);
    await waitUntil(() => el.chat.visitorId !== null && el.chat.visitorId !== oldVisitor, 'no new session');
    expect(el.chat.messages).to.deep.equal([]);
    const saved = await (await openSessionStore(key)).load();
    expect(saved.transcript).to.deep.equal([]);
    expect(saved.visitorId).to.equal(el.chat.visitorId);
  });

  it('shows an agent’s New chat with an unread badge when the visitor comes back', async () => {
    const key = unique();
    const first = await mount(key);
    await first.chat.send('hello there');
    const detail = await detailOf(first, admin);
    await api(admin, 'POST', `/api/conversations/${detail.conversation.id}/close`, {});
    first.remove();

    const chat = await api<{ conversation: { id: string; outgoing: boolean } }>(admin, 'POST', `/api/contacts/${detail.conversation.contactId}/conversations`, {
      text: 'Your parcel is on its way',
    });
    expect(chat.conversation.outgoing).to.equal(true);

    const back = await mount(key);
    await waitUntil(() => root(back).querySelector('[part="badge"]')?.textContent === '1', 'no unread badge for the outgoing message');
    expect(back.chat.conversation?.id).to.equal(chat.conversation.id);
    expect(root(back).querySelector('.launcher')?.getAttribute('aria-label')).to.contain('1 unread');
    back.open = true;
    await waitUntil(() => texts(back).some((t) => t.includes('Your parcel is on its way')), 'the message is not shown');
    await waitUntil(() => root(back).querySelector('[part="badge"]') === null, 'opening the chat clears the badge');
  });

  it('shows the bot’s choices as buttons on its last message; a click sends the choice', async () => {
    const key = unique();
    const el = await mount(key);
    el.show();
    await el.chat.send('hi');
    await waitUntil(() => el.chat.messages.some((m) => m.author === 'bot'));
    const last = el.chat.messages.at(-1) as Message;
    // Another tab reports a bot message with choices (the same path as a hub message seen by that tab).
    const tab = new BroadcastChannel(`switchboard-${key}`);
    tab.postMessage({
      kind: 'message',
      message: { ...last, id: last.id + 100_000, author: 'bot', clientId: null, text: 'Pick one', choices: ['Opening hours', '<b>Delivery</b>'] },
    });
    tab.close();
    await waitUntil(() => root(el).querySelectorAll('.choices button').length === 2, 'no choice buttons');
    const buttons = [...root(el).querySelectorAll<HTMLButtonElement>('.choices button')];
    expect(buttons.map((b) => b.textContent)).to.deep.equal(['Opening hours', '<b>Delivery</b>']);
    expect(root(el).querySelector('.choices b')).to.equal(null);
    buttons[0]?.click();
    await waitUntil(() => el.chat.messages.some((m) => m.text === 'Opening hours' && m.author === 'visitor' && m.delivery === 'sent'), 'choice not sent');
    await el.updateComplete;
    expect(texts(el)).to.include('Opening hours');
  });

  it('marks a message the hub refuses for good as not sent, and keeps going', async () => {
    const el = await mount(unique());
    el.show();
    await el.chat.send('x'.repeat(LIMITS.messageText + 1));
    await el.chat.send('short one');
    await waitUntil(() => el.chat.messages.some((m) => m.delivery === 'failed'), 'no failure shown');
    await waitUntil(() => el.chat.messages.find((m) => m.text === 'short one')?.delivery === 'sent', 'next message stuck');
    await el.updateComplete;
    expect(root(el).querySelector('[data-delivery="failed"] .meta')?.textContent).to.contain('Not sent');
  });
});
