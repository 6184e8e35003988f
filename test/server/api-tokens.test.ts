/**
 * API tokens against a real hub (SQLite, and PostgreSQL in the PostgreSQL pass): an admin creates a scoped token
 * (the secret answered once, only its hash stored); it acts as them on the routes its scopes open, gets 403
 * insufficient_scope elsewhere and 403 on account and token routes; revoking is immediate; it stops with its
 * creator's disable, demotion or removal and with its expiry; last use is recorded at most once a minute; agent
 * sockets refuse it. And the scope table: every /api route the hub serves has a decision, and each is enforced.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { API_TOKEN_LIMITS, API_TOKEN_SCOPES, type ApiToken, type ApiTokenCreated, type ApiTokenScope } from '../../protocol/api-tokens.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { Agent, Note } from '../../protocol/types.js';
import { ROUTE_SCOPES, type RouteKey, tokenMayCall } from '../../server/rules/api-tokens.js';
import { type TestHub, clientId, request, startHub } from '../helpers/hub.js';
import { registeredRoutes } from '../helpers/routes.js';

const DAY = 86_400_000;

async function createToken(h: TestHub, adminToken: string, body: { name: string; scopes: ApiTokenScope[]; expiresInDays?: number }): Promise<ApiTokenCreated> {
  const res = await h.api<ApiTokenCreated>('POST', '/api/tokens', { token: adminToken, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function listTokens(h: TestHub, adminToken: string): Promise<ApiToken[]> {
  const res = await h.api<{ items: ApiToken[] }>('GET', '/api/tokens', { token: adminToken });
  assert.equal(res.status, 200);
  return res.body.items;
}

/** A conversation a visitor opened, for the routes that need one. */
async function conversation(h: TestHub): Promise<string> {
  const { socket } = await h.visitor({ userData: { first_name: 'Api' } });
  const sent = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text: 'hello from a visitor' });
  socket.disconnect();
  return sent.data?.conversation.id ?? '';
}

