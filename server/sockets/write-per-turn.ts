/**
 * What a connection is sent in one turn of the event loop leaves in one write. A group commit settles a burst of
 * messages at once (store/group-commit.ts), and each message pushes two frames to an agent who has its conversation
 * open (the message, the list's summary): engine.io wrote each frame with its own system call, and the agent's page
 * read each from its own TCP segment. Now a connection's frames wait until the end of the turn (`process.nextTick`,
 * after the promise jobs that produce them) and go in one `writev`.
 *
 * Over the bench's delivery rounds (1,000 visitors, 10,000 messages), with the same two steps loaded into the hub
 * before this module was written: 39,000 frames left in 20,000 writes, and in four interleaved pairs the visitor →
 * agent p95 went from 16.5–25.1 ms to 11.3–17.3, p99 from 26.1–66.9 to 15.7–31.8, at about the same CPU
 * (decisions.md, session 32).
 *
 * engine.io has no option for this: its socket sends what it holds whenever its transport is writable, one frame per
 * write. The hub defers each connection's `flush` (engine.io calls it for every packet, and again when a write has
 * drained) and corks the TCP socket of a WebSocket transport while the flush writes the frames it holds.
 */
import type { Socket as Connection } from 'engine.io';
import type { Server } from 'socket.io';

/** The parts of an engine.io connection this reaches: not in its typings (`flush` is private, the transport's socket untyped). */
interface Flushable {
  flush(): void;
  transport: { name: string; socket?: { _socket?: { cork(): void; uncork(): void } } };
}

export function writeOncePerTurn(io: Server): void {
  io.engine.on('connection', (connection: Connection) => {
    const conn = connection as unknown as Flushable;
    const flush = conn.flush.bind(conn);
    let scheduled = false;
    conn.flush = () => {
      if (scheduled) return;
      scheduled = true;
      process.nextTick(() => {
        scheduled = false;
        // Long-polling answers a pending request with everything held anyway; a WebSocket writes frame by frame.
        const tcp = conn.transport.name === 'websocket' ? conn.transport.socket?._socket : undefined;
        tcp?.cork();
        try {
          flush();
        } finally {
          tcp?.uncork();
        }
      });
    };
  });
}
