// Collision in the conversation view: another agent (a real /agent socket, as their panel would hold) opens the
// same conversation and types a reply; this panel shows who else is viewing and who is typing, live.
import { expect, waitUntil } from '@open-wc/testing';
import { io, type Socket } from 'socket.io-client';
import { newAgent, login, open, panel, testHub, unique, viewRoot, visitor } from './test-helpers.js';

async function agentSocket(token: string): Promise<Socket> {
  const socket = io(`${testHub.url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('hello', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('<switchboard-agent-panel> collision', () => {
  it('shows who else has the conversation open and who is typing a reply, and clears when they leave', async () => {
    const admin = await login();
    const name = `Bea ${unique()}`;
    const bea = await newAgent(admin, name);
    const v = await visitor('two agents, one visitor');
    const el = await panel(admin);
    await open(el, v.conversationId);
    const line = () => viewRoot(el).querySelector('.collision')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    expect(line()).to.equal('');

    const other = await agentSocket(bea.token);
    await other.emitWithAck('conversation:watch', { conversationId: v.conversationId });
    await waitUntil(() => line() === `Also viewing: ${name}`, `no "also viewing": ${line()}`);
    other.emit('typing', { conversationId: v.conversationId, typing: true });
    await waitUntil(() => line().includes(`${name} is typing a reply…`), 'no "typing a reply"');
    other.emit('typing', { conversationId: v.conversationId, typing: false });
    await waitUntil(() => !line().includes('typing'), 'typing did not stop');

    other.disconnect();
    await waitUntil(() => line() === '', 'the other agent left but is still shown');
    v.socket.disconnect();
  });
});
