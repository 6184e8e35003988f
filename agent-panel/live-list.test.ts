// Live updates move rows, they do not rewrite them: the conversation a push moves to the top keeps its row element
// (and with it what the browser holds for that row: its place in the accessibility tree, a pointer over it), and
// the rows it passed are left untouched.
import { expect, waitUntil } from '@open-wc/testing';
import { listRoot, listedIds, login, panel, unique, visitor } from './test-helpers.js';

describe('<switchboard-agent-panel> live list', () => {
  it('moves the row of a conversation with news to the top, the same element, the others untouched', async () => {
    const admin = await login();
    const name = `Mover${unique()}`;
    const oldest = await visitor('first of three', { first_name: name });
    const middle = await visitor('second of three', { first_name: name });
    const newest = await visitor('third of three', { first_name: name });
    const el = await panel(admin);
    const ids = [newest, middle, oldest].map((v) => v.conversationId);
    const row = (id: string) => listRoot(el).querySelector<HTMLLIElement>(`li[data-id="${id}"]`);
    await waitUntil(() => ids.every((id) => row(id)), 'the three conversations were not listed', { timeout: 8000 });
    expect(listedIds(el).slice(0, 3)).to.deep.equal(ids);
    const before = new Map(ids.map((id) => [id, row(id)]));
    const previewOf = (id: string) => row(id)?.querySelector('.preview')?.textContent;
    const untouched = previewOf(newest.conversationId);

    await oldest.say('news from the oldest');
    await waitUntil(() => listedIds(el)[0] === oldest.conversationId, 'the conversation with news did not move to the top', { timeout: 8000 });
    expect(listedIds(el).slice(0, 3)).to.deep.equal([oldest.conversationId, newest.conversationId, middle.conversationId]);
    for (const id of ids) expect(row(id), 'a row element was replaced or rewritten').to.equal(before.get(id));
    expect(previewOf(newest.conversationId)).to.equal(untouched);
    for (const v of [oldest, middle, newest]) v.socket.disconnect();
  });
});
