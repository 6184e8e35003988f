// Baselines for the latency benchmark, with the same shape as the hub's path (visitor → agent room, agent →
// visitor room), no validation, no bot:
//   bare:    a Socket.IO relay that stores nothing;
//   durable: the least a chat that never loses a message must do: one INSERT per message into SQLite (WAL, the hub's
//            durability settings) before it acknowledges and forwards it.
// `tsx bench/echo-server.ts [--durable FILE]` prints "listening on URL".
import { createServer } from 'node:http';
import SqliteDatabase from 'better-sqlite3';
import { Server } from 'socket.io';

const durableAt = process.argv.indexOf('--durable');
const file = durableAt > 0 ? process.argv[durableAt + 1] : undefined;
let store: ((from: string, to: string, text: string) => void) | null = null;
if (file) {
  const db = new SqliteDatabase(file);
  db.exec('pragma journal_mode = WAL; pragma synchronous = NORMAL'); // as server/store/db.ts
  db.exec(
    'create table if not exists messages (id integer primary key autoincrement, sender text not null, recipient text not null, text text not null, created_at text not null)',
  );
  const insert = db.prepare('insert into messages (sender, recipient, text, created_at) values (?, ?, ?, ?)');
  store = (from, to, text) => void insert.run(from, to, text, new Date().toISOString());
}

const http = createServer();
const io = new Server(http);
io.on('connection', (socket) => {
  const role = String(socket.handshake.auth['role'] ?? 'visitor');
  const id = String(socket.handshake.auth['id'] ?? socket.id);
  void socket.join(role === 'agent' ? 'agents' : `visitor:${id}`);
  socket.on('message:send', (payload: { to?: string; text: string }, ack?: (r: unknown) => void) => {
    store?.(id, payload.to ?? 'agents', payload.text);
    ack?.({ data: { ok: true } });
    if (role === 'agent') io.to(`visitor:${payload.to}`).emit('message:new', { text: payload.text, from: 'agent' });
    else io.to('agents').emit('message:new', { text: payload.text, from: id });
  });
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address && typeof address === 'object') console.log(`Echo listening on http://127.0.0.1:${address.port}`);
});
