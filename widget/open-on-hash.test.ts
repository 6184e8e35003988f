// The link of a reply email (README "Email continuity") ends with #switchboard-chat: the widget opens itself on it.
// Headless Chromium, the element against the real hub started for the run.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { testHub } from '../test/helpers/browser-hub.js';
import './webchat.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `h-${Math.random().toString(36).slice(2)}`;

async function mount(): Promise<SwitchboardWebchat> {
  const el = await fixture<SwitchboardWebchat>(html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${unique()}></switchboard-webchat>`);
  await el.chat.ready;
  return el;
}

async function setHash(hash: string): Promise<void> {
  const changed = oneEvent(window, 'hashchange');
  location.hash = hash;
  await changed;
}

describe('#switchboard-chat', () => {
  afterEach(() => history.replaceState(null, '', `${location.pathname}${location.search}`));

  it('opens the chat when the page is loaded with the hash', async () => {
    history.replaceState(null, '', '#switchboard-chat');
    const el = await mount();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.shadowRoot?.querySelector('[part="panel"]')).to.exist;
  });

  it('opens when the hash changes to it, not for another hash', async () => {
    const el = await mount();
    expect(el.open).to.equal(false);
    await setHash('#elsewhere');
    expect(el.open).to.equal(false);
    await setHash('#switchboard-chat');
    await el.updateComplete;
    expect(el.open).to.equal(true);
  });

  it('labels a message the visitor sent by email', async () => {
    const el = await mount();
    el.show();
    const base = { conversationId: 'c', agentId: null, authorName: null, choices: [], attachments: [], readAt: null, delivery: 'sent' as const };
    el.chat.messages = [
      { ...base, id: 1, clientId: 'a', author: 'visitor', channel: 'email', text: 'by email', createdAt: new Date().toISOString() },
      { ...base, id: 2, clientId: 'b', author: 'visitor', channel: 'webchat', text: 'in the chat', createdAt: new Date().toISOString() },
    ];
    el.requestUpdate();
    await el.updateComplete;
    const metas = [...(el.shadowRoot?.querySelectorAll('.msg .meta') ?? [])].map((m) => m.textContent ?? '');
    expect(metas[0]).to.contain('via email');
    expect(metas[1]).not.to.contain('via email');
  });
});
