/**
 * The inbox search (server/store/inbox-search.ts) finds the same conversations whichever plan answers: walking the
 * list and checking each conversation's messages, or reading the full-text index. Each test holds the store (with
 * tiny windows, so a few dozen conversations take every path) to a reference computed here from the same rows;
 * then a hub's REST answer shows a common word's total as a lower bound ("1,000+").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { ConversationList } from '../../protocol/api.js';
import type { Viewer } from '../../server/store/base.js';
import { InboxQueries, type ListOptions } from '../../server/store/inbox-queries.js';
import { SEARCH_WINDOWS, type SearchWindows } from '../../server/store/inbox-search.js';
import { conversationHasWord, conversationsWithWord } from '../../server/store/message-search.js';
import type { Dialect } from '../../server/store/migrations.js';
import { SearchIndex } from '../../server/store/search-index.js';
import type { ConversationsTable, Database } from '../../server/store/schema.js';
import { contactRow, messageRow } from '../helpers/rows.js';
import { startHub } from '../helpers/hub.js';
import { openTestDatabase } from '../helpers/store-database.js';

const AT = Date.parse('2026-03-01T12:00:00.000Z');

interface Seed {
  id: string;
  contact: { name: string; email: string | null };
  /** Minutes before AT: the list's order (two share a minute, so ties are ordered by id). */
  ago: number;
  state: 'open' | 'closed';
  tags: string[];
  visibleTo: string[];
  messages: string[];
}

/** Words a search looks for, as they may appear in a message: any case, inside punctuation, with accents. */
const TEXTS = [
  'Where is my parcel?',
  'TRACKING number 42, thanks',
  '(re-tracking) of parcels',
  'refund_requested for order zx123',
  'zx12 and zx1 are codes',
  'naïve café: Trácking',
  'ÉCOLE école straße',
  'thank you!!',
  'order#77 parcel-tracking',
  '',
];

function seeds(): Seed[] {
  return Array.from({ length: 36 }, (_, i) => ({
    id: `conv-${String(i).padStart(2, '0')}`,
    contact: { name: i % 9 === 0 ? `parcel person ${i}` : `person ${i}`, email: i % 4 === 0 ? null : `p${i}@example.com` },
    ago: i % 7 === 3 ? i - 1 : i,
    state: i % 5 === 4 ? 'closed' : 'open',
    tags: i % 3 === 0 ? ['vip'] : [],
    visibleTo: i % 6 === 1 ? ['someone-else'] : [],
    // Three messages each, from the texts in a different mix per conversation.
    messages: [TEXTS[i % TEXTS.length], TEXTS[(i * 7 + 3) % TEXTS.length], TEXTS[(i * 3 + 1) % TEXTS.length]].map((text) => text ?? ''),
  }));
}

async function insert(db: Kysely<Database>, rows: Seed[]): Promise<void> {
  const iso = (ago: number) => new Date(AT - ago * 60_000).toISOString();
  for (const s of rows) {
    await db
      .insertInto('contacts')
      .values(contactRow(`contact-${s.id}`, iso(s.ago), { name: s.contact.name, email: s.contact.email }))
      .execute();
    await db
      .insertInto('conversations')
      .values(conversationRow(s.id, `contact-${s.id}`, iso(s.ago), s))
      .execute();
    for (const text of s.messages) {
      await db
        .insertInto('messages')
        .values(messageRow(s.id, text, iso(s.ago)))
        .execute();
    }
  }
}

function conversationRow(id: string, contactId: string, at: string, s: Pick<Seed, 'state' | 'tags' | 'visibleTo'>): ConversationsTable {
  return {
    id,
    visitor_id: contactId,
    contact_id: contactId,
    outgoing: 0,
    last_visitor_at: at,
    expired: 0,
    site_id: 'demo',
    channel: 'webchat',
    language: 'en',
    created_at: at,
    last_activity_at: at,
    bot_status: 'ok',
    ticket_status: 'new',
    state: s.state,
    muted: 0,
    muted_at: null,
    muted_by: null,
    holder_id: null,
    agent_replied: 0,
    assignees: '[]',
    visible_to: JSON.stringify(s.visibleTo),
    tags: JSON.stringify(s.tags),
    unread_count: 0,
    unreplied_count: 0,
    last_message_author: null,
    last_message_text: null,
    last_message_at: null,
  };
}

/**
 * What the search means, computed here: the contact's name or email contains the query, or every word of it starts
 * a word of some message. Words are runs of letters and digits, compared lower-cased; SQLite also ignores accents.
 */
