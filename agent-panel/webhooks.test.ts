// The Webhooks admin screen against the real hub, posting to a real receiver on loopback (started by
// web-test-runner.config.mjs; the hub runs with WEBHOOK_ALLOW_PRIVATE=1 so it accepts it).
import { expect, waitUntil } from '@open-wc/testing';
import type { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint } from '../protocol/webhooks.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, login, panel, root, testHub, unique, visitor } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('sb-admin-webhooks')?.shadowRoot as ShadowRoot;
const status = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('.status')?.textContent ?? '';

/** Re-asks the hub until its deliveries to `endpointId` satisfy `done` (the worker posts within its poll interval). */
async function deliveriesUntil(token: string, endpointId: string, done: (items: WebhookDelivery[]) => boolean, what: string): Promise<WebhookDelivery[]> {
  let items: WebhookDelivery[] = [];
  await waitUntil(
    async () => {
      items = (await api<WebhookDeliveryPage>(token, 'GET', `/api/webhooks/${endpointId}/deliveries`)).items;
      return done(items);
    },
    what,
    { timeout: 15000, interval: 100 },
  );
  return items;
}

describe('<switchboard-agent-panel> webhooks screen', () => {
  it('an admin adds an endpoint, reads its secret, sees a delivery arrive with its status and resends it', async () => {
    const admin = await login();
    const el = await panel(admin);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => admin$(el)?.querySelector('.tab-webhooks'), 'no Webhooks tab');
    admin$(el).querySelector<HTMLButtonElement>('.tab-webhooks')?.click();
    await waitUntil(() => screen(el)?.querySelector('form.new-webhook') && screen(el)?.querySelector('.allow-private'), 'Webhooks screen not shown');
    const s = () => screen(el);
    const form = () => s().querySelector('form.webhook-form') as HTMLFormElement;
    const url = `${testHub.webhookReceiver}?panel=${unique()}`;

    // The form's own check, then the hub's refusal, each next to its field.
    const urlInput = () => form().querySelector('input[name="url"]') as HTMLInputElement;
    const boxes = () => [...form().querySelectorAll<HTMLInputElement>('input[name="events"]')];
    for (const box of boxes()) box.checked = false;
    urlInput().value = url;
    form().requestSubmit();
    await waitUntil(() => s().querySelector('#webhook-events-error')?.textContent === 'Choose at least one event', 'no inline events error');
    for (const box of boxes()) box.checked = box.value === 'conversation.created';
    urlInput().value = 'ftp://example.com/hook';
    form().requestSubmit();
    await waitUntil(() => s().querySelector('#webhook-url-error')?.textContent?.includes('https'), 'the hub’s refusal not shown next to the URL');
    expect(urlInput().getAttribute('aria-invalid')).to.equal('true');
    expect(s().querySelector('#webhook-events-error')?.textContent).to.equal('');

    urlInput().value = url;
    form().requestSubmit();
    const row = () => [...s().querySelectorAll<HTMLElement>('tr.endpoint')].find((tr) => tr.querySelector('.url')?.textContent === url);
    const button = (selector: string) => row()?.querySelector(selector) as HTMLButtonElement;
    await waitUntil(row, `endpoint not listed: ${status(el)}`);
    expect(status(el)).to.contain('Endpoint added');
    expect(urlInput().getAttribute('aria-invalid')).to.equal('false');
    expect(urlInput().value).to.equal('', 'the form is blank again');
    const endpoint = (await api<{ items: WebhookEndpoint[] }>(admin, 'GET', '/api/webhooks')).items.find((e) => e.url === url) as WebhookEndpoint;
    expect(endpoint.events).to.deep.equal(['conversation.created']);
    expect(row()?.querySelector('.events')?.textContent).to.equal('conversation.created');

    // The secret: hidden until asked for, then the one that signs.
    expect(row()?.querySelector('code.secret')?.textContent).not.to.contain(endpoint.secret);
    button('button.show-secret').click();
    await waitUntil(() => row()?.querySelector('code.secret')?.textContent === endpoint.secret, 'secret not shown');
    expect(row()?.querySelector('button.show-secret')?.getAttribute('aria-pressed')).to.equal('true');

    // A visitor writes: conversation.created is posted to the receiver.
    const v = await visitor(`webhook ${unique()}`);
    const [delivered] = await deliveriesUntil(admin, endpoint.id, (items) => items[0]?.status === 'delivered', 'the delivery was not posted');
    button('button.deliveries-toggle').click();
    const deliveryRow = (id: string | undefined) => s().querySelector<HTMLElement>(`tr.delivery[data-id="${id}"]`);
    await waitUntil(() => deliveryRow(delivered?.id), 'delivery not listed');
    const shown = deliveryRow(delivered?.id) as HTMLElement;
    expect(shown.dataset['status']).to.equal('delivered');
    expect(shown.querySelector('.status')?.textContent).to.equal('Delivered');
    expect(shown.querySelector('.code')?.textContent).to.equal('200');
    expect(shown.querySelector('.attempts')?.textContent).to.equal('1');
    expect(shown.querySelector('.next')?.textContent).to.equal('—');
    expect(row()?.querySelector('button.deliveries-toggle')?.getAttribute('aria-expanded')).to.equal('true');
    const receiver = new URL(testHub.webhookReceiver).origin;
    const received = async () => (await (await fetch(`${receiver}/received`)).json()) as { headers: Record<string, string>; body: string }[];
    const posted = (await received()).filter((r) => r.headers['switchboard-delivery'] === delivered?.id);
    expect(posted.length).to.equal(1);
    expect(JSON.parse(posted[0]?.body ?? '{}').data.conversation.id).to.equal(v.conversationId);

    await expect(el).to.be.accessible();

    // Resend: a new delivery of the same event, listed first, then delivered.
    (shown.querySelector('button.resend') as HTMLButtonElement).click();
    await waitUntil(() => status(el).includes('Resent'), `resend not confirmed: ${status(el)}`);
    const [resent] = await deliveriesUntil(admin, endpoint.id, (items) => items.length === 2 && items[0]?.status === 'delivered', 'the resend was not posted');
    expect(resent?.resendOf).to.equal(delivered?.id);
    expect(resent?.eventId).to.equal(delivered?.eventId);
    (s().querySelector('section.deliveries button.refresh') as HTMLButtonElement).click();
    await waitUntil(() => deliveryRow(resent?.id)?.dataset['status'] === 'delivered', 'resent delivery not shown as delivered');
    expect(s().querySelector('tr.delivery')?.getAttribute('data-id')).to.equal(resent?.id, 'latest first');
    expect((await received()).filter((r) => r.headers['switchboard-delivery'] === resent?.id).length).to.equal(1);

    // Edit: the form holds the endpoint; one more event, saved.
    button('button.edit').click();
    await waitUntil(() => s().querySelector('form.edit-webhook') && urlInput().value === url, 'edit form not filled');
    expect(
      boxes()
        .filter((b) => b.checked)
        .map((b) => b.value),
    ).to.deep.equal(['conversation.created']);
    const messages = boxes().find((b) => b.value === 'message.created') as HTMLInputElement;
    messages.click();
    form().requestSubmit();
    await waitUntil(() => status(el).includes('Endpoint saved'), `edit not saved: ${status(el)}`);
    await waitUntil(() => s().querySelector('form.new-webhook'), 'the form did not go back to adding');
    const edited = (await api<{ items: WebhookEndpoint[] }>(admin, 'GET', '/api/webhooks')).items.find((e) => e.id === endpoint.id);
    expect(edited?.events).to.deep.equal(['conversation.created', 'message.created']);
    expect(edited?.url).to.equal(url);

    // Disable, then delete (confirmed): the endpoint and its deliveries go.
    button('button.toggle').click();
    await waitUntil(() => row()?.querySelector('.enabled')?.textContent === 'Disabled', 'not disabled');
    const confirm = window.confirm;
    window.confirm = () => true;
    try {
      button('button.delete').click();
      await waitUntil(() => !row(), 'endpoint not deleted');
    } finally {
      window.confirm = confirm;
    }
    expect(s().querySelector('section.deliveries')).to.equal(null);
    expect((await api<{ items: WebhookEndpoint[] }>(admin, 'GET', '/api/webhooks')).items.some((e) => e.id === endpoint.id)).to.equal(false);
    v.socket.disconnect();
  });
});
