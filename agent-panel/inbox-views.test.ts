// The inbox views row, the dashboard tiles, and the list's live search and filters, against the real hub of the test
// run. The hub is shared by every browser test: data is made unique and counts are compared with the hub's answer.
import { expect, waitUntil } from '@open-wc/testing';
import type { ConversationList, LanguageCount } from '../protocol/api.js';
import { type DashboardStats, INBOXES, type Inbox } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, list, listRoot, listedIds, login, panel, root, spyOnList, unique, visitor } from './test-helpers.js';

const LABELS = ['New', 'Active', 'Pending', 'Expired', 'Outgoing', 'Inactive', 'Closed', 'Mine', 'Unassigned', 'All'];

const viewButton = (el: SwitchboardAgentPanel, inbox: Inbox) =>
  listRoot(el).querySelector<HTMLButtonElement>(`.views [data-inbox="${inbox}"]`) as HTMLButtonElement;
const searchBox = (el: SwitchboardAgentPanel) => listRoot(el).querySelector<HTMLInputElement>('input[name="q"]') as HTMLInputElement;

/** Types `text` into an input one character at a time, as a person would: `input` events only, no Enter, no blur. */
function type(input: HTMLInputElement, text: string): void {
  input.focus();
  input.value = '';
  for (const ch of text) {
    input.value += ch;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: ch, inputType: 'insertText' }));
  }
}

