/**
 * Small pieces of the panel: the sign-in form and dashboard tiles (templates rendered in the panel's
 * own shadow root), and the tracker behind `switchboard-unread-changed` and `switchboard-escalation`.
 */
import { html, nothing } from 'lit';
import type { HubApi } from './api.js';
import type { BotStatus, ConversationFilter, ConversationSummary, DashboardStats } from '../protocol/types.js';

export function loginTemplate(error: string, onSubmit: (event: SubmitEvent) => void) {
  return html`<form class="login" part="base" @submit=${onSubmit}>
    <h1>Sign in to Switchboard</h1>
    <label>Email <input name="email" type="email" autocomplete="username" required /></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
    <button class="primary" type="submit">Sign in</button>
    ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
  </form>`;
}

/** The four tiles; each one is a shortcut to the matching inbox. */
export function tilesTemplate(stats: DashboardStats | null, pick: (filter: ConversationFilter) => void) {
  if (!stats) return nothing;
  const tile = (label: string, value: number, cls: string, filter: ConversationFilter) =>
    html`<button type="button" class="tile ${cls}" title="Show these conversations" @click=${() => pick(filter)}><b>${value}</b><span>${label}</span></button>`;
  return html`<div class="tiles" role="group" aria-label="Dashboard">
    ${tile('Assigned to me', stats.assignedToMe, 'assigned', { inbox: 'mine' })}
    ${tile('My unreplied', stats.myUnreplied, 'my-unreplied', { inbox: 'mine' })}
    ${tile('Unassigned', stats.unassigned, 'unassigned', { inbox: 'unassigned' })}
    ${tile('Total unreplied', stats.totalUnreplied, 'total-unreplied', { inbox: 'all' })}
  </div>`;
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

/** Every conversation of a visitor found by email (exact, case-insensitive) or by visitor id. */
export async function visitorConversations(api: HubApi, ref: { email: string } | { visitorId: string }): Promise<ConversationSummary[]> {
  if ('visitorId' in ref)
    return (await api.call('GET /api/visitors/:id/export', { params: { id: ref.visitorId } })).conversations.map((entry) => entry.conversation);
  const email = ref.email.trim().toLowerCase();
  const [open, closed] = await Promise.all([
    api.call('GET /api/conversations', { query: { q: email, includeOld: true, limit: 100 } }),
    api.call('GET /api/conversations', { query: { q: email, inbox: 'closed', includeOld: true, limit: 100 } }),
  ]);
  return [...open.items, ...closed.items].filter((c) => c.visitor.email?.toLowerCase() === email);
}
