/**
 * What a connection is sent in one turn of the event loop leaves in one write. A group commit settles a burst of
 * messages at once (store/group-commit.ts), and each message pushes two frames to an agent who has its conversation
 * open (the message, the list's summary): engine.io wrote each frame with its own system call, and the agent's page
 * read each from its own TCP segment. Now a connection's frames wait until the end of the turn (`process.nextTick`,
 * after the promise jobs that produce them) and go in one `writev`.
 *
 * Over the bench's delivery rounds (1,000 visitors, 10,000 messages) the frames left in half as many writes (39,357 in
 * 20,297). In 12 interleaved pairs against the hub without it, the visitor → agent p95 was lower by 10% or more in 7
 * and within 10% in 5, and the CPU per message about 3% lower; the p99 moved both ways, within the noise of this VM
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
