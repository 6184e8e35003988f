/**
 * Small pieces of the panel: the sign-in form and dashboard tiles (templates rendered in the panel's
 * own shadow root), and the tracker behind `switchboard-unread-changed` and `switchboard-escalation`.
 */
import { html, nothing } from 'lit';
import type { HubApi } from './api.js';
import type { BotStatus, ConversationFilter, ConversationSummary, DashboardStats, Inbox } from '../protocol/types.js';
import { INBOX_LABELS } from './format.js';

export function loginTemplate(error: string, onSubmit: (event: SubmitEvent) => void) {
  return html`<form class="login" part="base" @submit=${onSubmit}>
    <h1>Sign in to Switchboard</h1>
    <label>Email <input name="email" type="email" autocomplete="username" required /></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
    <button class="primary" type="submit">Sign in</button>
    ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
  </form>`;
}

/**
 * The dashboard tiles in two groups: for you (assigned to me, my unreplied messages) and the team (unassigned,
 * unreplied messages). Each tile opens its view (Mine, Mine, Unassigned, All); the tile of the view on screen
 * (with no search or filter) is marked `aria-current`.
 */
export function tilesTemplate(stats: DashboardStats | null, current: ConversationFilter, pick: (filter: ConversationFilter) => void) {
  if (!stats) return nothing;
  const showing = Object.keys(current).length === 1 ? (current.inbox ?? 'all') : null;
  const tile = (label: string, value: number, cls: string, inbox: Inbox) =>
    html`<button type="button" class="tile ${cls}" title="Open ${INBOX_LABELS[inbox]}" aria-current=${showing === inbox ? 'true' : 'false'} @click=${() => pick({ inbox })}>
      <b>${value}</b><span>${label}</span></button>`;
  return html`<section class="tiles" aria-label="Dashboard">
    <div class="tile-group" role="group" aria-labelledby="tiles-you">
      <h2 id="tiles-you">For you</h2>
      <div class="tile-row">
        ${tile('Conversations assigned to me', stats.assignedToMe, 'assigned', 'mine')}
        ${tile('My unreplied messages', stats.myUnreplied, 'my-unreplied', 'mine')}
      </div>
    </div>
    <div class="tile-group" role="group" aria-labelledby="tiles-team">
      <h2 id="tiles-team">Team</h2>
      <div class="tile-row">
        ${tile('Unassigned conversations', stats.unassigned, 'unassigned', 'unassigned')}
        ${tile('Unreplied messages', stats.totalUnreplied, 'total-unreplied', 'all')}
      </div>
    </div>
  </section>`;
}

/** Remembers unread counts and bot status of every conversation the agent has seen. */
export class InboxTracker {
  #unread = new Map<string, number>();
  #botStatus = new Map<string, BotStatus>();
  #lastTotal = -1;

  /** Records a conversation; answers true when a live update means it newly needs a human. */
  track(c: ConversationSummary, live: boolean): boolean {
    this.#unread.set(c.id, c.state === 'closed' ? 0 : c.unreadCount);
    const before = this.#botStatus.get(c.id);
    this.#botStatus.set(c.id, c.botStatus);
    return live && c.botStatus === 'need_help' && before !== 'need_help' && c.holderId === null && c.state === 'open';
  }

  remove(conversationId: string): void {
    this.#unread.delete(conversationId);
    this.#botStatus.delete(conversationId);
  }

  /** The new unread total, or null when it did not change since the last call. */
  changedTotal(): number | null {
    let total = 0;
    for (const n of this.#unread.values()) total += n;
    if (total === this.#lastTotal) return null;
    this.#lastTotal = total;
    return total;
  }
}

/** The conversation to open for a visitor found by email or visitor id: open ones first, then the latest. */
export async function visitorConversation(api: HubApi, ref: { email: string } | { visitorId: string }): Promise<ConversationSummary | undefined> {
  const candidates = await visitorConversations(api, ref);
  return candidates.sort((a, b) => Number(a.state === 'closed') - Number(b.state === 'closed') || b.lastActivityAt.localeCompare(a.lastActivityAt))[0];
}

/** Every conversation of a visitor found by email (exact, case-insensitive) or by visitor id. */
async function visitorConversations(api: HubApi, ref: { email: string } | { visitorId: string }): Promise<ConversationSummary[]> {
  if ('visitorId' in ref)
    return (await api.call('GET /api/visitors/:id/export', { params: { id: ref.visitorId } })).conversations.map((entry) => entry.conversation);
  const email = ref.email.trim().toLowerCase();
  const [open, closed] = await Promise.all([
    api.call('GET /api/conversations', { query: { q: email, includeOld: true, limit: 100, counts: false } }),
    api.call('GET /api/conversations', { query: { q: email, inbox: 'closed', includeOld: true, limit: 100, counts: false } }),
  ]);
  return [...open.items, ...closed.items].filter((c) => c.visitor.email?.toLowerCase() === email);
}
