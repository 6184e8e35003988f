/**
 * The inspector of a process started with `--inspect=127.0.0.1:0` (test/helpers/spawn-hub.mjs reads where it listens):
 * a full garbage collection before reading the process's memory, so that garbage V8 has not collected yet (it grows
 * its heap lazily, and frees what a burst left behind only once the process has been idle for half a minute or so) is
 * not counted as memory the process keeps. The capacity bench and the soak test use it.
 */
import WebSocket from 'ws';

export const INSPECT = '--inspect=127.0.0.1:0';

export { inspectorUrl } from './spawn-hub.mjs';

export interface Inspector {
  /** Runs V8's full collection (the one the heap snapshot runs: every unreachable object, pages given back). */
  collectGarbage(): Promise<void>;
  /** The process's `process.memoryUsage()`. */
  memoryUsage(): Promise<NodeJS.MemoryUsage>;
  close(): void;
}

export async function openInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let lastId = 0;
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++lastId;
      const onMessage = (data: WebSocket.RawData) => {
        const reply = JSON.parse(String(data)) as { id?: number; result?: T; error?: { message: string } };
        if (reply.id !== id) return;
        socket.off('message', onMessage);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result as T);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    collectGarbage: () => call<void>('HeapProfiler.collectGarbage'),
    memoryUsage: async () => {
      const { result } = await call<{ result: { value: NodeJS.MemoryUsage } }>('Runtime.evaluate', {
        expression: 'process.memoryUsage()',
        returnByValue: true,
      });
      return result.value;
    },
    close: () => socket.close(),
  };
}
