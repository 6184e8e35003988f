/**
 * server/sockets/write-per-turn.ts: what a connection is sent in one turn of the event loop leaves in one write, in
 * order, and nothing is held back: frames of a later turn, and a frame sent just before the server disconnects the
 * socket, still arrive. A real Socket.IO server and client over loopback TCP; the writes are counted on the server's
 * TCP socket of the connection.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { writeOncePerTurn } from '../../server/sockets/write-per-turn.js';

interface CountedTcp {
  _write(...args: unknown[]): void;
  _writev(...args: unknown[]): void;
}

/** Counts the system writes of the connection's TCP socket (`_write` for one chunk, `_writev` for several). */
function countWrites(socket: ServerSocket): { writes: number } {
  const tcp = (socket.conn as unknown as { transport: { socket: { _socket: CountedTcp } } }).transport.socket._socket;
  const counter = { writes: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = tcp[method].bind(tcp);
    tcp[method] = (...args: unknown[]) => {
      counter.writes++;
      original(...args);
    };
  }
  return counter;
}

async function serverAndClient(t: test.TestContext) {
  const http = createServer();
  const io = new Server(http);
  writeOncePerTurn(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const connected = new Promise<ServerSocket>((resolve) => io.once('connection', resolve));
  const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  t.after(() => {
    client.disconnect();
    io.close();
  });
  return { client, server: await connected };
}

test('frames sent in one turn leave in one write, in order; a later turn writes again', async (t) => {
  const { client, server } = await serverAndClient(t);
  const received: string[] = [];
  const all = new Promise<void>((resolve) =>
    client.on('news', (text: string) => {
      received.push(text);
      if (received.length === 5) resolve();
    }),
  );
  const counter = countWrites(server);
  // One turn: three emits, then two more after promise jobs (as a group commit's continuations send theirs).
  server.emit('news', 'a');
  server.emit('news', 'b');
  server.emit('news', 'c');
  void Promise.resolve()
    .then(() => server.emit('news', 'd'))
    .then(() => setImmediate(() => server.emit('news', 'e')));
  await all;
  assert.deepEqual(received, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(counter.writes, 2, 'a, b, c and d in one write; e, a turn later, in another');
});

test('a frame sent just before the server disconnects the socket still arrives', async (t) => {
  const { client, server } = await serverAndClient(t);
  const heard: string[] = [];
  client.on('news', (text: string) => heard.push(text));
  const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));
  server.emit('news', 'goodbye');
  server.disconnect(true);
  assert.equal(await disconnected, 'io server disconnect');
  assert.deepEqual(heard, ['goodbye']);
});
