// The chat's first moments, before its IndexedDB session store has opened: a first visit the visitor opened (the loader
// found no database and marks the element) connects at once, and the session it gets is still saved; a message sent in
// that window is kept and sent.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import type { ConversationDetail } from '../protocol/types.js';
import { openSessionStore } from './session-db.js';
import './webchat.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `t-${Math.random().toString(36).slice(2)}`;

function mountNow(storageKey: string, connectNow: boolean): SwitchboardWebchat {
  const el = document.createElement('switchboard-webchat') as SwitchboardWebchat;
  el.hub = testHub.url;
  el.site = 'demo';
  el.storageKey = storageKey;
  if (connectNow) el.setAttribute('data-connect-now', '');
  document.body.append(el);
  return el;
}

describe('<switchboard-webchat> before its database opens', () => {
  it('a first visit opened at once connects before its database exists, and its session is saved: the next page is the same visitor', async () => {
    const key = unique();
    const first = mountNow(key, true);
    await first.chat.ready;
    expect(first.hasAttribute('data-connect-now'), 'the mark is read once').to.equal(false);
    const visitorId = first.chat.visitorId;
    expect(visitorId).to.be.a('string');
    await waitUntil(async () => (await (await openSessionStore(key)).load()).token !== null, 'the session was not saved');
    first.remove();

    const next = await fixture<SwitchboardWebchat>(html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${key}></switchboard-webchat>`);
    await next.chat.ready;
    expect(next.chat.visitorId).to.equal(visitorId);
    next.remove();
  });

  for (const connectNow of [false, true]) {
    it(`keeps and sends a message sent before the database opened (${connectNow ? 'connecting at once' : 'connecting after it'})`, async () => {
      const admin = await login();
      const el = mountNow(unique(), connectNow);
      const text = `said at once ${unique()}`;
      await el.chat.send(text); // the store is still the in-memory one here
      await waitUntil(() => el.chat.messages.find((m) => m.text === text)?.delivery === 'sent', 'the message was never sent', { timeout: 8000 });
      const detail = await api<ConversationDetail>(admin, 'GET', `/api/conversations/${el.chat.conversation?.id}`);
      expect(detail.messages.filter((m) => m.text === text)).to.have.length(1);
      el.remove();
    });
  }
});
