/**
 * Who may do what, on every route, enforced by the hub (the socket events: socket-permissions.test.ts): a table of
 * expected HTTP statuses per role, walked against a real hub with fresh fixtures per check. Roles:
 *   anonymous — no token;                     visitor — a widget's session token presented as a Bearer;
 *   agent     — an agent who can see the conversation;
 *   hidden    — an agent the conversation is not visible to (visibility restricted by an admin);
 *   admin.
 * A hidden conversation answers 404, never 403, so its existence doesn't leak. A route the hub serves without a row in
 * the table (permission-table.ts) fails the test, so a new route can't ship without deciding who may call it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { ConversationSummary } from '../../protocol/types.js';
import { clientId, request, startHub } from '../helpers/hub.js';
import { registeredRoutes } from '../helpers/routes.js';
import { F, type Fixture, N, PINNED, PUBLIC, ROLES, ROWS, type Role, type Row, U, faq, multipartFile, quickReply } from './permission-table.js';

// ~80 routes × 5 roles against a real hub: minutes on PostgreSQL on a busy 2-core machine.
test('every REST route × every role answers as the table says', { timeout: 360_000 }, async (t) => {
  // Private webhook targets allowed: the webhook rows register a loopback URL (nothing is ever posted to it).
  const h = await startHub(t, { config: { requestsPerMinute: 100_000, webhookAllowPrivate: true } });
  const admin = await h.login();
  const agent = await h.agent('agent', 'Sees it');
  const hidden = await h.agent('agent', 'Does not');
  const { session } = await h.visitor();
  const visitorToken = session.token;
  let teamThread: Promise<string> | null = null;
  /** `agent` writes to another agent once; the thread's id is what the other roles try to read. */
  const directThread = () =>
    (teamThread ??= (async () => {
      const partner = await h.agent('agent', 'Partner');
      const socket = await h.agentSocket(agent.token);
      const sent = await request<{ message: { threadId: string } }>(socket, 'team:send', {
        threadKey: `direct:${partner.id}`,
        clientId: clientId(),
        text: 'psst',
      });
      socket.disconnect();
      return sent.data?.message.threadId ?? 'no-thread';
    })());

  /** A visitor with a conversation only `agent` (and admins) may see, plus a FAQ, a quick reply and an agent. */
  const fixture = async (row?: Row): Promise<Fixture> => {
    const needs = (what: string) => !row || row.path.includes(what);
    let webhookId = 'not-needed';
    if (needs(':webhook') || needs(':delivery')) {
      // One endpoint at a time (the hub caps their number), subscribed before the conversation below opens.
      for (const old of (await h.api<{ items: { id: string }[] }>('GET', '/api/webhooks', { token: admin })).body.items)
        await h.api('DELETE', `/api/webhooks/${old.id}`, { token: admin });
      const hook = { url: 'http://127.0.0.1:9/hook', events: ['conversation.created'] };
      webhookId = (await h.api<{ id: string }>('POST', '/api/webhooks', { token: admin, body: hook })).body.id;
    }
    const { socket, session: s } = await h.visitor({ userData: { first_name: 'Table' } });
    const sent = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text: 'hello' });
    const conversationId = sent.data?.conversation.id ?? '';
    const visible = await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: [agent.id] } });
    assert.equal(visible.status, 200);
    socket.disconnect();
    const create = async (needed: boolean, path: string, body: unknown) =>
      needed ? (await h.api<{ id: string }>('POST', path, { token: admin, body })).body.id : 'not-needed';
    const contactOf = async (id: string) =>
      (await h.api<{ conversation: { contactId: string } }>('GET', `/api/conversations/${id}`, { token: admin })).body.conversation.contactId;
    let otherContactId = 'not-needed';
    if (needs('merge')) {
      const other = await h.visitor({ userData: { first_name: 'Other' } });
      const otherSent = await request<{ conversation: { id: string } }>(other.socket, 'message:send', { clientId: clientId(), text: 'hi' });
      otherContactId = await contactOf(otherSent.data?.conversation.id ?? '');
      other.socket.disconnect();
    }
    return {
      conversationId,
      visitorId: s.visitor.id,
      contactId: needs(':contact') ? await contactOf(conversationId) : 'not-needed',
      otherContactId,
      faqId: await create(needs(':faq'), '/api/faqs', faq),
      quickReplyId: await create(needs(':quickReply'), '/api/quick-replies', quickReply),
      // Creating an agent hashes a password (scrypt): only when the row needs one.
      agentId: await create(needs(':agent'), '/api/agents', {
        email: `${randomUUID().slice(0, 8)}@test.local`,
        name: 'Extra',
        role: 'agent',
        password: 'password-123',
      }),
      teamThreadId: needs(':key') ? await directThread() : 'not-needed',
      apiTokenId: needs(':apiToken')
        ? (await h.api<{ token: { id: string } }>('POST', '/api/tokens', { token: admin, body: { name: 'Fixture', scopes: ['stats:read'] } })).body.token.id
        : 'not-needed',
      seerId: agent.id,
      webhookId,
      attachmentId: needs(':attachment')
        ? ((
            await h.api<{ attachment: { id: string } }>('POST', `/api/conversations/${conversationId}/attachments`, {
              token: admin,
              raw: multipartFile('fixture').text,
              contentType: multipartFile('fixture').contentType,
            })
          ).body.attachment?.id ?? 'no-attachment')
        : 'not-needed',
      deliveryId:
        webhookId === 'not-needed'
          ? 'not-needed'
          : ((await h.api<{ items: { id: string }[] }>('GET', `/api/webhooks/${webhookId}/deliveries`, { token: admin })).body.items[0]?.id ?? 'none'),
    };
  };

  const tokenFor = async (role: Role, row: Row): Promise<string | undefined> => {
    // Logging out revokes the token: give that row fresh ones so the other rows keep theirs.
    const fresh = row.path === '/api/auth/logout';
    switch (role) {
      case 'anonymous':
        return undefined;
      case 'visitor':
        return visitorToken;
      case 'agent':
        return fresh ? h.login(agent.email, 'password-123') : agent.token;
      case 'hidden':
        return fresh ? h.login(hidden.email, 'password-123') : hidden.token;
      case 'admin':
        return fresh ? h.login() : admin;
    }
  };

  const mismatches: string[] = [];
  let checks = 0;
  for (const row of ROWS) {
    // A refused call changes nothing (checked below), so the roles refused share one fixture; each allowed call (and
    // each call with a setup of its own) gets a fresh one. About half the fixtures, same checks.
    let shared: Fixture | null = null;
    for (const [index, role] of ROLES.entries()) {
      const refused = [U, F, N].includes(row.expect[index] ?? 0) && !row.setup;
      if (refused && !shared) shared = await fixture(row);
      const f = refused && shared ? shared : await fixture(row);
      const path = row.path
        .replace(':conversation', f.conversationId)
        .replace(':visitor', f.visitorId)
        .replace(':contact', f.contactId)
        .replace(':faq', f.faqId)
        .replace(':quickReply', f.quickReplyId)
        .replace(':agent', f.agentId)
        .replace(':key', f.teamThreadId)
        .replace(':webhook', f.webhookId)
        .replace(':delivery', f.deliveryId)
        .replace(':apiToken', f.apiTokenId)
        .replace(':attachment', f.attachmentId);
      const token = await tokenFor(role, row);
      await row.setup?.(h, f, token);
      const res = await h.api<{ code?: string }>(row.method, path, {
        token,
        ...(row.raw ? { raw: row.raw.text, contentType: row.raw.contentType } : { body: row.body?.(f) }),
      });
      checks += 1;
      const expected = row.expect[index];
      if (res.status !== expected)
        mismatches.push(`${row.method} ${row.path} as ${role}: ${res.status} (expected ${expected}) ${JSON.stringify(res.body).slice(0, 120)}`);
      if (expected === U || expected === F || expected === N) {
        const codes: Record<number, string> = { [U]: 'unauthorized', [F]: 'forbidden', [N]: 'not_found' };
        if (res.body?.code !== codes[expected]) mismatches.push(`${row.method} ${row.path} as ${role}: error code ${res.body?.code}`);
      }
    }
  }
  assert.deepEqual(mismatches, []);

  // A refused action changed nothing: the hidden agent's and the plain agent's attempts left the conversation as it was.
  const f = await fixture();
  for (const token of [hidden.token, agent.token, visitorToken]) {
    await h.api('DELETE', `/api/conversations/${f.conversationId}`, { token });
    await h.api('PUT', `/api/conversations/${f.conversationId}/tags`, { token: token === agent.token ? undefined : token, body: { tags: ['x'] } });
  }
  const after = await h.api<{ conversation: ConversationSummary }>('GET', `/api/conversations/${f.conversationId}`, { token: admin });
  assert.equal(after.status, 200);
  assert.deepEqual(after.body.conversation.tags, []);

  // Admin-only deletes answer the same for an unknown id, so a 403 says nothing about existence.
  for (const path of [`/api/conversations/${randomUUID()}`, `/api/visitors/${randomUUID()}`]) {
    assert.equal((await h.api('DELETE', path, { token: hidden.token })).status, F);
    assert.equal((await h.api('DELETE', path, { token: admin })).status, N);
  }

  // No route ships without a row.
  const tabled = new Set([
    ...ROWS.map((r) => `${r.method} ${r.path.replace(/:(conversation|visitor|contact|faq|quickReply|agent|webhook|delivery|apiToken|attachment)/, ':id')}`),
    ...PUBLIC,
  ]);
  const registered = registeredRoutes(h.hub.app.printRoutes({ commonPrefix: false }));
  assert.deepEqual(
    registered.filter((r) => !tabled.has(r) && !PINNED.test(r)),
    [],
    'routes without a row in the table',
  );
  assert.ok(registered.length >= ROWS.length);
  console.log(`access table: ${ROWS.length} routes × ${ROLES.length} roles = ${checks} checks, all as expected`);
});