test('an admin creates a scoped token: it acts as them where its scopes allow, nowhere else, until revoked', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const me = (await h.api<Agent>('GET', '/api/me', { token: admin })).body;
  const conversationId = await conversation(h);

  const created = await createToken(h, admin, { name: '  CRM sync  ', scopes: ['stats:read', 'conversations:read'] });
  const { secret, token } = created;
  assert.match(secret, /^sbt_[A-Za-z0-9_-]{43}$/);
  assert.equal(token.prefix, secret.slice(0, API_TOKEN_LIMITS.prefix));
  assert.equal(token.name, 'CRM sync');
  assert.deepEqual(token.scopes, ['conversations:read', 'stats:read'], 'in the protocol order');
  assert.equal(token.createdBy, me.id);
  assert.equal(token.createdByName, me.name);
  assert.equal(token.status, 'active');
  assert.equal(token.expiresAt, null);
  assert.equal(token.lastUsedAt, null);

  // Allowed: the routes its scopes open, and GET /api/me (whom it acts as).
  const usedAt = h.clock.now().toISOString();
  assert.equal((await h.api('GET', '/api/conversations', { token: secret })).status, 200);
  assert.equal((await h.api('GET', `/api/conversations/${conversationId}`, { token: secret })).status, 200);
  assert.equal((await h.api('GET', '/api/stats', { token: secret })).status, 200);
  const asWho = await h.api<Agent>('GET', '/api/me', { token: secret });
  assert.equal(asWho.status, 200);
  assert.equal(asWho.body.id, me.id);

  // Outside its scopes: 403 insufficient_scope, naming the scope the route needs.
  const outside: [string, string, unknown, ApiTokenScope][] = [
    ['GET', '/api/contacts', undefined, 'contacts:read'],
    ['PUT', `/api/conversations/${conversationId}/tags`, { tags: ['vip'] }, 'conversations:write'],
    ['GET', '/api/faqs', undefined, 'content:read'],
    ['GET', '/api/webhooks', undefined, 'webhooks:manage'],
  ];
  for (const [method, path, body, scope] of outside) {
    const res = await h.api<ErrorBody>(method, path, { token: secret, body });
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.body.code, 'insufficient_scope', `${method} ${path}`);
    assert.match(res.body.message, new RegExp(scope), `${method} ${path} names ${scope}`);
  }
  const tags = await h.api<{ conversation: { tags: string[] } }>('GET', `/api/conversations/${conversationId}`, { token: admin });
  assert.deepEqual(tags.body.conversation.tags, [], 'the refused change did nothing');

  // Account, settings and token routes: never, whatever the scopes.
  h.clock.advance(1000);
  const everything = await createToken(h, admin, { name: 'Everything', scopes: [...API_TOKEN_SCOPES] });
  const never: [string, string, unknown][] = [
    ['GET', '/api/tokens', undefined],
    ['POST', '/api/tokens', { name: 'Escalate', scopes: ['stats:read'] }],
    ['DELETE', `/api/tokens/${token.id}`, undefined],
    ['GET', '/api/agents', undefined],
    ['POST', '/api/agents', { email: 'x@test.local', name: 'X', role: 'admin', password: 'password-123' }],
    ['PUT', `/api/agents/${me.id}`, { password: 'taken-over-1' }],
    ['GET', '/api/settings', undefined],
    ['PUT', '/api/settings', { botName: 'Pwned' }],
    ['POST', '/api/auth/logout', undefined],
    ['PUT', '/api/webhooks/settings', { allowPrivateTargets: true }],
    ['GET', '/api/team/threads', undefined],
  ];
  for (const [method, path, body] of never) {
    const res = await h.api<ErrorBody>(method, path, { token: everything.secret, body });
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.body.code, 'forbidden', `${method} ${path}`);
  }
  assert.equal((await listTokens(h, admin)).find((x) => x.id === token.id)?.status, 'active', 'the token that tried to revoke is still active');

  // It acts as its creator: a note written with it is theirs.
  const note = await h.api<Note>('POST', `/api/conversations/${conversationId}/notes`, { token: everything.secret, body: { text: 'from the CRM' } });
  assert.equal(note.status, 201);
  assert.equal(note.body.agentId, me.id);

  // The secret is answered once: never listed, and not stored — only its SHA-256 and its prefix.
  const listed = await listTokens(h, admin);
  assert.deepEqual(
    listed.map((x) => x.name),
    ['Everything', 'CRM sync'],
    'newest first',
  );
  const listText = JSON.stringify(listed);
  for (const s of [secret, everything.secret]) {
    assert.ok(!listText.includes(s), 'the list holds no secret');
    assert.ok(!listText.includes(s.slice(API_TOKEN_LIMITS.prefix)), 'nor its secret part');
  }
  const rows = await h.hub.store.db.selectFrom('api_tokens').selectAll().execute();
  assert.equal(rows.length, 2);
  const row = rows.find((r) => r.id === token.id);
  assert.equal(row?.token_hash, createHash('sha256').update(secret).digest('hex'));
  assert.equal(row?.prefix, secret.slice(0, API_TOKEN_LIMITS.prefix));
  const rowsText = JSON.stringify(rows);
  for (const s of [secret, everything.secret]) assert.ok(!rowsText.includes(s.slice(API_TOKEN_LIMITS.prefix)), 'the database holds no secret');

  // Last use: recorded, then at most once a minute.
  const firstUse = listed.find((x) => x.id === token.id)?.lastUsedAt;
  assert.equal(firstUse, usedAt);
  h.clock.advance(30_000);
  await h.api('GET', '/api/stats', { token: secret });
  assert.equal((await listTokens(h, admin)).find((x) => x.id === token.id)?.lastUsedAt, firstUse, 'not written again within the minute');
  h.clock.advance(31_000);
  await h.api('GET', '/api/stats', { token: secret });
  assert.equal((await listTokens(h, admin)).find((x) => x.id === token.id)?.lastUsedAt, h.clock.now().toISOString(), 'written after a minute');

  // REST only: an agent socket refuses it.
  await assert.rejects(h.agentSocket(secret), /unauthorized/);

  // Revoke: the very next request is a 401; the token stays listed, revoked; revoking again changes nothing.
  const revoked = await h.api<ApiToken>('DELETE', `/api/tokens/${token.id}`, { token: admin });
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.status, 'revoked');
  assert.equal(revoked.body.revokedAt, h.clock.now().toISOString());
  const after = await h.api<ErrorBody>('GET', '/api/stats', { token: secret });
  assert.equal(after.status, 401);
  assert.equal(after.body.code, 'unauthorized');
  h.clock.advance(5_000);
  const again = await h.api<ApiToken>('DELETE', `/api/tokens/${token.id}`, { token: admin });
  assert.equal(again.status, 200);
  assert.equal(again.body.revokedAt, revoked.body.revokedAt, 'the first revocation time is kept');
  assert.equal((await listTokens(h, admin)).find((x) => x.id === token.id)?.status, 'revoked');
  assert.equal((await h.api('DELETE', `/api/tokens/${randomUUID()}`, { token: admin })).status, 404);
  assert.equal((await h.api('GET', '/api/stats', { token: everything.secret })).status, 200, 'the other token still works');

  // Unknown and damaged tokens: 401.
  assert.equal((await h.api('GET', '/api/stats', { token: `sbt_${'A'.repeat(43)}` })).status, 401);
  assert.equal((await h.api('GET', '/api/stats', { token: secret.slice(0, -1) })).status, 401);
});

