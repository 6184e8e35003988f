/**
 * Lets an idle WebSocket connection give back the HTTP request that opened it: about 1.4 kB a connection, an eighth
 * of what an idle visitor costs the hub (#16, capacity; decisions.md, session 18).
 *
 * engine.io keeps that request for the connection's whole life, twice: as the connection's `request` (Socket.IO builds
 * each namespace's handshake from it), and through the stand-in response it makes for the upgrade, which a 'close'
 * listener on the TCP socket holds so that HTTP middlewares hear the connection end. The hub has no such middleware.
 * `noteUpgradeResponses` adds one of its own that only notes each request's response; `releaseUpgradeRequest`, called
 * once a namespace has its handshake, lets go of the request in both places.
 */
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'socket.io';

interface StandInResponse {
  req: IncomingMessage | null;
}

const responses = new WeakMap<IncomingMessage, StandInResponse>();

export function noteUpgradeResponses(io: Server): void {
  io.engine.use((req: IncomingMessage, res: StandInResponse | ServerResponse, next: () => void) => {
    // A polling request's real response is Node's own and is left alone.
    if (!(res instanceof ServerResponse)) responses.set(req, res);
    next();
  });
}

/**
 * After this, a namespace opened later over the same connection builds its handshake without the request's headers
 * (a visitor socket then fails the origin check); the widget opens one namespace per connection.
 */
export function releaseUpgradeRequest(connection: { request: IncomingMessage | null }): void {
  const { request } = connection;
  if (!request) return;
  const response = responses.get(request);
  if (response) response.req = null;
  connection.request = null;
}
