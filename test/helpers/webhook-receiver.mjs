// A webhook receiver for tests: a node:http server on loopback that records every POST (headers and raw
// body) and answers with the status `respond` picks. Used by the webhook suites and by the browser-test hub's
// config (web-test-runner.config.mjs), whose pages read what it received from GET /received (CORS open).
import { createServer } from 'node:http';

/**
 * @param {{ respond?: (request: { headers: import('node:http').IncomingHttpHeaders; body: string; index: number }) => number }} [options]
 */
export async function startReceiver(options = {}) {
  /** @type {{ headers: import('node:http').IncomingHttpHeaders; body: string; status: number; at: number }[]} */
  const received = [];
  /** @type {(() => void)[]} */
  let waiters = [];
  let respond = options.respond ?? (() => 200);
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/received') {
      response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      response.end(JSON.stringify(received.map((r) => ({ headers: r.headers, body: r.body, status: r.status }))));
      return;
    }
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = respond({ headers: request.headers, body, index: received.length });
      received.push({ headers: request.headers, body, status, at: Date.now() });
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status >= 200 && status < 300 ? 'ok' : 'receiver says no');
      const ready = waiters;
      waiters = [];
      for (const wake of ready) wake();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    received,
    /** @param {(request: { headers: import('node:http').IncomingHttpHeaders; body: string; index: number }) => number} fn */
    respondWith(fn) {
      respond = fn;
    },
    /** Resolves once `count` requests have been received (no timers: woken by each request). */
    until(count) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => {
        const check = () => (received.length >= count ? resolve(undefined) : waiters.push(check));
        waiters.push(check);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
