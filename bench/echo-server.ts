// Baseline for the latency benchmark: a bare Socket.IO relay with the same shape as the hub's
// path (visitor → agent room, agent → visitor room), no storage, no validation, no bot.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http);
io.on('connection', (socket) => {
  const role = String(socket.handshake.auth['role'] ?? 'visitor');
  const id = String(socket.handshake.auth['id'] ?? socket.id);
  void socket.join(role === 'agent' ? 'agents' : `visitor:${id}`);
  socket.on('message:send', (payload: { to?: string; text: string }, ack?: (r: unknown) => void) => {
    ack?.({ data: { ok: true } });
    if (role === 'agent') io.to(`visitor:${payload.to}`).emit('message:new', { text: payload.text, from: 'agent' });
    else io.to('agents').emit('message:new', { text: payload.text, from: id });
  });
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address && typeof address === 'object') console.log(`Echo listening on http://127.0.0.1:${address.port}`);
});
