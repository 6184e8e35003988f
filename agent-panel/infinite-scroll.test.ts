// The list pages with the hub's keyset cursor: the first page comes with the filter; scrolling to the end of the list
// (or "Show more") appends the next, until every matching conversation is listed once. A total the hub only knows
// as a lower bound (a search for a common word) shows as "1,000+".
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConversationList } from '../protocol/api.js';
import type { ConversationListView } from './components/conversation-list.js';
import { api, list, listRoot, listedIds, login, panel, unique, visitor } from './test-helpers.js';

describe('<switchboard-agent-panel> infinite scroll', () => {
  it('lists 60 matching conversations in pages of 50: the end of the list loads the rest, each once', async () => {
    const admin = await login();
    const name = `Scroller${unique().replace(/[^a-z0-9]/gi, '')}`;
    const visitors = [];
    for (let i = 0; i < 60; i++) visitors.push(await visitor(`page me ${i}`, { first_name: name }));
    // A panel shorter than the window, as on a CRM page that fits the screen: only the list's own scrolling hides its end.
    const el = await panel(admin, 1280, Math.min(500, window.innerHeight - 100));
    el.setFilter({ inbox: 'all', q: name });
    await waitUntil(() => list(el)?.total === 60 && listedIds(el).length === 50, 'the first page of 50 did not show', { timeout: 8000 });
    const more = () => listRoot(el).querySelector<HTMLButtonElement>('.load-more');
    expect(more()?.textContent).to.contain('50 of 60');
    // Not before: the end of the list is out of view (intersection observers report on the next frames).
    for (let frame = 0; frame < 3; frame++) await new Promise(requestAnimationFrame);
    expect(el.inbox.loadingMore, 'asked for the next page without a scroll').to.equal(false);
    expect(listedIds(el)).to.have.length(50);

    // Scrolling the end of the list into view asks for the next page.
    more()?.scrollIntoView();
    await waitUntil(() => listedIds(el).length === 60, 'the next page did not load on scroll', { timeout: 8000 });
    const ids = listedIds(el);
    expect(new Set(ids).size).to.equal(60, 'no conversation listed twice');
    await waitUntil(() => more() === null, 'the "Show more" button stayed after the last page');
    for (const v of visitors) v.socket.disconnect();
  });

  it('a live list keeps the rows loaded: new conversations push the last ones into the next page, listed again by "more"', async () => {
    const admin = await login();
    const visitors = [];
    // Scottish Gaelic: no other test's visitors, so the filtered list is this test's alone.
    for (let i = 0; i < 52; i++) visitors.push(await visitor(`earlier ${i}`, {}, 'gd'));
    const el = await panel(admin);
    el.setFilter({ inbox: 'all', language: 'gd' });
    await waitUntil(() => list(el)?.total === 52 && listedIds(el).length === 50, 'the first page of 50 did not show', { timeout: 8000 });
    const firstPage = listedIds(el);

    for (let i = 0; i < 3; i++) visitors.push(await visitor(`later ${i}`, {}, 'gd'));
    const newest = visitors.slice(-3).map((v) => v.conversationId);
    await waitUntil(() => list(el)?.total === 55 && newest.every((id) => listedIds(el).includes(id)), 'the new conversations did not show');
    expect(listedIds(el)).to.deep.equal([...newest.reverse(), ...firstPage.slice(0, 47)], 'still 50 rows: the new on top');

    // A conversation cut off the end writes again: back on top, and still counted once.
    const cutOff = visitors.find((v) => v.conversationId === firstPage[49]);
    await cutOff?.say('back again');
    await waitUntil(() => listedIds(el)[0] === cutOff?.conversationId, 'the conversation that wrote again is not on top');
    expect(list(el)?.total).to.equal(55);
    expect(listedIds(el)).to.have.length(50);

    await el.inbox.loadMore();
    const { items } = await api<ConversationList>(admin, 'GET', '/api/conversations?inbox=all&language=gd&limit=200');
    expect(listedIds(el)).to.deep.equal(
      items.map((c) => c.id),
      'the next page starts where the list was cut: every conversation once, in order',
    );
    for (const v of visitors) v.socket.disconnect();
  });

  it('shows a lower-bound total with a plus, an exact one as it is', async () => {
    const admin = await login();
    const name = `Counted${unique().replace(/[^a-z0-9]/gi, '')}`;
    const v = await visitor('count me', { first_name: name });
    const { items } = await api<ConversationList>(admin, 'GET', `/api/conversations?q=${name}`);
    expect(items.length).to.equal(1);
    const view = await fixture<ConversationListView>(
      html`<sb-conversation-list .items=${items} .total=${1000} .totalIsLowerBound=${true} more></sb-conversation-list>`,
    );
    const text = (selector: string) => view.shadowRoot?.querySelector(selector)?.textContent?.trim();
    expect(text('.total')).to.equal('1,000+ conversations');
    expect(text('.load-more')).to.equal('Show more (1 of 1,000+)');
    view.total = 1;
    view.totalIsLowerBound = false;
    await view.updateComplete;
    expect(text('.total')).to.equal('1 conversation');
    expect(text('.load-more')).to.equal('Show more (1 of 1)');
    v.socket.disconnect();
  });
});
