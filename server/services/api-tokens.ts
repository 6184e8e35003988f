/**
 * API tokens: admins create scoped, revocable tokens for server-to-server use; the REST token check
 * (routes/auth.ts) asks this service who a `sbt_…` token acts as and whether it may call the route.
 *
 * - A token acts as its creator, narrowed to its scopes (rules/api-tokens.ts: one scope per route, deny by default).
 * - It works while it is unrevoked and unexpired and its creator is an enabled admin (one query, every request).
 *   Disabling, demoting or removing the creator also revokes their tokens for good (accounts.ts), as it ends their
 *   sessions: re-enabling the account does not bring them back.
 * - Only the secret's SHA-256 and prefix are stored; the secret is answered once, by `create`.
 */
import { randomUUID } from 'node:crypto';
import { API_TOKEN_LIMITS, API_TOKEN_SCOPES, type ApiToken, type ApiTokenCreated, type ApiTokenInput, type ApiTokenScope } from '../../protocol/api-tokens.js';
import type { Role } from '../../protocol/types.js';
import { hashToken, newApiToken } from '../auth.js';
import type { Clock } from '../clock.js';
import { HubError, badRequest, forbidden, notFound } from '../errors.js';
import { LAST_USED_EVERY_MS, tokenMayCall, tokenStatus } from '../rules/api-tokens.js';
import type { Actor } from '../rules/handoff.js';
import { json } from '../store/mappers.js';
import type { ApiTokenRow, Store } from '../store/store.js';

/** The token a request came with (on `request.apiToken`). */
export interface TokenCaller {
  id: string;
  scopes: ApiTokenScope[];
}

export interface TokenAuthenticated {
  /** The creator: the token acts as them. */
  actor: Actor;
  token: TokenCaller;
}

const DAY_MS = 86_400_000;

export class ApiTokens {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  #now(): string {
    return this.clock.now().toISOString();
  }

  #admin(actor: Actor): void {
    if (actor.role !== 'admin') throw forbidden('Only an admin can manage API tokens');
  }

  #summary(row: ApiTokenRow, now = this.#now()): ApiToken {
    const token = {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes: scopesOf(row.scopes),
      createdBy: row.created_by,
      createdByName: row.creator_name,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
    return { ...token, status: tokenStatus(token, now) };
  }

  async list(actor: Actor): Promise<ApiToken[]> {
    this.#admin(actor);
    const now = this.#now();
    return (await this.store.apiTokens.list()).map((row) => this.#summary(row, now));
  }

  async create(actor: Actor, input: ApiTokenInput): Promise<ApiTokenCreated> {
    this.#admin(actor);
    const name = input.name.trim();
    if (!name) throw badRequest('Give the token a name', 'name');
    const wanted = new Set(input.scopes);
    const scopes = API_TOKEN_SCOPES.filter((scope) => wanted.has(scope));
    if (scopes.length === 0) throw badRequest('Choose at least one scope', 'scopes');
    const now = this.clock.now();
    if ((await this.store.apiTokens.countActive(now.toISOString())) >= API_TOKEN_LIMITS.active)
      throw new HubError('conflict', `At most ${API_TOKEN_LIMITS.active} API tokens may be active: revoke one first`);
    const { secret, hash, prefix } = newApiToken();
    const row = {
      id: randomUUID(),
      name,
      prefix,
      token_hash: hash,
      scopes: JSON.stringify(scopes),
      created_by: actor.id,
      created_at: now.toISOString(),
      last_used_at: null,
      expires_at: input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString(),
      revoked_at: null,
    };
    await this.store.apiTokens.insert(row);
    return { token: this.#summary({ ...row, creator_name: actor.name }, row.created_at), secret };
  }

  /** Revokes at once: the next request with the token is a 401, on every hub. Revoking twice changes nothing. */
  async revoke(actor: Actor, id: string): Promise<ApiToken> {
    this.#admin(actor);
    if (!(await this.store.apiTokens.revoke(id, this.#now()))) throw notFound('API token');
    const row = await this.store.apiTokens.get(id);
    if (!row) throw notFound('API token');
    return this.#summary(row);
  }

  /** Who a `sbt_…` secret acts as, when it is usable now; records the use (at most once a minute). Null: refused. */
  async authenticate(secret: string): Promise<TokenAuthenticated | null> {
    const now = this.clock.now();
    const row = await this.store.apiTokens.usable(hashToken(secret), now.toISOString());
    if (!row) return null;
    const since = new Date(now.getTime() - LAST_USED_EVERY_MS).toISOString();
    if (!row.last_used_at || row.last_used_at <= since) await this.store.apiTokens.touch(row.id, now.toISOString(), since);
    return {
      actor: { id: row.created_by, name: row.creator_name, role: 'admin' satisfies Role },
      token: { id: row.id, scopes: scopesOf(row.scopes) },
    };
  }

  /** Throws unless the token may call `method url` (the route's pattern): 403 `forbidden` or `insufficient_scope`. */
  authorize(token: TokenCaller, method: string, url: string | undefined): void {
    const check = tokenMayCall(token.scopes, method, url);
    if (check.ok) return;
    if (check.needed === null) throw forbidden('API tokens cannot call this route: it needs a signed-in agent');
    throw new HubError('insufficient_scope', `This API token lacks the scope this route needs: ${check.needed}`);
  }

  /** The agent lost the right to act as an admin (disabled, demoted, removed): their tokens are revoked for good. */
  async revokeAllOf(agentId: string): Promise<void> {
    await this.store.apiTokens.revokeByCreator(agentId, this.#now());
  }
}

/** The stored scopes that are still scopes (a scope dropped from a later version grants nothing). */
function scopesOf(text: string): ApiTokenScope[] {
  const stored = new Set(json<string[]>(text, []));
  return API_TOKEN_SCOPES.filter((scope) => stored.has(scope));
}
