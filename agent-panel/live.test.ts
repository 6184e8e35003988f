// Live updates are applied in the panel from the push alone: visitor messages and changes made elsewhere move the
// list, the tab counts and the tiles without a single REST request; and the panel's internal events stay inside it.
import { expect, waitUntil } from '@open-wc/testing';
import type { ConversationList } from '../protocol/api.js';
import type { DashboardStats } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, listRoot, listedIds, login, newAgent, panel, root, unique, viewRoot, visitor } from './test-helpers.js';

/** Records every fetch made with `token` (the panel's), leaving the test's own calls (other tokens) aside. */
function spyOnToken(token: string): { requests: string[]; restore(): void } {
  const original = window.fetch;
  const requests: string[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (headers.get('authorization') === `Bearer ${token}`) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
    }
    return original(input, init);
  };
  return { requests, restore: () => (window.fetch = original) };
}

const tab = (el: SwitchboardAgentPanel, inbox: string): number => Number(listRoot(el).querySelector(`[data-inbox="${inbox}"] .n`)?.textContent);
const tile = (el: SwitchboardAgentPanel, cls: string): number => Number(root(el).querySelector(`.tile.${cls} b`)?.textContent);

describe('<switchboard-agent-panel> live updates', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('visitor messages and changes made elsewhere update list, tab counts and tiles with zero REST requests', async () => {
    const { agent, token } = await newAgent(admin, 'Lou');
    const el = await panel(token);
    const before = { all: tab(el, 'all'), unassigned: tab(el, 'unassigned'), mine: tab(el, 'mine'), tileUnassigned: tile(el, 'unassigned') };
    const spy = spyOnToken(token);
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
      await waitUntil(() => tab(el, 'all') === before.all + 2 && tab(el, 'unassigned') === before.unassigned + 2, 'tab counts did not follow');
      expect(tab(el, 'mine')).to.equal(before.mine);
      expect(tile(el, 'unassigned')).to.equal(before.tileUnassigned + 2);

      // Someone else assigns one to this agent, and closes the other: Mine, Unassigned, Closed and the tiles follow.
      const closedBefore = tab(el, 'closed');
      await api(admin, 'PUT', `/api/conversations/${a.conversationId}/assignees`, { agentIds: [agent.id] });
      await api(admin, 'POST', `/api/conversations/${b.conversationId}/close`, {});
      await waitUntil(() => tab(el, 'mine') === before.mine + 1 && tab(el, 'closed') === closedBefore + 1, 'mine / closed counts did not follow');
      await waitUntil(() => !listedIds(el).includes(b.conversationId), 'a closed conversation stays in the All inbox');
      expect(tab(el, 'all')).to.equal(before.all + 1);
      expect(tab(el, 'unassigned')).to.equal(before.unassigned);
      await waitUntil(() => tile(el, 'assigned') === 1 && tile(el, 'my-unreplied') === 1, 'tiles did not follow the assignment');

      expect(spy.requests, 'REST requests made for live updates').to.deep.equal([]);
      spy.restore();

      // What the panel computed is what the hub answers.
      const hub = await api<ConversationList>(token, 'GET', '/api/conversations');
      const stats = await api<DashboardStats>(token, 'GET', '/api/stats');
      for (const inbox of ['all', 'mine', 'unassigned', 'closed'] as const) expect(tab(el, inbox), inbox).to.equal(hub.counts[inbox]);
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
