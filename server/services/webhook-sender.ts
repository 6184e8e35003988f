/**
 * The network side of webhooks: checking a target by resolving its name, and posting one delivery. The SSRF guard
 * holds at connect time too: the request resolves the host through `guardedLookup`, which checks every address
 * and hands the socket exactly the addresses it checked (a name that re-resolves to 127.0.0.1 between the check
 * and the connection — DNS rebinding — is refused). Redirects are not followed (a 3xx is a failed attempt).
 */
import { type LookupAddress, lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ATTEMPT_TIMEOUT_MS, TargetRefused, checkTargetUrl, hostAddress, isPrivateAddress } from '../rules/webhooks.js';

/** What one attempt came to: the HTTP status (null: no answer) and, unless 2xx, why it failed. */
export interface AttemptResult {
  status: number | null;
  error: string | null;
}

/** How much of a failed answer's body is kept (shown to admins next to the status). */
const BODY_EXCERPT = 200;

function refusedAddress(hostname: string, address: string): TargetRefused {
  return new TargetRefused(`${hostname} resolves to ${address}, a private, loopback or link-local address`);
}

/** Every address of `hostname` (dns.lookup, as connections do); refused if one of them is private (unless allowed). */
export function resolvePublic(hostname: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (error, addresses) => {
      if (error) return reject(new TargetRefused(`${hostname} does not resolve (${error.code ?? error.message})`));
      const bad = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad) return reject(refusedAddress(hostname, bad.address));
      if (addresses.length === 0) return reject(new TargetRefused(`${hostname} has no address`));
      resolve(addresses);
    });
  });
}

/** A URL an endpoint may be registered with (400 otherwise): the URL rules, then every address its name resolves to. */
export async function checkTarget(text: string, allowPrivate: boolean): Promise<URL> {
  const url = checkTargetUrl(text, allowPrivate);
  if (!hostAddress(url)) await resolvePublic(url.hostname, allowPrivate);
  return url;
}

/** The `lookup` the request connects through: only checked addresses reach the socket. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolvePublic(hostname, allowPrivate).then(
      (addresses) => {
        const family = typeof options === 'object' && options.family ? Number(options.family) : 0;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (typeof options === 'object' && options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, usable);
        const first = usable[0] ?? addresses[0];
        if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
        callback(null, first.address, first.family);
      },
      (error: Error) => callback(Object.assign(error, { code: 'EREFUSEDTARGET' }), '', 0),
    );
  };
}

/**
 * Posts `body` to `target` with `headers`, within 10 s (connection, TLS and answer). Never throws: a refusal,
 * a timeout or a network error is a failed attempt with no status.
 */
export async function postDelivery(target: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<AttemptResult> {
  let url: URL;
  try {
    url = checkTargetUrl(target, allowPrivate);
  } catch (error) {
    return { status: null, error: `Refused: ${(error as Error).message}` };
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Switchboard-Webhooks/1' },
        // A fresh connection per attempt: no pooled socket outlives the address check it was made with.
        agent: false,
        lookup: guardedLookup(allowPrivate),
      },
      (response) => {
        const status = response.statusCode ?? null;
        if (status !== null && status >= 200 && status < 300) {
          response.resume();
          return finish({ status, error: null });
        }
        let excerpt = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          excerpt += chunk;
          if (excerpt.length >= BODY_EXCERPT) finish({ status, error: failure(status, excerpt) });
        });
        response.on('end', () => finish({ status, error: failure(status, excerpt) }));
        response.on('error', () => finish({ status, error: failure(status, excerpt) }));
      },
    );
    const timer = setTimeout(() => finish({ status: null, error: `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s` }), ATTEMPT_TIMEOUT_MS);
    request.on('error', (error: Error & { code?: string }) => {
      const refused = error instanceof TargetRefused || error.code === 'EREFUSEDTARGET';
      finish({ status: null, error: refused ? `Refused: ${error.message}` : `${error.code ?? 'Error'}: ${error.message}` });
    });
    request.end(body);
  });
}

function failure(status: number | null, excerpt: string): string {
  const text = excerpt.replace(/\s+/g, ' ').trim().slice(0, BODY_EXCERPT);
  return `HTTP ${status ?? '?'}${text ? `: ${text}` : ''}`;
}
