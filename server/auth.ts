/**
 * Credentials: agent passwords (scrypt), opaque agent tokens and admins' API tokens (`sbt_…`; of both only the
 * SHA-256 is stored, so a database leak doesn't leak sessions), signed visitor tokens (JWT HS256), and the site's signed
 * identity: `user_jwt` (HS256) or the legacy `user_hash` (HMAC-SHA256 of user_id with the site's secret).
 */
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { createSigner, createVerifier } from 'fast-jwt';
import { API_TOKEN_LIMITS, API_TOKEN_PREFIX } from '../protocol/api-tokens.js';
import type { UserData } from '../protocol/types.js';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
/** scrypt's block size and parallelism; its cost N is PASSWORD_HASH_COST (config.ts). */
const SCRYPT = { r: 8, p: 1 };
/** The memory scrypt needs is 128 · N · r bytes: twice that leaves node's check room. */
const maxmem = (N: number, r: number) => 256 * N * r;

/** scrypt's cost (N) when none is configured: 16384 takes about 50 ms of one core here (see PASSWORD_HASH_COST). */
export const DEFAULT_PASSWORD_HASH_COST = 16384;

/** A new hash of `password`, with its parameters written into it, so that hashes of another cost still verify. */
export async function hashPassword(password: string, cost = DEFAULT_PASSWORD_HASH_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32, { N: cost, ...SCRYPT, maxmem: maxmem(cost, SCRYPT.r) });
  return `scrypt$${cost}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash no password matches, of the given cost: what a sign-in for an unknown email is checked against, so it takes as long. */
export function unmatchableHash(cost: number): string {
  return `scrypt$${cost}$${SCRYPT.r}$${SCRYPT.p}$${'A'.repeat(22)}==$${'A'.repeat(43)}=`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: maxmem(Number(n), Number(r)),
  });
  return timingSafeEqual(actual, expected);
}

export function newAgentToken(): { token: string; hash: string } {
  let token = randomBytes(32).toString('base64url');
  // A token starting with `sbt_` is an API token (one in 16.7 million random ones would look like it).
  while (token.startsWith(API_TOKEN_PREFIX)) token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** A new API token: the secret (shown once), its hash (stored) and its prefix (stored and shown). */
export function newApiToken(): { secret: string; hash: string; prefix: string } {
  const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashToken(secret), prefix: secret.slice(0, API_TOKEN_LIMITS.prefix) };
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface VisitorClaims {
  /** Visitor id. */
  sub: string;
  site: string;
}

export interface VisitorTokens {
  sign(claims: VisitorClaims): string;
  /** The claims of a genuine token, or null for a forged, damaged or foreign one. */
  verify(token: string): VisitorClaims | null;
}

export function visitorTokens(secret: string): VisitorTokens {
  const signer = createSigner({ key: secret, algorithm: 'HS256', expiresIn: 365 * 86_400_000 });
  const verifier = createVerifier({ key: secret, algorithms: ['HS256'] });
  return {
    sign: (claims) => signer({ ...claims }),
    verify(token) {
      try {
        const payload = verifier(token) as Partial<VisitorClaims>;
        return typeof payload.sub === 'string' && typeof payload.site === 'string' ? { sub: payload.sub, site: payload.site } : null;
      } catch {
        return null;
      }
    },
  };
}

/** The `user_hash` a site's backend computes for `user_id` (documented in the README). */
export function userHash(userId: string, siteSecret: string): string {
  return createHmac('sha256', siteSecret).update(userId).digest('hex');
}

export function verifyUserHash(userId: string | undefined, hash: string | undefined, siteSecret: string): boolean {
  if (!userId || !hash || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  return timingSafeEqual(Buffer.from(userHash(userId, siteSecret), 'hex'), Buffer.from(hash, 'hex'));
}

export const randomSecret = (): string => randomBytes(32).toString('base64url');

/** What a site vouched for about a visitor (null: not signed). */
export interface SignedIdentity {
  userId: string | null;
  email: string | null;
  name: string | null;
}

const UNSIGNED: SignedIdentity = { userId: null, email: null, name: null };
const identityVerifiers = new Map<string, (token: string) => unknown>();

/**
 * The identity a site signed for this page. `user_jwt` (HS256 with the site's identity secret; claims
 * `user_id`, optional `email`, `name`, and `exp` when present) vouches for each claim it holds; the legacy
 * `user_hash` vouches for `user_id` only. Anything else the page sends is the visitor's own word.
 */
export function signedIdentity(userData: UserData | undefined, siteSecret: string): SignedIdentity {
  if (!userData) return UNSIGNED;
  if (userData.user_jwt) {
    let verify = identityVerifiers.get(siteSecret);
    if (!verify) {
      if (identityVerifiers.size > 1000) identityVerifiers.clear();
      verify = createVerifier({ key: siteSecret, algorithms: ['HS256'] });
      identityVerifiers.set(siteSecret, verify);
    }
    try {
      const claims = verify(userData.user_jwt) as Record<string, unknown>;
      const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 256) : null);
      const userId = text(claims.user_id);
      if (userId) return { userId, email: text(claims.email)?.toLowerCase() ?? null, name: text(claims.name) };
    } catch {
      // A forged, expired or foreign token vouches for nothing; fall through to user_hash.
    }
  }
  if (verifyUserHash(userData.user_id, userData.user_hash, siteSecret)) return { userId: userData.user_id ?? null, email: null, name: null };
  return UNSIGNED;
}
