/**
 * Wraps a socket request handler: answers `{ data }` or `{ error }` through the ack, whatever
 * happens, and never lets a malformed call (missing ack, thrown error) crash the connection.
 */
import type { Ack } from '../../protocol/errors.js';
import { HubError } from '../errors.js';

type Logger = { error: (obj: unknown, msg: string) => void };

export function handle<P, T>(log: Logger, run: (payload: unknown) => Promise<T>): (payload: P, ack?: unknown) => void {
  return (payload, ack) => {
    const reply = typeof ack === 'function' ? (ack as (response: Ack<T>) => void) : () => undefined;
    run(payload).then(
      (data) => reply({ data }),
      (error: unknown) => {
        if (error instanceof HubError) return reply({ error: error.toBody() });
        log.error({ err: error }, 'socket handler failed');
        reply({ error: { code: 'internal', message: 'Something went wrong on the hub' } });
      },
    );
  };
}