describe('<switchboard-agent-panel> inbox views and tiles', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('shows the ten views, each with the hub’s count of unreplied messages, all in sight and reachable at 390 px', async () => {
    const el = await panel(admin, 390, 844);
    const row = listRoot(el).querySelector('.views') as HTMLElement;
    expect(row.getAttribute('aria-label')).to.equal('Inbox views');
    const buttons = [...row.querySelectorAll<HTMLButtonElement>('button[data-inbox]')];
    expect(buttons.map((b) => b.dataset['inbox'])).to.deep.equal([...INBOXES]);
    expect(buttons.map((b) => b.querySelector('.label')?.textContent?.trim())).to.deep.equal(LABELS);

    const hub = await api<Required<ConversationList>>(admin, 'GET', '/api/conversations');
    for (const inbox of INBOXES) {
      const n = viewButton(el, inbox).querySelector('.n') as HTMLElement;
      await waitUntil(
        () => n.getAttribute('aria-label') === `${hub.counts[inbox]} unreplied`,
        `${inbox}: count ${n.textContent} vs the hub's ${hub.counts[inbox]}`,
      );
      expect(n.textContent?.trim()).to.equal(String(hub.counts[inbox]));
      // Drawn as the rows' unreplied badge when there is something to answer; plain text for 0 and for Closed.
      expect(n.classList.contains('waiting'), `${inbox}: badge`).to.equal(hub.counts[inbox] > 0 && inbox !== 'closed');
    }

    // The buttons wrap (at most three short lines at 390 px) rather than hide: each is fully in sight, none clipped,
    // and each shows a focus ring when reached with the keyboard.
    expect(getComputedStyle(row).flexWrap).to.equal('wrap');
    expect(new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))).size).to.be.at.most(3);
    const box = row.getBoundingClientRect();
    for (const button of buttons) {
      const r = button.getBoundingClientRect();
      expect(r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom, `${button.dataset['inbox']} clipped`).to.equal(true);
      expect(
        listRoot(el)
          .elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
          ?.closest('button'),
      ).to.equal(button);
      button.focus();
      expect(button.matches(':focus-visible')).to.equal(true);
      expect(getComputedStyle(button).outlineStyle).to.equal('solid');
    }

    // Choosing a view: pressed, the hub asked, and the chosen button in sight.
    viewButton(el, 'all').click();
    viewButton(el, 'expired').click();
    await waitUntil(() => el.getFilter().inbox === 'expired' && viewButton(el, 'expired').getAttribute('aria-pressed') === 'true');
    expect(viewButton(el, 'all').getAttribute('aria-pressed')).to.equal('false');
  });

  it('tiles come in two labelled groups, “For you” and “Team”, show the hub’s numbers and open the matching view', async () => {
    const el = await panel(admin);
    const groups = [...root(el).querySelectorAll<HTMLElement>('.tiles [role="group"]')];
    const name = (g: HTMLElement) =>
      root(el)
        .getElementById(g.getAttribute('aria-labelledby') ?? '')
        ?.textContent?.trim();
    expect(groups.map(name)).to.deep.equal(['For you', 'Team']);
    const labels = (g: HTMLElement) => [...g.querySelectorAll('button.tile span')].map((s) => s.textContent?.trim());
    expect(labels(groups[0] as HTMLElement)).to.deep.equal(['Conversations assigned to me', 'My unreplied messages']);
    expect(labels(groups[1] as HTMLElement)).to.deep.equal(['Unassigned conversations', 'Unreplied messages']);

    const stats = await api<DashboardStats>(admin, 'GET', '/api/stats');
    const value = (cls: string) => Number(root(el).querySelector(`.tile.${cls} b`)?.textContent);
    await waitUntil(() => value('assigned') === stats.assignedToMe && value('unassigned') === stats.unassigned, 'tiles differ from the hub');
    expect(value('my-unreplied')).to.equal(stats.myUnreplied);
    expect(value('total-unreplied')).to.equal(stats.totalUnreplied);

    const opens: [string, Inbox][] = [
      ['assigned', 'mine'],
      ['my-unreplied', 'mine'],
      ['unassigned', 'unassigned'],
      ['total-unreplied', 'all'],
    ];
    for (const [cls, inbox] of opens) {
      el.setFilter({ inbox: 'closed', q: 'something' });
      await waitUntil(() => el.getFilter().inbox === 'closed');
      root(el).querySelector<HTMLButtonElement>(`.tile.${cls}`)?.click();
      await waitUntil(() => viewButton(el, inbox).getAttribute('aria-pressed') === 'true' && !list(el)?.loading, `${cls} did not open ${inbox}`);
      expect(el.getFilter(), cls).to.deep.equal({ inbox });
      expect(root(el).querySelector(`.tile.${cls}`)?.getAttribute('aria-current')).to.equal('true');
    }
  });

  it('search and the tag filter apply as you type (one request after typing stops, no Enter or blur), with an empty state', async () => {
    const el = await panel(admin);
    const name = `Live${unique()}`;
    const v = await visitor('find me as I type', { first_name: name });
    await waitUntil(() => listedIds(el).includes(v.conversationId));
    const spy = spyOnList();
    try {
      type(searchBox(el), name);
      await waitUntil(
        () => JSON.stringify(listedIds(el)) === JSON.stringify([v.conversationId]) && el.getFilter().q === name,
        'search did not apply while typing',
      );
      await waitUntil(() => spy.calls.some((c) => c.url.searchParams.get('q') === name), 'the search request was not recorded');
      const searched = spy.calls.filter((c) => c.url.searchParams.has('q'));
      expect(
        searched.map((c) => c.url.searchParams.get('q')),
        'one request for the whole word',
      ).to.deep.equal([name]);
      expect(searchBox(el).value).to.equal(name);

      // Nothing matches: say so, and offer to clear.
      type(searchBox(el), `${name}-nobody`);
      await waitUntil(() => listRoot(el).querySelector('.empty'), 'no empty state');
      expect(listRoot(el).querySelector('.empty')?.textContent).to.contain('No conversations match');
      listRoot(el).querySelector<HTMLButtonElement>('.empty button.clear-all')?.click();
      await waitUntil(() => el.getFilter().q === undefined && listedIds(el).includes(v.conversationId), 'clear did not bring the list back');
      expect(searchBox(el).value).to.equal('');

      // The tag filter, live too.
      const tag = `t${unique()}`;
      await api(admin, 'PUT', `/api/conversations/${v.conversationId}/tags`, { tags: [tag] });
      el.setFilter({ q: name });
      await waitUntil(() => listedIds(el).includes(v.conversationId) && !list(el)?.loading);
      listRoot(el).querySelector<HTMLButtonElement>('button.toggle-filters')?.click();
      const tagBox = listRoot(el).querySelector<HTMLInputElement>('input[name="tag"]') as HTMLInputElement;
      type(tagBox, `${tag}x`);
      await waitUntil(
        () => el.getFilter().tag === `${tag}x` && listedIds(el).length === 0 && listRoot(el).querySelector('.empty'),
        'tag filter did not apply while typing',
      );
      type(tagBox, tag);
      await waitUntil(() => el.getFilter().tag === tag && JSON.stringify(listedIds(el)) === JSON.stringify([v.conversationId]), 'tag filter did not find it');
      // A pause after a space searches for the words so far, and leaves the space in the box for the next word.
      el.setFilter({});
      await waitUntil(() => el.getFilter().q === undefined && searchBox(el).value === '');
      type(searchBox(el), `${name} `);
      await waitUntil(() => el.getFilter().q === name && !list(el)?.loading, 'search with a trailing space');
      expect(searchBox(el).value).to.equal(`${name} `);
    } finally {
      spy.restore();
      v.socket.disconnect();
    }
  });

  it('the language filter offers the visitor languages the hub reports and says what language the bot answers in; rows show language and channel', async () => {
    const name = `Lang${unique()}`;
    const v = await visitor('bonjour', { first_name: name }, 'fr-CA');
    const el = await panel(admin);
    listRoot(el).querySelector<HTMLButtonElement>('button.toggle-filters')?.click();
    const select = listRoot(el).querySelector<HTMLSelectElement>('select[name="language"]') as HTMLSelectElement;
    expect(select, 'a select of languages, not free text').to.exist;
    expect(select.closest('label')?.textContent).to.contain('Visitor language');
    expect(listRoot(el).querySelector('.bot-language')?.textContent).to.match(/bot answers in the language of its FAQs/i);

    const hub = (await api<{ items: LanguageCount[] }>(admin, 'GET', '/api/languages')).items;
    expect(hub.some((l) => l.language === 'fr-CA')).to.equal(true);
    const options = [...select.options].filter((o) => o.value);
    expect(options.map((o) => o.value)).to.deep.equal(hub.map((l) => l.language));
    for (const [i, o] of options.entries()) expect(o.textContent).to.contain(`(${hub[i]?.count})`);

    select.value = 'fr-CA';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const languagesListed = () => [...listRoot(el).querySelectorAll('li[role="option"] .language')].map((chip) => chip.textContent?.trim());
    await waitUntil(
      () => el.getFilter().language === 'fr-CA' && listedIds(el).includes(v.conversationId) && languagesListed().every((l) => l === 'fr-CA'),
      `language filter: ${languagesListed()}`,
    );
    const row = listRoot(el).querySelector(`li[data-id="${v.conversationId}"]`) as HTMLElement;
    expect(row.querySelector('.language')?.getAttribute('title')).to.contain('Visitor language');
    expect(row.querySelector('.channel')?.textContent?.trim()).to.equal('Webchat');
    v.socket.disconnect();
  });
});
