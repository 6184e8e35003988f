/**
 * Wraps a socket request handler: answers `{ data }` or `{ error }` through the ack, whatever
 * happens, and never lets a malformed call (missing ack, thrown error) crash the connection.
 */
import type { Ack } from '../../protocol/errors.js';
import { HubError } from '../errors.js';

type Logger = { error: (obj: unknown, msg: string) => void };

export function handle<P, T>(log: Logger, run: (payload: unknown) => Promise<T>): (payload: P, ack?: unknown) => void {
  return (payload, ack) => answer(log, run(payload), ack);
}

/**
 * `handle` for a listener shared by every socket of a namespace: Socket.IO calls a listener with its socket as
 * `this`, so one function serves all connections and an idle one holds no closures of its own (#16, capacity).
 */
export function handleOn<S, P, T>(log: Logger, run: (socket: S, payload: unknown) => Promise<T>): (this: S, payload: P, ack?: unknown) => void {
  return function (this: S, payload, ack) {
    answer(log, run(this, payload), ack);
  };
}

function answer<T>(log: Logger, result: Promise<T>, ack: unknown): void {
  const reply = typeof ack === 'function' ? (ack as (response: Ack<T>) => void) : () => undefined;
  result.then(
    (data) => reply({ data }),
    (error: unknown) => {
      if (error instanceof HubError) return reply({ error: error.toBody() });
      log.error({ err: error }, 'socket handler failed');
      reply({ error: { code: 'internal', message: 'Something went wrong on the hub' } });
    },
  );
}
