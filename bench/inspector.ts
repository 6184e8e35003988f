/**
 * The inspector of a process the bench started with `--inspect=127.0.0.1:0`: the capacity section asks it for a full
 * garbage collection before reading the process's memory, so that what a burst of handshakes left behind (which V8
 * frees on its own once the process has been idle for half a minute or so) is not counted as the connections'.
 */
import WebSocket from 'ws';

export const INSPECT = '--inspect=127.0.0.1:0';

export { inspectorUrl } from '../test/helpers/spawn-hub.mjs';

export interface Inspector {
  /** Runs V8's full collection (the one the heap snapshot runs: every unreachable object, pages given back). */
  collectGarbage(): Promise<void>;
  close(): void;
}

export async function openInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let lastId = 0;
  const call = (method: string) =>
    new Promise<void>((resolve, reject) => {
      const id = ++lastId;
      const onMessage = (data: WebSocket.RawData) => {
        const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (reply.id !== id) return;
        socket.off('message', onMessage);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve();
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    collectGarbage: () => call('HeapProfiler.collectGarbage'),
    close: () => socket.close(),
  };
}
