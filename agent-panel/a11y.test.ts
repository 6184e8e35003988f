// Accessibility (axe, via @open-wc/testing's chai-a11y-axe) of the panel's main screens.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { list, login, open, panel, root, testHub, visitor } from './test-helpers.js';

describe('<switchboard-agent-panel> accessibility', () => {
  it('sign-in form', async () => {
    sessionStorage.clear();
    const el = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel .hub=${testHub.url}></switchboard-agent-panel>`);
    await expect(el).to.be.accessible();
  });

  it('customers view with a conversation open, and the admin screens', async () => {
    const v = await visitor('accessible?', { first_name: 'Ada', email: 'ada@example.com' });
    const el = await panel(await login());
    await expect(list(el) as HTMLElement).to.be.accessible();
    await open(el, v.conversationId);
    await expect(el).to.be.accessible();
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => root(el).querySelector('sb-admin-view')?.shadowRoot?.querySelector('sb-admin-faqs')?.shadowRoot?.querySelector('form'));
    await expect(el).to.be.accessible();
    const adminRoot = root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
    for (const [tab, tag] of [
      ['quick-replies', 'sb-admin-quick-replies'],
      ['agents', 'sb-admin-agents'],
    ] as const) {
      adminRoot.querySelector<HTMLButtonElement>(`.tab-${tab}`)?.click();
      await waitUntil(() => adminRoot.querySelector(tag)?.shadowRoot?.querySelector('form'), `${tab} not loaded`);
      await expect(el).to.be.accessible();
    }
    v.socket.disconnect();
  });
});
