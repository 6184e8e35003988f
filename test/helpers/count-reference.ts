/** The definition the kept tab counts are held to (count-totals tests): counted from the conversations themselves. */
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Viewer } from '../../server/store/base.js';
import type { CountTotals } from '../../server/store/count-totals.js';
import type { CountGroup } from '../../server/store/inbox-queries.js';
import type { ConversationsTable, Database } from '../../server/store/schema.js';

export const admin: Viewer = { id: 'admin-1', role: 'admin' };
export const ann: Viewer = { id: 'ann', role: 'agent' };
export const bob: Viewer = { id: 'bob', role: 'agent' };
/** Mid-day, so that the cutoff's day counts only in part. */
export const CUTOFF = '2026-03-01T12:00:00.000Z';
export const at = (day: number, hour: number) => new Date(Date.parse('2026-03-01T00:00:00.000Z') + day * 86_400_000 + hour * 3_600_000).toISOString();

/** The definition: the viewer's conversations since the cutoff, grouped as the views and tiles need them. */
export async function reference(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  const rows = await db.selectFrom('conversations').selectAll().where('last_activity_at', '>=', CUTOFF).execute();
  const groups = new Map<string, { conversations: number; unreplied: number }>();
  for (const c of rows) {
    const visibleTo = JSON.parse(c.visible_to) as string[];
    const assignees = JSON.parse(c.assignees) as string[];
    if (viewer.role !== 'admin' && visibleTo.length > 0 && !visibleTo.includes(viewer.id)) continue;
    const mine = c.holder_id === viewer.id || assignees.includes(viewer.id) ? 1 : 0;
    const unassigned = c.holder_id === null && assignees.length === 0 ? 1 : 0;
    const key = [c.state, Number(c.outgoing), c.ticket_status, Number(c.expired), mine, unassigned].join('|');
    const group = groups.get(key) ?? { conversations: 0, unreplied: 0 };
    group.conversations += 1;
    group.unreplied += Number(c.unreplied_count);
    groups.set(key, group);
  }
  return [...groups].map(([key, g]) => `${key}: ${g.conversations} / ${g.unreplied}`).sort();
}

const shown = (groups: CountGroup[]): string[] =>
  groups.map((g) => `${[g.state, g.outgoing, g.ticket_status, g.expired, g.mine, g.unassigned].join('|')}: ${g.conversations} / ${g.unreplied}`).sort();

/** The language filter's choices by definition: the viewer's conversations since the cutoff, per language. */
export async function referenceLanguages(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  const rows = await db.selectFrom('conversations').selectAll().where('last_activity_at', '>=', CUTOFF).execute();
  const counts = new Map<string, number>();
  for (const c of rows) {
    const visibleTo = JSON.parse(c.visible_to) as string[];
    if (viewer.role !== 'admin' && visibleTo.length > 0 && !visibleTo.includes(viewer.id)) continue;
    counts.set(c.language, (counts.get(c.language) ?? 0) + 1);
  }
  return [...counts].map(([language, n]) => `${language}: ${n}`).sort();
}

export async function assertCounts(db: Kysely<Database>, totals: CountTotals, when: string): Promise<void> {
  for (const viewer of [admin, ann, bob]) {
    assert.deepEqual(shown(await totals.groups(viewer, CUTOFF)), await reference(db, viewer), `${when}, ${viewer.id}`);
    const languages = (await totals.languages(viewer, CUTOFF)).map((l) => `${l.language}: ${l.count}`).sort();
    assert.deepEqual(languages, await referenceLanguages(db, viewer), `${when}, ${viewer.id}'s languages`);
  }
}

export function conversation(id: string, lastActivity: string, patch: Partial<ConversationsTable> = {}): ConversationsTable {
  return {
    id,
    visitor_id: `visitor-${id}`,
    contact_id: null,
    outgoing: 0,
    last_visitor_at: lastActivity,
    expired: 0,
    site_id: 'demo',
    channel: 'webchat',
    language: 'en',
    created_at: lastActivity,
    last_activity_at: lastActivity,
    bot_status: 'ok',
    ticket_status: 'new',
    state: 'open',
    muted: 0,
    muted_at: null,
    muted_by: null,
    holder_id: null,
    agent_replied: 0,
    assignees: '[]',
    visible_to: '[]',
    tags: '[]',
    unread_count: 0,
    unreplied_count: 1,
    last_message_author: 'visitor',
    last_message_text: 'hello',
    last_message_at: lastActivity,
    ...patch,
  };
}
