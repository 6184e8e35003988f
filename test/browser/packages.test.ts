// The npm packages' modules (packages/*/dist, made by `npm run build`) in a page, as a bundling site runs them:
// mountWebchat() talks to a real hub, and the panel module defines its element. test/e2e/packages.test.ts checks
// the tarballs, the types and the bundling.
import { expect, waitUntil } from '@open-wc/testing';
import { mountWebchat } from '../../packages/widget/dist/index.js';
import '../../packages/agent-panel/dist/index.js';
import type { ConversationDetail } from '../../protocol/types.js';
import { api, login, testHub } from '../helpers/browser-hub.js';

describe('the npm packages in a page', () => {
  it('mountWebchat() mounts a working widget: a message reaches the hub', async () => {
    await new Promise((resolve) => {
      indexedDB.deleteDatabase('switchboard-webchat').onsuccess = resolve;
    });
    const container = document.createElement('div');
    document.body.append(container);
    const chat = mountWebchat({ hub: testHub.url, site: 'demo', container, strings: { title: 'Package chat' } });
    expect(chat.element.parentElement).to.equal(container);
    const opened = new Promise<void>((resolve) => chat.on('open', () => resolve()));
    chat.open();
    await opened;
    await chat.element.updateComplete;
    const root = chat.element.shadowRoot;
    expect(root?.textContent).to.contain('Package chat');
    await chat.element.chat.ready;
    const text = `from the npm package ${Math.random().toString(36).slice(2)}`;
    await chat.element.chat.send(text);
    // The hub acknowledges a message once it is stored: the widget then marks it sent.
    await waitUntil(
      () => {
        const own = [...(root?.querySelectorAll('.msg.visitor') ?? [])].find((m) => m.textContent?.includes(text));
        return own?.getAttribute('data-delivery') === 'sent';
      },
      'the hub did not acknowledge the message',
      { timeout: 10000 },
    );
    const admin = await login();
    const detail = await api<ConversationDetail>(admin, 'GET', `/api/conversations/${chat.element.chat.conversation?.id}`);
    expect(detail.messages.map((m) => m.text)).to.include(text);
  });

  it('the panel module defines <switchboard-agent-panel>', () => {
    expect(customElements.get('switchboard-agent-panel')).to.be.a('function');
  });
});
