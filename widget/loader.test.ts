// The built bundle, exactly as a site embeds it: one <script src="HUB/widget.js" data-site async>.
// Needs `npm run build` (or `SB_TARGET=widget npx vite build`) so that the hub serves dist/widget.js.
// This file does not import the element's source: the bundle defines <switchboard-webchat> itself.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { ConversationDetail, Visitor } from '../protocol/types.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import type { WebchatApi } from './loader.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `t-${Math.random().toString(36).slice(2)}`;
const XSS = '<img src=x onerror="window.__pwned=1">';

describe('widget.js from a script tag', () => {
  let admin: string;
  let widget: WebchatApi;
  let element: SwitchboardWebchat;
  const email = `${unique()}@example.com`;

  before(async () => {
    admin = await login();
    indexedDB.deleteDatabase('switchboard-webchat'); // a fresh visitor for this page
    window.SMARTLY_USER_DATA = { first_name: 'Script', last_name: XSS, email, comments: '<script>window.__pwned=1</script>' };
    const script = document.createElement('script');
    script.src = `${testHub.url}/widget.js`;
    script.async = true;
    script.dataset['site'] = 'demo';
    script.dataset['sw'] = '/demo/sw.js'; // the sample worker, served from this page's origin
    const loaded = oneEvent(script, 'load');
    document.head.append(script);
    await loaded;
    await waitUntil(() => window.SwitchboardWebchat, 'window.SwitchboardWebchat was not set');
    widget = window.SwitchboardWebchat as WebchatApi;
    element = widget.element;
  });

  it('mounts <switchboard-webchat> in the body with the hub taken from the script’s origin', () => {
    expect(typeof widget.open).to.equal('function');
    expect(typeof widget.close).to.equal('function');
    expect(typeof widget.update).to.equal('function');
    expect(typeof widget.on).to.equal('function');
    const mounted = document.body.querySelector('switchboard-webchat');
    expect(mounted).to.equal(element);
    expect(element.hub).to.equal(new URL(testHub.url).origin);
    expect(element.site).to.equal('demo');
    expect(element.shadowRoot?.querySelector('[part="launcher"]')).to.exist;
  });

  it('opens and closes through the API and reports it with events', async () => {
    const events: string[] = [];
    const stopOpen = widget.on('open', () => events.push('open'));
    const stopClose = widget.on('close', () => events.push('close'));
    widget.open();
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part="panel"]')).to.exist;
    await waitUntil(() => element.shadowRoot?.activeElement?.tagName === 'TEXTAREA', 'composer not focused on open');
    widget.close();
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part="panel"]')).to.equal(null);
    stopOpen();
    stopClose();
    widget.open();
    await element.updateComplete;
    widget.close();
    await element.updateComplete;
    expect(events).to.deep.equal(['open', 'close']);
  });

  it('sends SMARTLY_USER_DATA to the hub, and update() replaces it', async () => {
    await element.chat.ready;
    await element.chat.send('hello from the script tag');
    await waitUntil(() => element.chat.conversation !== null && element.chat.messages.some((m) => m.author === 'bot'), 'no answer');
    const detail = await api<ConversationDetail>(admin, 'GET', `/api/conversations/${element.chat.conversation?.id}`);
    expect(detail.visitor.userData).to.include({ first_name: 'Script', last_name: XSS, email });
    expect(detail.messages.map((m) => m.text)).to.include('hello from the script tag');

    window.SMARTLY_USER_DATA = { first_name: 'Renamed', email };
    expect(await widget.update()).to.deep.equal({ verified: false });
    const visitor = await api<Visitor>(admin, 'GET', `/api/visitors/${detail.visitor.id}`);
    expect(visitor.userData.first_name).to.equal('Renamed');

    expect(await widget.update({ first_name: 'Explicit', email })).to.deep.equal({ verified: false });
    expect((await api<Visitor>(admin, 'GET', `/api/visitors/${detail.visitor.id}`)).userData.first_name).to.equal('Explicit');
  });

  it('reports messages from the hub through on("message") and the unread count through on("unread")', async () => {
    const counts: number[] = [];
    const stop = widget.on('unread', ({ count }) => counts.push(count));
    const message = new Promise<string>((resolve) => widget.on('message', (m) => resolve(m.text)));
    await element.chat.send('what are your opening hours?');
    expect(await message).to.be.a('string');
    await waitUntil(() => counts.length > 0, 'no unread event');
    expect(counts[0]).to.be.greaterThan(0);
    widget.open();
    await waitUntil(() => counts.at(-1) === 0, 'unread not cleared on open');
    stop();
    widget.close();
  });

  it('registers the site’s service worker through workbox-window when data-sw is set', async () => {
    await waitUntil(async () => (await navigator.serviceWorker.getRegistration('/demo/'))?.active, 'the service worker never became active', {
      timeout: 10000,
    });
    const registration = await navigator.serviceWorker.getRegistration('/demo/');
    expect(registration?.active?.scriptURL).to.equal(new URL('/demo/sw.js', location.href).href);
    await registration?.unregister();
  });

  it('never runs markup from user data or messages', () => {
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(document.querySelector('img[src="x"]')).to.equal(null);
  });
});
