// Live pushes are applied in batches, at most ten a second: a busy inbox renders the panel ten times a second, not at
// every frame (controllers/hub.ts), and still shows the last state.
import { expect, waitUntil } from '@open-wc/testing';
import { api, login, panel, visitor } from './test-helpers.js';

describe('<switchboard-agent-panel> live pushes', () => {
  it('a stream of pushes renders the panel at most once per 100 ms, ending on the latest state', async () => {
    const admin = await login();
    const p = await panel(admin);
    const v = await visitor('start');
    await waitUntil(() => p.inbox.items.some((c) => c.id === v.conversationId), 'the conversation is not listed');
    await api(admin, 'POST', `/api/conversations/${v.conversationId}/mute`); // no bot answers: one push per message

    // Counts the panel's own renders (Lit calls `update` once per render of the element).
    const element = p as unknown as { update(changed: unknown): void };
    const render = element.update.bind(p);
    let renders = 0;
    element.update = (changed) => {
      renders++;
      render(changed);
    };
    const started = performance.now();
    for (let i = 0; i < 40; i++) await v.say(`message ${i}`);
    const last = () => p.inbox.items.find((c) => c.id === v.conversationId)?.lastMessage?.text;
    await waitUntil(() => last() === 'message 39', 'the last message did not show');
    const elapsed = performance.now() - started;
    // One batch at most per 100 ms (and the first at once); at every frame, this stream rendered 17–21 times in about 200 ms.
    expect(renders).to.be.at.most(Math.floor(elapsed / 100) + 2, `${renders} renders in ${Math.round(elapsed)} ms`);
    v.socket.disconnect();
  });
});
