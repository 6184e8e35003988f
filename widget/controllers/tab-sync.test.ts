// Notes between tabs: two TabSync on one key stand for two tabs of one site.
import { expect, waitUntil } from '@open-wc/testing';
import { type TabNote, TabSync } from './tab-sync.js';

describe('TabSync', () => {
  it('tells the other tabs of the same key, not itself nor other keys', async () => {
    const key = `k-${Math.random().toString(36).slice(2)}`;
    const [a, b, other] = [new TabSync(), new TabSync(), new TabSync()];
    const seen: Record<string, TabNote[]> = { a: [], b: [], other: [] };
    a.open(key, (note) => seen.a?.push(note));
    b.open(key, (note) => seen.b?.push(note));
    other.open(`${key}-x`, (note) => seen.other?.push(note));
    a.post({ kind: 'failed', clientId: 'c1' });
    await waitUntil(() => seen.b?.length === 1);
    expect(seen.b).to.deep.equal([{ kind: 'failed', clientId: 'c1' }]);
    b.close();
    a.post({ kind: 'read' });
    b.post({ kind: 'outbox' }); // closed: nothing goes out
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).to.deep.equal({ a: [], b: [{ kind: 'failed', clientId: 'c1' }], other: [] });
    a.close();
    other.close();
  });
});
