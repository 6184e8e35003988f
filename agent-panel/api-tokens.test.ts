// The API tokens admin screen against the real hub: create a token (its secret shown once, with its warning, and
// usable), see it listed, leave the screen (the secret is gone), revoke it (confirmed) and see its status change.
import { expect, waitUntil } from '@open-wc/testing';
import type { ApiToken } from '../protocol/api-tokens.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, login, panel, root, testHub, unique } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('sb-admin-api-tokens')?.shadowRoot as ShadowRoot;
const status = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('.status')?.textContent ?? '';

/** GET /api/stats with a bearer token: the status. */
const statsWith = async (token: string) => (await fetch(`${testHub.url}/api/stats`, { headers: { authorization: `Bearer ${token}` } })).status;

async function openTab(el: SwitchboardAgentPanel, tab: string): Promise<void> {
  await waitUntil(() => admin$(el)?.querySelector(`.tab-${tab}`), `no ${tab} tab`);
  admin$(el).querySelector<HTMLButtonElement>(`.tab-${tab}`)?.click();
}

describe('<switchboard-agent-panel> API tokens screen', () => {
  it('an admin creates a token, sees its secret once, and revokes it', async () => {
    const admin = await login();
    const el = await panel(admin);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await openTab(el, 'api-tokens');
    await waitUntil(() => screen(el)?.querySelector('form.token-form'), 'API tokens screen not shown');
    const s = () => screen(el);
    const form = () => s().querySelector('form.token-form') as HTMLFormElement;
    const nameInput = () => form().querySelector('input[name="name"]') as HTMLInputElement;
    const box = (scope: string) => form().querySelector(`input[name="scopes"][value="${scope}"]`) as HTMLInputElement;

    // The form's own checks, next to their fields.
    form().requestSubmit();
    await waitUntil(() => s().querySelector('#token-scopes-error')?.textContent === 'Choose at least one scope', 'no inline scopes error');
    expect(s().querySelector('#token-name-error')?.textContent).to.equal('Give the token a name');
    expect(nameInput().getAttribute('aria-invalid')).to.equal('true');

    // Create: a name that looks like markup stays text.
    const name = `<b>CRM</b> ${unique()}`;
    nameInput().value = name;
    nameInput().dispatchEvent(new Event('input'));
    box('conversations:read').click();
    box('stats:read').click();
    const expiry = form().querySelector('select[name="expires"]') as HTMLSelectElement;
    expiry.value = '30';
    expiry.dispatchEvent(new Event('change'));
    form().requestSubmit();

    const secretBox = () => s().querySelector<HTMLInputElement>('section.new-secret input.secret');
    // The form is blank in the render that shows the secret, not a round trip later (a second click on Create would
    // make a second token): read it the moment the secret appears.
    let nameWhenShown: string | null = null;
    await waitUntil(
      () => {
        if (secretBox()) nameWhenShown = nameInput().value;
        return nameWhenShown !== null;
      },
      `secret not shown: ${status(el)}`,
      { interval: 1 },
    );
    expect(nameWhenShown).to.equal('', 'the form is blank as the secret shows');
    const secret = secretBox()?.value ?? '';
    expect(secret).to.match(/^sbt_[A-Za-z0-9_-]{43}$/);
    expect(status(el)).to.contain('created');
    expect(s().querySelector('section.new-secret .warning')?.textContent).to.contain('only time');
    expect(s().querySelector('section.new-secret h2')?.textContent).to.contain(name);
    await waitUntil(() => s().activeElement?.id === 'new-secret-title', 'focus did not move to the new secret');
    expect(nameInput().value).to.equal('', 'the form is blank again');
    expect(nameInput().getAttribute('aria-invalid')).to.equal('false');

    // Listed (by the hub too), recognisable by its prefix, never with its secret.
    const tokens = (await api<{ items: ApiToken[] }>(admin, 'GET', '/api/tokens')).items;
    const token = tokens.find((t) => t.name === name) as ApiToken;
    expect(token.scopes).to.deep.equal(['conversations:read', 'stats:read']);
    expect(token.expiresAt).not.to.equal(null);
    expect(JSON.stringify(tokens)).not.to.contain(secret.slice(12));
    const row = () => s().querySelector<HTMLElement>(`tr.token[data-id="${token.id}"]`);
    await waitUntil(row, 'token not listed');
    expect(row()?.querySelector('.name')?.textContent).to.equal(name);
    expect(row()?.querySelector('.name b')).to.equal(null, 'no markup from the name');
    expect(row()?.querySelector('.prefix')?.textContent).to.equal(`${secret.slice(0, 12)}…`);
    expect(row()?.querySelector('.status')?.textContent).to.equal('Active');
    expect(row()?.querySelector('.last-used')?.textContent).to.equal('Never');
    expect([...(row()?.querySelectorAll('.scopes code') ?? [])].map((c) => c.textContent)).to.deep.equal(['conversations:read', 'stats:read']);

    // It works, on what its scopes open only.
    expect(await statsWith(secret)).to.equal(200);
    expect((await fetch(`${testHub.url}/api/contacts`, { headers: { authorization: `Bearer ${secret}` } })).status).to.equal(403);

    // Copy (or, without clipboard access, the text left selected), announced.
    (s().querySelector('section.new-secret button.copy') as HTMLButtonElement).click();
    await waitUntil(() => (s().querySelector('.copy-status')?.textContent ?? '') !== '', 'copy not announced');

    await expect(el).to.be.accessible();

    // Shown once: dismissed, it is gone; leaving the screen before dismissing forgets it too.
    (s().querySelector('section.new-secret button.done') as HTMLButtonElement).click();
    await waitUntil(() => !s().querySelector('section.new-secret'), 'secret still shown');
    nameInput().value = `second ${unique()}`;
    nameInput().dispatchEvent(new Event('input'));
    box('stats:read').click();
    form().requestSubmit();
    await waitUntil(secretBox, 'second secret not shown');
    const second = secretBox()?.value ?? '';
    await openTab(el, 'webhooks');
    await waitUntil(() => admin$(el)?.querySelector('sb-admin-webhooks'), 'webhooks screen not shown');
    await openTab(el, 'api-tokens');
    await waitUntil(() => s()?.querySelector('form.token-form'), 'API tokens screen not back');
    await waitUntil(() => row(), 'list not reloaded');
    expect(s().querySelector('section.new-secret')).to.equal(null);
    expect(s().innerHTML).not.to.contain(second);
    await waitUntil(() => row()?.querySelector('.last-used')?.textContent !== 'Never', 'last use not shown');

    // Revoke (confirmed): the status changes, the button goes, the hub refuses the token at once.
    const confirm = window.confirm;
    let asked = '';
    window.confirm = (message?: string) => {
      asked = message ?? '';
      return true;
    };
    try {
      row()?.querySelector<HTMLButtonElement>('button.revoke')?.click();
      await waitUntil(() => row()?.querySelector('.status')?.textContent === 'Revoked', `status not updated: ${status(el)}`);
    } finally {
      window.confirm = confirm;
    }
    expect(asked).to.contain(name);
    expect(status(el)).to.contain('revoked');
    expect(row()?.dataset['status']).to.equal('revoked');
    expect(row()?.querySelector('button.revoke')).to.equal(null);
    expect(await statsWith(secret)).to.equal(401);
    expect(await statsWith(second)).to.equal(200, 'the other token still works');
  });
});
