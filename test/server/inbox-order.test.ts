/**
 * protocol/inbox.ts `upsert`, which a panel applies to its whole list for every live update: after any sequence of
 * inserts, moves and removals the list is what sorting it afresh gives (newest activity first, then id), each
 * conversation once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byActivity, upsert } from '../../protocol/inbox.js';
import type { ConversationSummary } from '../../protocol/types.js';

test('upsert keeps a list in activity order through 2,000 random changes, ties ordered by id', () => {
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  let list: ConversationSummary[] = [];
  const reference = new Map<string, ConversationSummary>();
  for (let step = 0; step < 2000; step++) {
    const id = `c-${random(60)}`;
    // Few distinct times, so that ties (ordered by id) are common.
    const c = { id, lastActivityAt: new Date(Date.UTC(2026, 10, 1, 0, random(20))).toISOString() } as ConversationSummary;
    const keep = random(5) > 0;
    list = upsert(list, c, keep);
    if (keep) reference.set(id, c);
    else reference.delete(id);
    assert.deepEqual(
      list.map((x) => x.id),
      [...reference.values()].sort(byActivity).map((x) => x.id),
      `step ${step}`,
    );
  }
});