test('the create form is checked: a name, known scopes, 1–365 days; agents cannot create tokens', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const refusals: [unknown, string | undefined][] = [
    [{ name: '   ', scopes: ['stats:read'] }, 'name'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['users:admin'] }, 'scopes'],
    [{ name: 'x', scopes: ['stats:read'], expiresInDays: 0 }, 'expiresInDays'],
    [{ name: 'x', scopes: ['stats:read'], expiresInDays: 366 }, 'expiresInDays'],
    [{ name: 'x', scopes: ['stats:read'], expiresInDays: 1.5 }, 'expiresInDays'],
    [{ name: 'x'.repeat(API_TOKEN_LIMITS.name + 1), scopes: ['stats:read'] }, 'name'],
    [{ name: 'x', scopes: ['stats:read', 'stats:read'] }, 'scopes'],
    [{ name: 'x', scopes: ['stats:read'], secret: 'sbt_mine' }, 'secret'],
  ];
  for (const [body, field] of refusals) {
    const res = await h.api<ErrorBody>('POST', '/api/tokens', { token: admin, body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.field, field, JSON.stringify(body));
  }
  const agent = await h.agent('agent');
  const refused = await h.api<ErrorBody>('POST', '/api/tokens', { token: agent.token, body: { name: 'mine', scopes: ['stats:read'] } });
  assert.equal(refused.status, 403);
  assert.deepEqual(await listTokens(h, admin), []);
});

test('a token stops with its creator (disabled, demoted, removed) and at its expiry', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const works = async (secret: string) => (await h.api('GET', '/api/stats', { token: secret })).status;

  // Disabled through the API: refused, and revoked for good (re-enabling does not bring it back).
  const disabled = await h.agent('admin', 'Dee');
  const dee = await createToken(h, disabled.token, { name: 'Dee’s', scopes: ['stats:read'] });
  assert.equal(await works(dee.secret), 200);
  assert.equal((await h.api('PUT', `/api/agents/${disabled.id}`, { token: admin, body: { disabled: true } })).status, 200);
  assert.equal(await works(dee.secret), 401);
  assert.equal((await h.api('PUT', `/api/agents/${disabled.id}`, { token: admin, body: { disabled: false } })).status, 200);
  assert.equal(await works(dee.secret), 401, 're-enabling does not revive it');
  assert.equal((await listTokens(h, admin)).find((x) => x.id === dee.token.id)?.status, 'revoked');

  // Demoted to agent through the API: the same.
  const demoted = await h.agent('admin', 'Dem');
  const dem = await createToken(h, demoted.token, { name: 'Dem’s', scopes: ['stats:read'] });
  assert.equal((await h.api('PUT', `/api/agents/${demoted.id}`, { token: admin, body: { role: 'agent' } })).status, 200);
  assert.equal(await works(dem.secret), 401);
  assert.equal((await listTokens(h, admin)).find((x) => x.id === dem.token.id)?.status, 'revoked');

  // Removed: refused; listed as revoked, its creator's name gone.
  const removed = await h.agent('admin', 'Rem');
  const rem = await createToken(h, removed.token, { name: 'Rem’s', scopes: ['stats:read'] });
  assert.equal((await h.api('DELETE', `/api/agents/${removed.id}`, { token: admin })).status, 200);
  assert.equal(await works(rem.secret), 401);
  const remListed = (await listTokens(h, admin)).find((x) => x.id === rem.token.id);
  assert.equal(remListed?.status, 'revoked');
  assert.equal(remListed?.createdByName, null);
  assert.equal(remListed?.createdBy, removed.id);

  // The check itself doesn't rely on that revocation: the creator's state is read on every request
  // (a change written by another hub, or racing the request). Here written straight into the store.
  const direct = await h.agent('admin', 'Dir');
  const dir = await createToken(h, direct.token, { name: 'Dir’s', scopes: ['stats:read'] });
  await h.hub.store.agents.update(direct.id, { disabled: 1 });
  assert.equal(await works(dir.secret), 401, 'creator disabled');
  await h.hub.store.agents.update(direct.id, { disabled: 0, role: 'agent' });
  assert.equal(await works(dir.secret), 401, 'creator no longer an admin');
  await h.hub.store.agents.update(direct.id, { role: 'admin' });
  assert.equal(await works(dir.secret), 200, 'the same token, its creator an enabled admin again (nothing revoked it)');

  // A password change ends the creator's sessions, not their tokens.
  await h.api('PUT', `/api/agents/${direct.id}`, { token: admin, body: { password: 'new-password-1' } });
  assert.equal(await works(dir.secret), 200);

  // Expiry: works until the moment, then 401, listed as expired.
  const expiring = await createToken(h, admin, { name: 'One day', scopes: ['stats:read'], expiresInDays: 1 });
  assert.equal(expiring.token.expiresAt, new Date(h.clock.now().getTime() + DAY).toISOString());
  h.clock.advance(DAY - 1000);
  assert.equal(await works(expiring.secret), 200);
  h.clock.advance(1000);
  assert.equal(await works(expiring.secret), 401);
  const fresh = await h.login(); // the admin's own session is past its 12 hours too
  assert.equal((await listTokens(h, fresh)).find((x) => x.id === expiring.token.id)?.status, 'expired');
});

