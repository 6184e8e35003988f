// What an idle visitor connection keeps in the hub's memory (#16, capacity): not the HTTP request that opened it.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Message, VisitorConversation } from '../../protocol/types.js';
import { io } from 'socket.io-client';
import { type VisitorSocket, clientId, request, startHub } from '../helpers/hub.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Whether the object behind `ref` survives full collections (each after the current job, which keeps it alive). */
async function survives(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 5 && ref.deref(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return ref.deref() !== undefined;
}

test('a connected visitor does not keep the HTTP request that opened its connection, and still chats', async (t) => {
  const h = await startHub(t);
  const upgrades: WeakRef<IncomingMessage>[] = [];
  h.hub.app.server.on('upgrade', (req: IncomingMessage) => upgrades.push(new WeakRef(req)));
  const { socket, session } = await h.visitor();
  assert.equal(upgrades.length, 1);
  const [opened] = upgrades;
  assert.ok(opened && !(await survives(opened)), 'the upgrade request is still held');

  // The connection works as before: the visitor's message is acknowledged, stored and answered.
  const ack = await request<{ message: Message; conversation: VisitorConversation }>(socket, 'message:send', { clientId: clientId(), text: 'Hello' });
  assert.equal(ack.data?.message.text, 'Hello');
  assert.ok(session.token);
});

test('a visitor on long polling, whose first request is let go too, still chats and then upgrades', async (t) => {
  const h = await startHub(t);
  const socket: VisitorSocket = io(`${h.url}/visitor`, { auth: { site: 'demo' }, transports: ['polling', 'websocket'], reconnection: false, forceNew: true });
  // Closed before the hub stops (the helper closes only the sockets it opened).
  try {
    const upgraded = new Promise<string>((resolve) => socket.io.engine.once('upgrade', (transport: { name: string }) => resolve(transport.name)));
    await new Promise((resolve, reject) => {
      socket.once('session', resolve);
      socket.once('connect_error', reject);
    });
    const ack = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'Over polling' });
    assert.equal(ack.data?.message.text, 'Over polling');
    assert.equal(await upgraded, 'websocket');
    const after = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'Over the WebSocket' });
    assert.equal(after.data?.message.text, 'Over the WebSocket');
  } finally {
    socket.disconnect();
  }
});
