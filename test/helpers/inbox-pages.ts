/**
 * Every conversation a store-level list shows, read a page of one at a time, so that the keyset cursor is exercised
 * too; older conversations included unless the filter says otherwise.
 */
import type { Viewer } from '../../server/store/base.js';
import type { InboxQueries, ListOptions } from '../../server/store/inbox-queries.js';

export async function everyListed(inbox: InboxQueries, viewer: Viewer, retentionCutoff: string, filter: Partial<ListOptions>): Promise<string[]> {
  const listed: string[] = [];
  let after: ListOptions['after'];
  for (;;) {
    const page = await inbox.list(viewer, { retentionCutoff, limit: 1, includeOld: true, ...filter, ...(after ? { after } : {}) });
    const [row] = page.rows;
    if (!row) return listed;
    listed.push(row.id);
    if (!page.more) return listed;
    after = { at: row.last_activity_at, id: row.id };
  }
}
