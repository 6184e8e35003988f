// The conversation view on a phone (390 × 844): the side panel (customer info, contact, tags, notes, downloads) is one
// tap away behind a Details tab, and each part of it can be reached and used.
import { expect, waitUntil } from '@open-wc/testing';
import type { ConversationDetail } from '../protocol/types.js';
import { api, login, onPhone, open, panel, root, side, sideRoot, unique, view, viewRoot, visitor } from './test-helpers.js';

/** Is `target` on screen and the element a tap at its centre would reach? */
function reachable(shadow: ShadowRoot, target: Element): boolean {
  const r = target.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return false;
  const x = r.left + Math.min(r.width / 2, 20);
  const y = r.top + Math.min(r.height / 2, 10);
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const hit = shadow.elementFromPoint(x, y);
  return hit !== null && (hit === target || target.contains(hit));
}

describe('<switchboard-agent-panel> conversation on a 390 × 844 phone', () => {
  onPhone();
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('reaches customer info, contact, tags, notes and downloads from a Details tab, and comes back to the chat', async () => {
    const name = `Phone${unique()}`;
    const v = await visitor('I am on my phone', { first_name: name, email: `${name}@example.com` });
    const el = await panel(admin, 390, 844);
    await open(el, v.conversationId);
    expect(el.getBoundingClientRect().height).to.equal(844);

    const tabs = [...viewRoot(el).querySelectorAll<HTMLButtonElement>('[role="tablist"] [role="tab"]')];
    expect(tabs.map((t) => t.textContent?.trim())).to.deep.equal(['Conversation', 'Details']);
    const [chatTab, detailsTab] = tabs as [HTMLButtonElement, HTMLButtonElement];
    expect(chatTab.getAttribute('aria-selected')).to.equal('true');
    const composer = viewRoot(el).querySelector('#reply') as HTMLTextAreaElement;
    expect(reachable(viewRoot(el), composer)).to.equal(true);
    expect(getComputedStyle(side(el) as HTMLElement).display).to.equal('none');

    detailsTab.click();
    await waitUntil(
      () => detailsTab.getAttribute('aria-selected') === 'true' && getComputedStyle(side(el) as HTMLElement).display !== 'none',
      'details did not show',
    );
    expect(detailsTab.getAttribute('aria-controls')).to.equal(side(el)?.id);
    // The header (back, name, status, tabs) stays; the transcript and composer make room.
    expect(reachable(viewRoot(el), detailsTab)).to.equal(true);
    expect(getComputedStyle(composer).display === 'none' || !reachable(viewRoot(el), composer)).to.equal(true);

    const s = sideRoot(el);
    const parts: [string, Element | null][] = [
      ['customer info', s.querySelector('section.user .user-email')],
      ['contact', s.querySelector('sb-contact-card')],
      ['conversation tags', s.querySelector('form.add-tag input')],
      ['assignees', s.querySelector('.assignees input')],
      ['notes', s.querySelector('form.add-note textarea')],
      ['downloads', s.querySelector('button.download-user')],
    ];
    for (const [what, target] of parts) {
      expect(target, what).to.exist;
      (target as Element).scrollIntoView({ block: 'center' });
      await waitUntil(() => reachable(s, target as Element), `${what} cannot be reached at 390 × 844`);
    }

    // And used: a note written on the phone reaches the hub.
    const form = s.querySelector('form.add-note') as HTMLFormElement;
    (form.querySelector('textarea') as HTMLTextAreaElement).value = 'written on a phone';
    form.requestSubmit();
    await waitUntil(async () =>
      (await api<ConversationDetail>(admin, 'GET', `/api/conversations/${v.conversationId}`)).notes.some((n) => n.text === 'written on a phone'),
    );

    chatTab.click();
    await waitUntil(() => reachable(viewRoot(el), composer), 'the chat did not come back');
    expect(getComputedStyle(side(el) as HTMLElement).display).to.equal('none');

    // Back to the list: the list pane shows again.
    viewRoot(el).querySelector<HTMLButtonElement>('button.back')?.click();
    await waitUntil(() => view(el) === null && getComputedStyle(root(el).querySelector('.list-pane') as HTMLElement).display !== 'none');
    v.socket.disconnect();
  });

  it('gives the room of the account settings to the transcript while a conversation is open, and brings them back with the list', async () => {
    const v = await visitor('so much to read on a phone');
    const el = await panel(admin, 390, 844);
    const settings = () => [root(el).querySelector('.top .email-me'), root(el).querySelector('.top .logout')] as HTMLElement[];
    expect(settings().map((e) => getComputedStyle(e).display)).to.not.include('none');
    const transcript = () => viewRoot(el).querySelector('.transcript, [role="log"]') as HTMLElement;
    await open(el, v.conversationId);
    await waitUntil(() => transcript() !== null && getComputedStyle(root(el).querySelector('.top .logout') as HTMLElement).display === 'none');
    expect(settings().map((e) => getComputedStyle(e).display)).to.deep.equal(['none', 'none']);
    // The screens stay one tap away, and so does the connection's status.
    expect(reachable(root(el), root(el).querySelector('.top nav button') as Element)).to.equal(true);
    expect(getComputedStyle(root(el).querySelector('.top .status') as HTMLElement).display).to.not.equal('none');
    expect(transcript().getBoundingClientRect().height, 'the height of the transcript on an 844 px screen').to.be.at.least(300);

    viewRoot(el).querySelector<HTMLButtonElement>('button.back')?.click();
    await waitUntil(() => view(el) === null);
    expect(settings().map((e) => getComputedStyle(e).display)).to.not.include('none');
    expect(reachable(root(el), root(el).querySelector('.top .logout') as Element)).to.equal(true);
    v.socket.disconnect();
  });

  it('keeps the top bar to two rows above the list: the screens, then the account beside Sign out', async () => {
    const el = await panel(admin, 390, 844);
    const box = (selector: string) => (root(el).querySelector(`.top ${selector}`) as HTMLElement).getBoundingClientRect();
    const [nav, status, emailMe, logout] = ['nav', '.status', '.email-me', '.logout'].map(box) as [DOMRect, DOMRect, DOMRect, DOMRect];
    // This hub has no mail server, so the honest note is there, at its longest.
    expect(root(el).querySelector('.top .mail-off')?.textContent).to.equal('(this hub sends no email yet)');
    expect(status.top, 'the account below the screens').to.be.at.least(nav.bottom);
    expect(emailMe.top, 'the email setting below the name').to.be.at.least(status.bottom - 1);
    expect(logout.left, 'Sign out beside the account, not below it').to.be.at.least(Math.max(status.right, emailMe.right));
    expect(logout.top).to.be.below(emailMe.bottom);
    const bar = (root(el).querySelector('.top') as HTMLElement).getBoundingClientRect();
    expect(bar.bottom - Math.max(emailMe.bottom, logout.bottom), 'nothing below the account row').to.be.at.most(12);
    for (const part of [nav, status, emailMe, logout]) expect(part.right, 'within the screen').to.be.at.most(390);
  });

  it('the close dialog fits the phone', async () => {
    const v = await visitor('close me on a phone');
    const el = await panel(admin, 390, 844);
    await open(el, v.conversationId);
    viewRoot(el).querySelector<HTMLButtonElement>('button.close')?.click();
    const dialog = viewRoot(el).querySelector('dialog.close-dialog') as HTMLDialogElement;
    await waitUntil(() => dialog.open);
    const r = dialog.getBoundingClientRect();
    expect(r.left >= 0 && r.right <= 390 && r.top >= 0 && r.bottom <= 844, JSON.stringify(r)).to.equal(true);
    expect(reachable(viewRoot(el), dialog.querySelector('button.confirm-close') as Element)).to.equal(true);
    dialog.querySelector<HTMLButtonElement>('button.cancel')?.click();
    await waitUntil(() => !dialog.open);
    v.socket.disconnect();
  });
});