function reference(all: Seed[], dialect: Dialect, viewer: Viewer, filter: ListOptions): { matches: string[]; candidates: string[] } {
  const fold = (text: string) => {
    const lower = text.toLowerCase();
    return dialect === 'sqlite' ? lower.normalize('NFD').replace(/\p{M}/gu, '') : lower;
  };
  const q = filter.q ?? '';
  const words = fold(q).match(/[\p{L}\p{N}]+/gu) ?? [];
  const inMessages = (s: Seed) => {
    const tokens = s.messages.flatMap((text) => fold(text).match(/[\p{L}\p{N}]+/gu) ?? []);
    return words.length > 0 && words.every((word) => tokens.some((token) => token.startsWith(word)));
  };
  const contact = (s: Seed) => s.contact.name.includes(q.toLowerCase()) || (s.contact.email ?? '').includes(q.toLowerCase());
  const candidates = all
    .filter((s) => s.state === (filter.inbox === 'closed' ? 'closed' : 'open'))
    .filter((s) => viewer.role === 'admin' || s.visibleTo.length === 0 || s.visibleTo.includes(viewer.id))
    .filter((s) => !filter.tag || s.tags.includes(filter.tag))
    .sort((a, b) => a.ago - b.ago || (a.id < b.id ? -1 : 1));
  const ids = (list: Seed[]) => list.map((s) => s.id);
  return { candidates: ids(candidates), matches: ids(candidates.filter((s) => contact(s) || inMessages(s))) };
}

test('checking a conversation finds what the index finds, for every word and text', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'search');
  const all = seeds();
  await insert(db, all);
  // Tricky texts on their own: each word is checked on one conversation's messages and looked up in the index.
  const extra = ['x_parcel', 'Parcel’s', '😀tracking', 'tracking😀', 'TRACKINGNUMBER', 'über-Parcel', '42nd 4 2'];
  // PostgreSQL text can't hold NUL; SQLite's can, and its length() stops there.
  if (dialect === 'sqlite') extra.push('a\u0000tracking', 'tracking\u0000x');
  await insert(
    db,
    extra.map((text, i) => ({ ...all[0], id: `extra-${i}`, contact: { name: `x${i}`, email: null }, messages: [text] }) as Seed),
  );
  // What the hub does every second, and a search does first (store/search-index.ts): index the new messages.
  await new SearchIndex(db, dialect).catchUp();
  for (const word of [
    'parcel',
    'parcels',
    'track',
    'tracking',
    'trackingnumber',
    'zx12',
    'zx1',
    'x',
    'ecole',
    'école',
    'stra',
    'cafe',
    '42',
    '4',
    'a',
    'uber',
    'refund',
    'requested',
  ]) {
    const checked = await db.selectFrom('conversations as c').select('c.id').where(conversationHasWord(dialect, word)).orderBy('c.id').execute();
    const indexed = await db
      .selectFrom('conversations as c')
      .select('c.id')
      .where(sql<SqlBool>`c.id in (${conversationsWithWord(dialect, word)})`)
      .orderBy('c.id')
      .execute();
    assert.deepEqual(
      checked.map((r) => r.id),
      indexed.map((r) => r.id),
      `"${word}": checked on the messages vs the index`,
    );
  }
});

test('every plan lists, pages and counts the matches of the reference', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'search');
  const all = seeds();
  await insert(db, all);
  const plans: Record<string, SearchWindows> = {
    // The walk sees every conversation: it answers every search alone.
    walk: { page: 10_000, count: 10_000, named: 10_000 },
    // No walk: every search reads the index, and the ids it names first.
    index: { page: 0, count: 10_000, named: 10_000 },
    // No walk, and too many named: each statement reads the index and the contacts itself.
    'index, named in each statement': { page: 0, count: 10_000, named: 0 },
    // A few of each: common words are walked, rare ones looked up, and totals are lower bounds.
    mixed: { page: 3, count: 5, named: 2 },
  };
  const admin: Viewer = { id: 'admin-1', role: 'admin' };
  const agent: Viewer = { id: 'agent-1', role: 'agent' };
  const queries = [
    'parcel',
    'track',
    'tracking 42',
    'parcel tracking',
    'zx12',
    'ecole',
    'cafe trácking',
    'Person 1',
    'p2',
    'thank',
    'x',
    'llama',
    '!!',
    'refund order',
  ];
  let lowerBounds = 0;
  // Each plan as the candidates come: in activity order, or (an agent's, a tag's) from their rows, few, which on
  // SQLite the search reads as keys once.
  const ways = Object.entries(plans).flatMap(([plan, windows]) => [
    { plan, windows, inbox: new InboxQueries(db, dialect, windows, 0) },
    { plan: `${plan}, few`, windows, inbox: new InboxQueries(db, dialect, windows, 1_000_000, 1) },
  ]);
  for (const { plan, windows, inbox } of ways) {
    for (const q of queries) {
      for (const [viewer, extra] of [
        [admin, {}],
        [agent, {}],
        [admin, { inbox: 'closed' }],
        [admin, { tag: 'vip' }],
      ] as const) {
        const filter: ListOptions = { q, retentionCutoff: new Date(AT).toISOString(), ...extra };
        const { matches: expected, candidates } = reference(all, dialect, viewer, filter);
        const label = `${plan} ${viewer.role} ${JSON.stringify(extra)} "${q}"`;
        // A total is exact, or (after a walk) the matches among the latest `windows.page` candidates: counted by a first
        // page's walk, apart for later pages.
        const checkTotal = (result: { total: number; totalIsLowerBound: boolean }, what: string) => {
          const latest = candidates.slice(0, windows.page).filter((id) => expected.includes(id)).length;
          if (result.totalIsLowerBound) lowerBounds++;
          assert.deepEqual(
            [result.total, result.totalIsLowerBound],
            result.totalIsLowerBound ? [latest, candidates.length > windows.page] : [expected.length, false],
            `${label}: ${what} total`,
          );
        };
        const whole = await inbox.list(viewer, { ...filter, limit: 100 });
        assert.deepEqual(
          whole.rows.map((r) => r.id),
          expected,
          label,
        );
        checkTotal(whole, 'whole list');
        // Pages of two, following the keyset cursor, and the offset of old clients.
        const paged: string[] = [];
        let after: ListOptions['after'];
        for (;;) {
          const page = await inbox.list(viewer, { ...filter, limit: 2, ...(after ? { after } : {}) });
          checkTotal(page, `page ${paged.length / 2}`);
          paged.push(...page.rows.map((r) => r.id));
          const last = page.rows.at(-1);
          if (!page.more || !last) break;
          after = { at: last.last_activity_at, id: last.id };
        }
        assert.deepEqual(paged, expected, `${label}: pages`);
        const offset = await inbox.list(viewer, { ...filter, limit: 3, offset: 2 });
        assert.deepEqual(
          offset.rows.map((r) => r.id),
          expected.slice(2, 5),
          `${label}: offset`,
        );
      }
    }
  }
  assert.ok(lowerBounds > 0, 'the mixed plan walked common words and counted them as lower bounds');
});

