// The panel shell and the customers view, in headless Chromium against the real hub of the test run; live updates
// are applied in the panel from the push alone (zero REST requests), and internal events stay inside the element.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ConversationList } from '../protocol/api.js';
import type { ConversationSummary, DashboardStats } from '../protocol/types.js';
import { INBOXES } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { matchesFilter } from './filters.js';
import {
  api,
  list,
  listRoot,
  listedIds,
  login,
  newAgent,
  panel,
  requestUrl,
  root,
  spyOnList,
  testHub,
  unique,
  view,
  viewRoot,
  visitor,
} from './test-helpers.js';

/**
 * Records every request made through `window.fetch` (the panel's REST client uses it). The test's own calls go
 * through `hub` (as `token`, with the original fetch), so they are not counted.
 */
function spyOnFetch(token: string): { requests: string[]; hub: <T>(method: string, path: string, body?: unknown) => Promise<T>; restore(): void } {
  const original = window.fetch;
  const requests: string[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const { pathname, search } = requestUrl(input);
    requests.push(`${init?.method ?? 'GET'} ${pathname}${search}`);
    return original(input, init);
  };
  const hub = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await original(`${testHub.url}${path}`, { method, headers, body: JSON.stringify(body ?? {}) });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}`);
    return (await res.json()) as T;
  };
  return { requests, hub, restore: () => (window.fetch = original) };
}

const tab = (el: SwitchboardAgentPanel, inbox: string): number => Number(listRoot(el).querySelector(`[data-inbox="${inbox}"] .n`)?.textContent);
const tile = (el: SwitchboardAgentPanel, cls: string): number => Number(root(el).querySelector(`.tile.${cls} b`)?.textContent);

describe('<switchboard-agent-panel> shell and customers view', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('shows a sign-in form without a token, refuses a wrong password, signs in and keeps the token for the session', async () => {
    sessionStorage.clear();
    const el = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel .hub=${testHub.url}></switchboard-agent-panel>`);
    const form = root(el).querySelector('form.login') as HTMLFormElement;
    expect(form).to.exist;
    expect(form.getAttribute('part')).to.equal('base');
    (form.querySelector('[name=email]') as HTMLInputElement).value = testHub.admin.email;
    (form.querySelector('[name=password]') as HTMLInputElement).value = 'wrong password';
    form.requestSubmit();
    await waitUntil(() => root(el).querySelector('.error'), 'no error shown');
    (form.querySelector('[name=password]') as HTMLInputElement).value = testHub.admin.password;
    form.requestSubmit();
    await waitUntil(() => root(el).querySelector('.tiles') && list(el), 'did not sign in');
    expect(sessionStorage.getItem('switchboard-agent-token')).to.be.a('string');

    // A second element on the page picks the stored token up.
    const again = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel .hub=${testHub.url}></switchboard-agent-panel>`);
    await waitUntil(() => again.me !== null, 'stored token not used');
    (root(again).querySelector('button.logout') as HTMLButtonElement).click();
    await waitUntil(() => root(again).querySelector('form.login'));
    expect(sessionStorage.getItem('switchboard-agent-token')).to.equal(null);
  });

  it('takes a token set after connecting, and returns to sign-in when the hub revokes it', async () => {
    const token = await login();
    const el = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel .hub=${testHub.url}></switchboard-agent-panel>`);
    expect(root(el).querySelector('form.login')).to.exist;
    el.token = token;
    await waitUntil(() => el.me !== null && el.live.connected, 'token property not used');
    await api(token, 'POST', '/api/auth/logout');
    el.live.socket?.disconnect().connect();
    await waitUntil(() => root(el).querySelector('form.login .error'), 'revoked token not noticed');
  });

  it('is themed through --sb-* custom properties and ::part(base)', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div>
      <style>.themed { --sb-accent: rgb(1, 2, 3); --sb-font-size: 17px; } .themed::part(base) { border-top-width: 7px; }</style>
      <switchboard-agent-panel class="themed" .hub=${testHub.url} .token=${admin}></switchboard-agent-panel></div>`);
    const el = wrapper.querySelector('switchboard-agent-panel') as SwitchboardAgentPanel;
    await waitUntil(() => root(el).querySelector('[part="base"] .tiles') && list(el), 'panel did not load');
    const inbox = root(el).querySelector('button.inbox-tab') as HTMLElement;
    expect(getComputedStyle(inbox).backgroundColor).to.equal('rgb(1, 2, 3)');
    await waitUntil(() => listRoot(el)?.querySelector('[data-inbox="all"]'));
    expect(getComputedStyle(listRoot(el).querySelector('[data-inbox="all"]') as HTMLElement).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(el).fontSize).to.equal('17px');
    expect(getComputedStyle(root(el).querySelector('[part="base"]') as HTMLElement).borderTopWidth).to.equal('7px');
  });

  it('an invalid token shows the sign-in form', async () => {
    const el = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel .hub=${testHub.url} .token=${'not-a-token'}></switchboard-agent-panel>`);
    await waitUntil(() => root(el).querySelector('form.login .error'), 'no sign-in form');
  });

  it('updates the list live when a visitor writes, reorders by activity, and fires switchboard-escalation and switchboard-unread-changed', async () => {
    const el = await panel(admin);
    const escalation = oneEvent(el, 'switchboard-escalation');
    const first = await visitor('hello there', { first_name: `First${unique()}` });
    const second = await visitor('I want to talk to a human', { first_name: `Second${unique()}` });
    await waitUntil(
      () => listedIds(el).includes(first.conversationId) && listedIds(el).includes(second.conversationId),
      'new conversations did not appear live',
    );
    const esc = (await escalation) as CustomEvent<{ conversationId: string; botStatus: string }>;
    expect(esc.detail).to.deep.equal({ conversationId: second.conversationId, botStatus: 'need_help' });
    expect(esc.bubbles && esc.composed).to.equal(true);
    await waitUntil(() => listRoot(el).querySelector(`[data-id="${second.conversationId}"] .chip.need_help`), 'need help chip not shown');
    expect(listRoot(el).querySelector(`[data-id="${second.conversationId}"]`)?.classList.contains('unread')).to.equal(true);

    // The older conversation moves to the top when its visitor writes again.
    const unread = oneEvent(el, 'switchboard-unread-changed');
    await first.say('are you there?');
    await waitUntil(() => listedIds(el)[0] === first.conversationId, 'list did not reorder');
    expect(((await unread) as CustomEvent<{ total: number }>).detail.total).to.be.greaterThan(0);
    await waitUntil(
      () => listRoot(el).querySelector(`[data-id="${first.conversationId}"] .badge.unreplied`)?.textContent?.trim() === '2',
      'unreplied count not shown',
    );
    first.socket.disconnect();
    second.socket.disconnect();
  });

  it('search and every filter narrow the list (the hub answers, the panel shows exactly that)', async () => {
    const el = await panel(admin);
    const name = `Zed${unique()}`;
    const v = await visitor('I want to talk to a human', { first_name: name, email: `${name}@example.com` });
    await waitUntil(() => listedIds(el).includes(v.conversationId));

    const only = async (filter: Parameters<SwitchboardAgentPanel['setFilter']>[0], expected: string[], why: string) => {
      el.setFilter(filter);
      await waitUntil(() => !list(el)?.loading && JSON.stringify(listedIds(el)) === JSON.stringify(expected), why);
    };
    await only({ q: name.toLowerCase() }, [v.conversationId], 'search by name');
    await only({ q: `${name}@example.com` }, [v.conversationId], 'search by email');
    await only({ q: name, botStatus: 'ok' }, [], 'bot status ok');
    await only({ q: name, botStatus: 'need_help', ticketStatus: 'new', language: 'en', channel: 'webchat' }, [v.conversationId], 'matching filters');
    await only({ q: name, ticketStatus: 'resolved' }, [], 'ticket status');
    await only({ q: name, language: 'fr' }, [], 'language');
    await api(admin, 'PUT', `/api/conversations/${v.conversationId}/tags`, { tags: ['vip'] });
    await only({ q: name, tag: 'vip' }, [v.conversationId], 'tag vip');
    await only({ q: name, tag: 'other' }, [], 'other tag');
    await only({ q: name, inbox: 'unassigned' }, [v.conversationId], 'unassigned inbox');
    await only({ q: name, inbox: 'mine' }, [], 'mine inbox');
    await only({ q: name, inbox: 'closed' }, [], 'closed inbox');

    // Inbox buttons show the hub's counts.
    const counts = await api<Required<ConversationList>>(admin, 'GET', '/api/conversations');
    el.setFilter({});
    await waitUntil(() => listRoot(el).querySelector('[data-inbox="all"] .n')?.textContent === String(counts.counts.all), 'count not shown');

    // The search box drives the same query.
    const box = listRoot(el).querySelector('input[name="q"]') as HTMLInputElement;
    box.value = name;
    box.dispatchEvent(new Event('change'));
    await waitUntil(() => listedIds(el).length === 1 && el.getFilter().q === name, 'search box did not filter');
    v.socket.disconnect();
  });

  it('date range is on last activity: the August example', async () => {
    // Client mirror of the hub's rule, with the seed's example: active 1–10 August, searched 7–9 August.
    const august = {
      state: 'open',
      visitor: { name: 'A', email: null },
      lastMessage: null,
      channel: 'webchat',
      language: 'en',
      tags: [],
      assignees: [],
      holderId: null,
      botStatus: 'ok',
      ticketStatus: 'new',
      createdAt: '2026-08-01T10:00:00.000Z',
      lastActivityAt: '2026-08-10T15:00:00.000Z',
    } as unknown as ConversationSummary;
    expect(matchesFilter(august, { from: '2026-08-07', to: '2026-08-09' }, 'me')).to.equal(false);
    expect(matchesFilter(august, { from: '2026-08-01', to: '2026-08-10' }, 'me')).to.equal(true);
    expect(matchesFilter(august, { from: '2026-08-10', to: '2026-08-10' }, 'me')).to.equal(true);

    // The panel sends from/to to the hub, and the hub's answer respects last activity.
    const el = await panel(admin);
    const v = await visitor('dates please', { first_name: `Date${unique()}` });
    await waitUntil(() => listedIds(el).includes(v.conversationId));
    const spy = spyOnList();
    try {
      el.setFilter({ from: '2026-08-07', to: '2026-08-09' });
      await waitUntil(
        () => spy.calls.some((c) => c.url.searchParams.get('from') === '2026-08-07' && c.url.searchParams.get('to') === '2026-08-09'),
        'from/to not sent',
      );
      await waitUntil(() => !listedIds(el).includes(v.conversationId), 'conversation active today still listed for 7–9 August');
      const answer = spy.calls.find((c) => c.url.searchParams.get('from') === '2026-08-07')?.body as ConversationList;
      for (const item of answer.items) expect(item.lastActivityAt >= '2026-08-07' && item.lastActivityAt < '2026-08-10').to.equal(true);

      const today = new Date().toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      el.setFilter({ from: yesterday, to: yesterday });
      await waitUntil(() => spy.calls.some((c) => c.url.searchParams.get('to') === yesterday) && !list(el)?.loading);
      expect(listedIds(el)).not.to.include(v.conversationId);
      el.setFilter({ from: yesterday, to: today });
      await waitUntil(() => listedIds(el).includes(v.conversationId), 'not found in a range that holds its last activity');
    } finally {
      spy.restore();
      v.socket.disconnect();
    }
  });

  it('with sync-hash, reads filters from the hash at start and writes them back', async () => {
    const tag = `t${unique()}`;
    history.replaceState(null, '', `#inbox=unassigned&tag=${tag}&botStatus=need_help&bogus=1`);
    try {
      const el = await fixture<SwitchboardAgentPanel>(html`<switchboard-agent-panel sync-hash .hub=${testHub.url} .token=${admin}></switchboard-agent-panel>`);
      await waitUntil(() => list(el), 'panel did not load');
      expect(el.getFilter()).to.deep.equal({ inbox: 'unassigned', tag, botStatus: 'need_help' });
      await waitUntil(() => listRoot(el).querySelector('[data-inbox="unassigned"][aria-pressed="true"]'));
      (listRoot(el).querySelector('[data-inbox="closed"]') as HTMLButtonElement).click();
      await waitUntil(() => new URLSearchParams(location.hash.slice(1)).get('inbox') === 'closed', 'hash not updated');
      expect(new URLSearchParams(location.hash.slice(1)).get('tag')).to.equal(tag);
    } finally {
      history.replaceState(null, '', location.pathname + location.search);
    }
  });

  it('keyboard: j/k and arrows move through the list, Enter opens; switchboard-conversation-selected fires', async () => {
    const a = await visitor('one');
    const b = await visitor('two');
    const el = await panel(admin);
    const ids = listedIds(el);
    expect(ids.slice(0, 2)).to.deep.equal([b.conversationId, a.conversationId]);
    const box = listRoot(el).querySelector('ul[role="listbox"]') as HTMLElement;
    const key = (k: string) => box.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true }));
    key('j');
    key('j');
    key('ArrowDown');
    key('k');
    await waitUntil(() => box.getAttribute('aria-activedescendant') === `c-${ids[1]}`, 'active option did not move');
    expect(view(el)).to.equal(null);
    const selected = oneEvent(el, 'switchboard-conversation-selected');
    key('Enter');
    expect(((await selected) as CustomEvent<{ conversationId: string }>).detail.conversationId).to.equal(ids[1]);
    await waitUntil(() => view(el)?.detail.conversation.id === ids[1]);
    expect(listRoot(el).querySelector(`li[data-id="${ids[1]}"]`)?.getAttribute('aria-selected')).to.equal('true');
    a.socket.disconnect();
    b.socket.disconnect();
  });

  it('openByVisitor finds the conversation by email or visitor id', async () => {
    const email = `${unique()}@crm.example`;
    const v = await visitor('from the CRM', { first_name: 'Cora', email });
    const el = await panel(admin);
    expect(await el.openByVisitor({ email: email.toUpperCase() })).to.equal(v.conversationId);
    await el.openConversation(listedIds(el).find((id) => id !== v.conversationId) as string);
    expect(await el.openByVisitor({ visitorId: v.visitorId })).to.equal(v.conversationId);
    expect(view(el)?.detail.conversation.id).to.equal(v.conversationId);
    expect(await el.openByVisitor({ email: 'nobody@nowhere.example' })).to.equal(null);
    v.socket.disconnect();
  });

  it('dashboard tiles follow the hub live', async () => {
    const { token } = await newAgent(admin, 'Tess');
    const el = await panel(token);
    const tile = (cls: string) => Number(root(el).querySelector(`.tile.${cls} b`)?.textContent);
    const before = tile('unassigned');
    const v = await visitor('tile me');
    await waitUntil(() => tile('unassigned') === before + 1, 'unassigned tile did not go up');
    await api(admin, 'PUT', `/api/conversations/${v.conversationId}/assignees`, { agentIds: [el.me?.id] });
    await waitUntil(() => tile('assigned') === 1 && tile('my-unreplied') === 1 && tile('unassigned') === before, 'tiles did not follow the assignment');
    v.socket.disconnect();
  });

  it('is one column with a back button at 360 px, two columns at 1280 px', async () => {
    const narrow = await panel(admin, 360);
    const id = listedIds(narrow)[0] as string;
    await narrow.openConversation(id);
    await waitUntil(() => view(narrow));
    const listPane = root(narrow).querySelector('.list-pane') as HTMLElement;
    expect(getComputedStyle(listPane).display).to.equal('none');
    const back = view(narrow)?.shadowRoot?.querySelector('button.back') as HTMLButtonElement;
    expect(getComputedStyle(back).display).not.to.equal('none');
    expect(narrow.scrollWidth).to.be.at.most(362);
    back.click();
    await waitUntil(() => view(narrow) === null && getComputedStyle(listPane).display !== 'none');

    const wide = await panel(admin, 1280);
    await wide.openConversation(id);
    await waitUntil(() => view(wide));
    expect(getComputedStyle(root(wide).querySelector('.list-pane') as HTMLElement).display).not.to.equal('none');
    expect(getComputedStyle(view(wide)?.shadowRoot?.querySelector('button.back') as HTMLElement).display).to.equal('none');
  });

  it('visitor messages and changes made elsewhere update list, tab counts and tiles with zero REST requests', async () => {
    // The admin's panel (a new agent would cost a login, and the hub allows 20 a minute per address).
    const token = admin;
    const el = await panel(token);
    const me = el.me?.id as string;
    const before = { all: tab(el, 'all'), unassigned: tab(el, 'unassigned'), mine: tab(el, 'mine'), tileUnassigned: tile(el, 'unassigned') };
    const tilesBefore = { assigned: tile(el, 'assigned'), myUnreplied: tile(el, 'my-unreplied') };
    const spy = spyOnFetch(token);
    try {
      const a = await visitor('first question', { first_name: `Ann${unique()}` });
      const b = await visitor('second question', { first_name: `Bo${unique()}` });
      await a.say('anyone there?');
      await b.say('hello?');
      await a.say('still waiting');
      await waitUntil(() => listedIds(el).includes(a.conversationId) && listedIds(el).includes(b.conversationId), 'new conversations not listed live');
      await waitUntil(
        () => listRoot(el).querySelector(`[data-id="${a.conversationId}"] .badge.unreplied`)?.textContent?.trim() === '3',
        'unreplied count of a',
      );
      // Tabs count unreplied visitor messages: a's three and b's two.
      await waitUntil(() => tab(el, 'all') === before.all + 5 && tab(el, 'unassigned') === before.unassigned + 5, 'tab counts did not follow');
      expect(tab(el, 'mine')).to.equal(before.mine);
      expect(tile(el, 'unassigned')).to.equal(before.tileUnassigned + 2);

      // Changes made elsewhere (another tab, the hub's API) — one assigned to this agent, the other closed: Mine, Unassigned, Closed and the tiles follow.
      const closedBefore = tab(el, 'closed');
      await spy.hub('PUT', `/api/conversations/${a.conversationId}/assignees`, { agentIds: [me] });
      await spy.hub('POST', `/api/conversations/${b.conversationId}/close`, {});
      await waitUntil(() => tab(el, 'mine') === before.mine + 3 && tab(el, 'closed') === closedBefore + 2, 'mine / closed counts did not follow');
      await waitUntil(() => !listedIds(el).includes(b.conversationId), 'a closed conversation stays in the All inbox');
      expect(tab(el, 'all')).to.equal(before.all + 3);
      expect(tab(el, 'unassigned')).to.equal(before.unassigned);
      await waitUntil(
        () => tile(el, 'assigned') === tilesBefore.assigned + 1 && tile(el, 'my-unreplied') === tilesBefore.myUnreplied + 3,
        'tiles did not follow the assignment',
      );

      expect(spy.requests, 'REST requests made for live updates').to.deep.equal([]);

      // A filter change asks for the list alone: the counts and tiles don't depend on the filter, and the pushes keep them.
      el.setFilter({ inbox: 'mine' });
      await waitUntil(() => spy.requests.length === 1 && !el.inbox.loading, 'the Mine list was not asked for');
      expect(spy.requests[0]).to.match(/^GET \/api\/conversations\?inbox=mine&counts=false$/);
      expect(listedIds(el)).to.include(a.conversationId).and.not.include(b.conversationId);
      el.setFilter({});
      await waitUntil(() => spy.requests.length === 2 && !el.inbox.loading, 'the All list was not asked for');
      spy.restore();

      // What the panel computed is what the hub answers.
      const hub = await api<Required<ConversationList>>(token, 'GET', '/api/conversations');
      const stats = await api<DashboardStats>(token, 'GET', '/api/stats');
      for (const inbox of INBOXES) expect(tab(el, inbox), inbox).to.equal(hub.counts[inbox]);
      expect(tile(el, 'assigned')).to.equal(stats.assignedToMe);
      expect(tile(el, 'my-unreplied')).to.equal(stats.myUnreplied);
      expect(tile(el, 'unassigned')).to.equal(stats.unassigned);
      expect(tile(el, 'total-unreplied')).to.equal(stats.totalUnreplied);
      a.socket.disconnect();
      b.socket.disconnect();
    } finally {
      spy.restore();
    }
  });

  it('internal events stay inside the element; public ones reach the page', async () => {
    const v = await visitor('keep it inside');
    const el = await panel(admin);
    const seen: string[] = [];
    const names = ['sb-open', 'sb-filter-change', 'sb-conversation-action', 'sb-back', 'switchboard-conversation-selected'];
    const record = (e: Event) => seen.push(e.type);
    for (const name of names) document.addEventListener(name, record);
    try {
      await waitUntil(() => listedIds(el).includes(v.conversationId));
      (listRoot(el).querySelector(`li[data-id="${v.conversationId}"]`) as HTMLElement).click();
      await waitUntil(() => viewRoot(el)?.querySelector('button.mute'), 'conversation did not open');
      viewRoot(el).querySelector<HTMLButtonElement>('button.mute')?.click();
      await waitUntil(() => viewRoot(el).querySelector('button.unmute'), 'mute intent not run');
      (listRoot(el).querySelector('[data-inbox="mine"]') as HTMLButtonElement).click();
      await waitUntil(() => el.getFilter().inbox === 'mine');
      expect(seen).to.deep.equal(['switchboard-conversation-selected']);
    } finally {
      for (const name of names) document.removeEventListener(name, record);
      v.socket.disconnect();
    }
  });
});
