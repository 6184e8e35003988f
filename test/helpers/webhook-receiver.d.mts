import type { IncomingHttpHeaders } from 'node:http';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered with. */
  status: number;
  at: number;
}

export type Respond = (request: { headers: IncomingHttpHeaders; body: string; index: number }) => number;

export interface Receiver {
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
  received: ReceivedRequest[];
  respondWith(respond: Respond): void;
  /** Resolves once `count` requests have arrived. */
  until(count: number): Promise<void>;
  close(): Promise<void>;
}

export declare function startReceiver(options?: { respond?: Respond }): Promise<Receiver>;