test('a common word counts the latest 500 conversations and says "at least"; a rare one counts exactly; a list of over 1,000 says "1,000+"', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const db = h.hub.store.db;
  const at = (i: number) => new Date(Date.now() - i * 60_000).toISOString();
  const count = 1_050;
  for (let start = 0; start < count; start += 150) {
    const ids = Array.from({ length: Math.min(150, count - start) }, (_, k) => start + k);
    await db
      .insertInto('contacts')
      .values(ids.map((i) => contactRow(`bulk-contact-${i}`, at(i), { name: `bulk ${i}` })))
      .execute();
    await db
      .insertInto('conversations')
      .values(ids.map((i) => conversationRow(`bulk-${i}`, `bulk-contact-${i}`, at(i), { state: 'open', tags: [], visibleTo: [] })))
      .execute();
    await db
      .insertInto('messages')
      .values(ids.map((i) => messageRow(`bulk-${i}`, `where is my shipment, order ${i % 100 === 7 ? 'rarebird' : 'common'}`, at(i))))
      .execute();
  }
  const list = async (q: string) => {
    const res = await h.api<ConversationList>('GET', `/api/conversations?q=${encodeURIComponent(q)}`, { token: admin });
    assert.equal(res.status, 200);
    return res.body;
  };
  // The walk's window (decisions.md, session 32): a first page checks these conversations and counts its matches.
  assert.equal(SEARCH_WINDOWS.page, 500);
  const common = await list('shipment');
  assert.equal(common.items.length, 50);
  assert.deepEqual([common.total, common.totalIsLowerBound], [500, true], 'at least 500 of 1,050');
  assert.ok(common.next, 'more pages follow');
  const next = await h.api<ConversationList>('GET', `/api/conversations?q=shipment&cursor=${encodeURIComponent(common.next ?? '')}`, { token: admin });
  assert.deepEqual([next.body.total, next.body.totalIsLowerBound, next.body.items.length], [500, true, 50], 'the next page says the same');
  const rare = await list('rarebird');
  assert.deepEqual([rare.total, rare.totalIsLowerBound], [11, undefined], 'exactly the 11 conversations with the word');
  assert.equal(rare.items.length, 11);
  // Not a search: a filtered list is counted up to 1,000 too (a year of traffic would count every conversation of
  // the view per page); an inbox view alone is counted exactly, from the count groups the database keeps.
  const filter = async (query: string) => (await h.api<ConversationList>('GET', `/api/conversations?${query}`, { token: admin })).body;
  const filtered = await filter('channel=webchat');
  assert.deepEqual([filtered.total, filtered.totalIsLowerBound], [1_000, true], 'at least 1,000 of 1,050 listed');
  const one = await filter('contactId=bulk-contact-7');
  assert.deepEqual([one.total, one.totalIsLowerBound], [1, undefined], 'fewer: the exact count');
  const view = await filter('inbox=unassigned');
  assert.equal(view.totalIsLowerBound, undefined);
  assert.ok(view.total >= 1_050, `${view.total}: every unassigned conversation`);
});
