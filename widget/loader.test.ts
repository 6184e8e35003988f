// The built loader, exactly as a site embeds it: one <script src="HUB/widget.js" data-site async>, here with
// data-load="interaction" so that nothing but the loader runs until the visitor (or the page's API call) asks for the
// chat. Needs `npm run build` so that the hub serves dist/widget.js and its app chunk.
// This file does not import the element's source: the app chunk defines <switchboard-webchat> itself.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { ConversationDetail, Visitor } from '../protocol/types.js';
import { api, testHub } from '../test/helpers/browser-hub.js';
import { type ReturningVisitor, returningVisitor } from '../test/helpers/returning-visitor.js';
import type { WebchatApi } from './loader.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `t-${Math.random().toString(36).slice(2)}`;
const XSS = '<img src=x onerror="window.__pwned=1">';
const ACCENT = 'rgb(11, 122, 82)';

const appRequested = () =>
  performance.getEntriesByType('resource').some((entry) => entry.name.includes('/widget-app.')) ||
  document.querySelector('script[src*="widget-app."]') !== null;

describe('widget.js from a script tag', () => {
  let visitor: ReturningVisitor;
  let widget: WebchatApi;
  let host: HTMLElement;
  const email = `${unique()}@example.com`;
  const events: string[] = [];
  const unreadCounts: number[] = [];

  before(async () => {
    // A returning visitor with an agent reply they have not seen.
    visitor = await returningVisitor({ first_name: 'Script', email });
    window.SMARTLY_USER_DATA = { first_name: 'Script', last_name: XSS, email, comments: '<script>window.__pwned=1</script>' };
    const theme = document.createElement('style');
    theme.textContent = `switchboard-webchat { --sb-accent: ${ACCENT}; }`;
    document.head.append(theme);
    const script = document.createElement('script');
    script.src = `${testHub.url}/widget.js`;
    script.async = true;
    script.dataset['site'] = 'demo';
    script.dataset['load'] = 'interaction';
    script.dataset['sw'] = '/demo/sw.js'; // the sample worker, served from this page's origin
    const loaded = oneEvent(script, 'load');
    document.head.append(script);
    await loaded;
    widget = window.SwitchboardWebchat as WebchatApi;
    host = document.body.querySelector('switchboard-webchat') as HTMLElement;
  });

  after(() => visitor.close());

  const launcher = () => host.shadowRoot?.querySelector<HTMLButtonElement>('[part="launcher"]') ?? null;

  it('sets window.SwitchboardWebchat at once and shows the launcher, themed, without loading the chat', async () => {
    expect(typeof widget.open).to.equal('function');
    expect(typeof widget.close).to.equal('function');
    expect(typeof widget.update).to.equal('function');
    expect(typeof widget.on).to.equal('function');
    expect(widget.ready).to.be.an.instanceof(Promise);
    expect(widget.element).to.equal(undefined);
    expect(host.getAttribute('hub')).to.equal(new URL(testHub.url).origin);
    expect(host.getAttribute('site')).to.equal('demo');
    const button = launcher();
    expect(button?.getAttribute('aria-label')).to.match(/^Open chat/);
    expect(getComputedStyle(button as HTMLButtonElement).backgroundColor).to.equal(ACCENT);
    expect(button?.tabIndex).to.equal(0); // keyboard focusable (focusing it loads the chat: loader-handoff.test.ts)
  });

  it('shows the unread count from the hub for a returning visitor, without loading the chat', async () => {
    await waitUntil(() => host.shadowRoot?.querySelector('[part="badge"]')?.textContent === '1', 'no badge from the hub');
    expect(launcher()?.getAttribute('aria-label')).to.equal('Open chat (1 unread messages)');
    // Well after the load event, with idle loading off: no request for the app chunk, no element defined.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(appRequested()).to.equal(false);
    expect(customElements.get('switchboard-webchat')).to.equal(undefined);
    expect(widget.element).to.equal(undefined);
  });

  it('honours the API calls made before the chat has loaded', async () => {
    widget.on('open', () => events.push('open'));
    widget.on('close', () => events.push('close'));
    widget.on('unread', ({ count }) => unreadCounts.push(count));
    const stopped = widget.on('open', () => events.push('stopped listener'));
    stopped();
    // Explicit data goes with the connect (resolves null: not connected yet).
    expect(await widget.update({ ...window.SMARTLY_USER_DATA, first_name: 'Early' })).to.equal(null);
    widget.close(); // nothing to close: no event
    expect(events).to.deep.equal([]);
  });

  it('a click on the launcher loads the chat and opens it with the composer focused', async () => {
    launcher()?.click();
    const element = await widget.ready;
    expect(widget.element).to.equal(element);
    expect(element).to.equal(host);
    expect(customElements.get('switchboard-webchat')).to.exist;
    // The app chunk came from a module script with the integrity hash the loader was built with.
    const tag = document.querySelector<HTMLScriptElement>('script[src*="widget-app."]');
    expect(tag?.type).to.equal('module');
    expect(tag?.integrity).to.match(/^sha384-/);
    expect(tag?.crossOrigin).to.equal('anonymous');
    expect(element.shadowRoot?.querySelector('[part="panel"]')).to.exist;
    await waitUntil(() => element.shadowRoot?.activeElement?.tagName === 'TEXTAREA', 'composer not focused on open');
    // The loader's launcher is gone; the chat shows the reply the visitor had not seen, and marks it read.
    expect(element.shadowRoot?.querySelectorAll('[part="launcher"]')).to.have.length(0);
    await waitUntil(() => element.chat.messages.some((m) => m.id === visitor.unseen.id), 'the unseen reply is not shown');
    await waitUntil(async () => (await visitor.unread()).count === 0, 'the hub still counts the reply unread');
    expect(events).to.deep.equal(['open']);
    expect(unreadCounts).to.include(0);
    expect(element.hub).to.equal(new URL(testHub.url).origin);
    expect(element.site).to.equal('demo');
  });

  it('sent the data given to update() before the load with the connect, and update() replaces it', async () => {
    const element = widget.element as SwitchboardWebchat;
    await element.chat.ready;
    const detail = await api<ConversationDetail>(visitor.admin, 'GET', `/api/conversations/${visitor.conversationId}`);
    expect(detail.visitor.userData).to.include({ first_name: 'Early', last_name: XSS, email });

    window.SMARTLY_USER_DATA = { first_name: 'Renamed', email };
    expect(await widget.update()).to.deep.equal({ verified: false });
    const visitorRow = await api<Visitor>(visitor.admin, 'GET', `/api/visitors/${detail.visitor.id}`);
    expect(visitorRow.userData.first_name).to.equal('Renamed');
    expect(await widget.update({ first_name: 'Explicit', email })).to.deep.equal({ verified: false });
    expect((await api<Visitor>(visitor.admin, 'GET', `/api/visitors/${detail.visitor.id}`)).userData.first_name).to.equal('Explicit');
  });

  it('opens and closes through the API and reports it with events', async () => {
    const element = widget.element as SwitchboardWebchat;
    events.length = 0;
    widget.close();
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part="panel"]')).to.equal(null);
    widget.open();
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part="panel"]')).to.exist;
    await waitUntil(() => element.shadowRoot?.activeElement?.tagName === 'TEXTAREA', 'composer not focused on open');
    widget.close();
    await element.updateComplete;
    expect(events).to.deep.equal(['close', 'open', 'close']);
  });

  it('reports messages from the hub through on("message") and the unread count through on("unread")', async () => {
    const element = widget.element as SwitchboardWebchat;
    unreadCounts.length = 0;
    const message = new Promise<string>((resolve) => widget.on('message', (m) => resolve(m.text)));
    await visitor.reply('One more thing while the chat is closed');
    expect(await message).to.equal('One more thing while the chat is closed');
    await waitUntil(() => unreadCounts.at(-1) === 1, 'no unread event');
    expect(element.shadowRoot?.querySelector('[part="badge"]')?.textContent).to.equal('1');
    widget.open();
    await waitUntil(() => unreadCounts.at(-1) === 0, 'unread not cleared on open');
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
