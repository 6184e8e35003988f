// The open conversation misses nothing: a message stored while the panel's connection was down shows when it is back
// (the hub sends new messages only to the agents watching a conversation, and the watch answers what came since).
import { expect, waitUntil } from '@open-wc/testing';
import { login, open, panel, viewRoot, visitor } from './test-helpers.js';

const transcript = (p: Awaited<ReturnType<typeof panel>>): string[] => [...viewRoot(p).querySelectorAll('.msg .text')].map((n) => n.textContent ?? '');

describe('<switchboard-agent-panel> open conversation, live', () => {
  it('a message stored while the connection was lost shows in the open conversation once it is back', async () => {
    const p = await panel(await login());
    const v = await visitor('before the outage');
    await open(p, v.conversationId);
    await waitUntil(() => transcript(p).includes('before the outage'), 'transcript not shown');
    const socket = p.inbox.live.socket;
    if (!socket) throw new Error('the panel has no socket');

    socket.disconnect();
    await v.say('while you were away');
    socket.connect();
    await waitUntil(() => transcript(p).includes('while you were away'), 'the missed message did not show');
    expect(transcript(p).filter((t) => t === 'while you were away')).to.have.length(1);

    // And live again after it.
    await v.say('and now');
    await waitUntil(() => transcript(p).includes('and now'), 'live messages stopped');
    v.socket.disconnect();
  });
});
