/**
 * Webhook rules, without I/O: which targets are allowed (scheme, credentials, private addresses), the retry
 * schedule, and the signature. The webhooks service resolves names and posts; it asks these.
 */
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';

/** Retries stop (the delivery fails) once its first attempt is this old. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** Wait after the 1st, 2nd, … failed attempt; the last value repeats. */
export const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 2 * 3_600_000, 4 * 3_600_000] as const;
/** A worker's claim on a delivery: long enough for one attempt (timeout 10 s) with room to record it. */
export const LEASE_MS = 30_000;
/** One attempt may take this long, connection and answer included. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** How long to wait after `attempts` failed attempts. */
export function retryDelay(attempts: number): number {
  const delays: readonly number[] = RETRY_DELAYS_MS;
  return delays[Math.min(Math.max(attempts, 1), delays.length) - 1] ?? 3_600_000;
}

/**
 * After a failed attempt (the `attempts`-th): try again after the backoff, but not later than 24 h after the
 * delivery was created; an attempt that fails at or after that mark is the last one.
 */
export function afterFailure(createdAt: string, now: Date, attempts: number): { status: 'failed' } | { status: 'pending'; nextAttemptAt: string } {
  const deadline = new Date(createdAt).getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(Math.min(now.getTime() + retryDelay(attempts), deadline)).toISOString() };
}

/** `Switchboard-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the whole secret. */
export function signature(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

// ------------------------------------------------------------------ targets

/** Why a target is refused (becomes a 400 at registration, a failed attempt at delivery). */
export class TargetRefused extends Error {}

/**
 * The URL an endpoint may have: https (http only when private targets are allowed), no credentials in it, and
 * an IP literal host must be public unless allowed. Host names are checked by resolving them (the service).
 */
export function checkTargetUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetRefused('Not a valid URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivate)) {
    throw new TargetRefused(
      url.protocol === 'http:' ? 'The URL must use https (plain http is allowed only with "allow private targets")' : 'The URL must use https',
    );
  }
  if (url.username || url.password) throw new TargetRefused('Put no credentials in the URL: receivers verify the signature instead');
  const literal = hostAddress(url);
  if (literal && !allowPrivate && isPrivateAddress(literal)) throw new TargetRefused(`${literal} is a private, loopback or link-local address`);
  return url;
}

/** The URL's host when it is an IP address (IPv6 without brackets), else null. */
export function hostAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

type Range = [bytes: number[], prefix: number];

const V4_BLOCKED: Range[] = [
  [[0, 0, 0, 0], 8], // "this" network
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local (cloud metadata)
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

/** Inside global unicast (2000::/3), still not a webhook target. */
const V6_BLOCKED: Range[] = [
  [[0x20, 0x01, 0x00, 0x00], 23], // IETF protocol assignments (Teredo …)
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
];

function inRange(bytes: number[], [base, prefix]: Range): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((base[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** 4 bytes of a dotted IPv4 address, or null. */
function v4Bytes(text: string): number[] | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').map(Number);
}

/** 16 bytes of an IPv6 address (zone dropped; a trailing dotted IPv4 part allowed), or null. */
export function v6Bytes(text: string): number[] | null {
  const address = text.replace(/%.*$/, '');
  if (isIP(address) !== 6) return null;
  let head = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted?.[1]) {
    const v4 = v4Bytes(dotted[1]);
    if (!v4) return null;
    tail.push(...v4);
    head = address.slice(0, -dotted[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const [left = '', right] = head.split('::');
  const before = groups(left);
  const after = right === undefined ? [] : groups(right);
  const missing = 8 - tail.length / 2 - before.length - after.length;
  const words = [...before, ...Array<number>(right === undefined ? 0 : missing).fill(0), ...after];
  const bytes = words.flatMap((w) => [(w >> 8) & 0xff, w & 0xff]).concat(tail);
  return bytes.length === 16 ? bytes : null;
}

/**
 * Private, loopback, link-local, unspecified, multicast, reserved or documentation addresses, IPv4 and IPv6,
 * including IPv4 inside IPv6 (`::ffff:127.0.0.1`, NAT64 `64:ff9b::a00:1`, 6to4 `2002:7f00:1::`). IPv6 is allowed
 * only in global unicast (2000::/3). Anything that doesn't parse counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  const v4 = v4Bytes(address);
  if (v4) return V4_BLOCKED.some((range) => inRange(v4, range));
  const v6 = v6Bytes(address);
  if (!v6) return true;
  const embedded = (from: number) => v6.slice(from, from + 4).join('.');
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated; also :: and ::1): the IPv4 address decides.
  if (v6.slice(0, 10).every((b) => b === 0) && ((v6[10] === 0xff && v6[11] === 0xff) || (v6[10] === 0 && v6[11] === 0))) {
    if (v6[10] === 0) return true; // ::/96 — unspecified, loopback, IPv4-compatible: never a webhook target
    return isPrivateAddress(embedded(12));
  }
  if (inRange(v6, [[0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96])) return isPrivateAddress(embedded(12)); // NAT64
  if (inRange(v6, [[0x20, 0x02], 16])) return isPrivateAddress(embedded(2)); // 6to4
  if (!inRange(v6, [[0x20], 3])) return true; // not global unicast: ULA fc00::/7, link-local fe80::/10, multicast ff00::/8 …
  return V6_BLOCKED.some((range) => inRange(v6, range));
}
