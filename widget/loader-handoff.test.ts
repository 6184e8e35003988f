// The loader's launcher handing over to the chat's when the chat loads without opening (here: keyboard focus on the
// launcher, with data-load="interaction"): same place, same theme, focus kept, and the hub's unread count carried
// over without counting the catch-up twice. Needs `npm run build`.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { testHub } from '../test/helpers/browser-hub.js';
import { type ReturningVisitor, returningVisitor } from '../test/helpers/returning-visitor.js';
import type { WebchatApi } from './loader.js';
import type { SwitchboardWebchat } from './webchat.js';

const ACCENT = 'rgb(140, 20, 90)';

describe('widget.js: the launcher handoff', () => {
  let visitor: ReturningVisitor;
  let widget: WebchatApi;
  let host: HTMLElement;
  const unread: number[] = [];

  before(async () => {
    visitor = await returningVisitor();
    const theme = document.createElement('style');
    theme.textContent = `switchboard-webchat { --sb-accent: ${ACCENT}; }`;
    document.head.append(theme);
    const script = document.createElement('script');
    script.src = `${testHub.url}/widget.js`;
    script.dataset['site'] = 'demo';
    script.dataset['load'] = 'interaction';
    const loaded = oneEvent(script, 'load');
    document.head.append(script);
    await loaded;
    widget = window.SwitchboardWebchat as WebchatApi;
    widget.on('unread', ({ count }) => unread.push(count));
    host = document.body.querySelector('switchboard-webchat') as HTMLElement;
  });

  after(() => visitor.close());

  const launcher = () => host.shadowRoot?.querySelector<HTMLButtonElement>('[part="launcher"]') as HTMLButtonElement;

  it('focusing the launcher loads the chat, whose launcher takes the place, the look, the badge and the focus', async () => {
    await waitUntil(() => host.shadowRoot?.querySelector('[part="badge"]')?.textContent === '1', 'no badge from the hub');
    expect(unread).to.deep.equal([1]);
    const before = launcher();
    const box = before.getBoundingClientRect();
    before.focus();
    const element: SwitchboardWebchat = await widget.ready;
    const after = launcher();
    expect(after).to.not.equal(before);
    expect(element.shadowRoot?.activeElement).to.equal(after, 'focus moved to the chat’s launcher');
    expect(element.open).to.equal(false);
    expect(after.getAttribute('aria-label')).to.equal('Open chat (1 unread messages)');
    expect(getComputedStyle(after).backgroundColor).to.equal(ACCENT);
    const moved = after.getBoundingClientRect();
    expect([moved.x, moved.y, moved.width, moved.height]).to.deep.equal([box.x, box.y, box.width, box.height]);
    // The catch-up brings the reply the hub already counted: still 1, not 2.
    await element.chat.ready;
    await waitUntil(() => element.chat.messages.some((m) => m.id === visitor.unseen.id), 'the unseen reply did not arrive');
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part="badge"]')?.textContent).to.equal('1');
  });

  it('counts what arrives after that, and clears on open (the hub too)', async () => {
    const element = widget.element as SwitchboardWebchat;
    await visitor.reply('Anything else I can do?');
    await waitUntil(() => element.shadowRoot?.querySelector('[part="badge"]')?.textContent === '2', 'the new reply is not counted');
    expect(unread.at(-1)).to.equal(2);
    widget.open();
    await waitUntil(() => unread.at(-1) === 0, 'not cleared on open');
    await waitUntil(async () => (await visitor.unread()).count === 0, 'the hub still counts them unread');
    widget.close();
  });
});