test('every /api route the hub serves has a scope decision, and the hub enforces each one', async (t) => {
  const h = await startHub(t, { config: { requestsPerMinute: 100_000 } });
  const admin = await h.login();

  // The table and the routes: the same set (the table is also keyed by protocol/api.ts at compile time).
  const served = registeredRoutes(h.hub.app.printRoutes({ commonPrefix: false })).filter((r) => / \/api\//.test(r) && !/^GET \/api\/docs(\/|$)/.test(r));
  const decided = new Set(Object.keys(ROUTE_SCOPES));
  assert.deepEqual(
    served.filter((r) => !decided.has(r)),
    [],
    'routes without a scope decision in server/rules/api-tokens.ts',
  );
  const servedSet = new Set(served);
  assert.deepEqual(
    [...decided].filter((r) => r !== 'GET /health' && !servedSet.has(r)),
    [],
    'decisions for routes the hub does not serve',
  );
  // Deny by default: a route the table doesn't know (or no route) opens to no token.
  assert.deepEqual(tokenMayCall(API_TOKEN_SCOPES, 'GET', '/api/something-new'), { ok: false, needed: null });
  assert.deepEqual(tokenMayCall(API_TOKEN_SCOPES, 'POST', '/api/conversations'), { ok: false, needed: null });
  assert.deepEqual(tokenMayCall(API_TOKEN_SCOPES, 'GET', undefined), { ok: false, needed: null });
  assert.deepEqual(tokenMayCall(['conversations:read'], 'HEAD', '/api/conversations'), { ok: true });

  // Each scope's routes, called with a token holding every scope but that one: 403 insufficient_scope naming it.
  // Each `never` route with a token holding every scope: 403 forbidden. Refused before the route runs, so any id will do.
  const without = new Map<ApiTokenScope, string>();
  for (const scope of API_TOKEN_SCOPES) {
    without.set(scope, (await createToken(h, admin, { name: `all but ${scope}`, scopes: API_TOKEN_SCOPES.filter((s) => s !== scope) })).secret);
  }
  const all = (await createToken(h, admin, { name: 'all', scopes: [...API_TOKEN_SCOPES] })).secret;
  const mismatches: string[] = [];
  let checks = 0;
  for (const [key, decision] of Object.entries(ROUTE_SCOPES) as [RouteKey, (typeof ROUTE_SCOPES)[RouteKey]][]) {
    if (decision === 'public' || decision === 'any') continue;
    const [method = '', url = ''] = key.split(' ');
    const path = url.replace(':id', randomUUID()).replace(':key', 'team');
    const token = decision === 'never' ? all : (without.get(decision) ?? '');
    const res = await h.api<ErrorBody>(method, path, { token, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
    checks += 1;
    const expected = decision === 'never' ? 'forbidden' : 'insufficient_scope';
    if (res.status !== 403 || res.body.code !== expected || (decision !== 'never' && !res.body.message.includes(decision)))
      mismatches.push(`${key}: ${res.status} ${JSON.stringify(res.body)} (expected 403 ${expected})`);
  }
  assert.deepEqual(mismatches, []);
  // `any`: GET /api/me with a one-scope token.
  const one = (await createToken(h, admin, { name: 'one', scopes: ['stats:read'] })).secret;
  assert.equal((await h.api('GET', '/api/me', { token: one })).status, 200);
  console.log(`api tokens (${h.hub.store.dialect}): ${served.length} /api routes decided; ${checks} refusals checked`);
});

test('at most 50 tokens are active at once; revoked and expired ones do not count', async (t) => {
  const h = await startHub(t, { config: { requestsPerMinute: 100_000 } });
  const admin = await h.login();
  const made: ApiTokenCreated[] = [];
  for (let i = 0; i < API_TOKEN_LIMITS.active; i += 1) made.push(await createToken(h, admin, { name: `t${i}`, scopes: ['stats:read'] }));
  const full = await h.api<ErrorBody>('POST', '/api/tokens', { token: admin, body: { name: 'one more', scopes: ['stats:read'] } });
  assert.equal(full.status, 409);
  assert.equal(full.body.code, 'conflict');
  await h.api('DELETE', `/api/tokens/${made[0]?.token.id}`, { token: admin });
  await createToken(h, admin, { name: 'one more', scopes: ['stats:read'] });
  assert.equal((await listTokens(h, admin)).length, API_TOKEN_LIMITS.active + 1);
});
