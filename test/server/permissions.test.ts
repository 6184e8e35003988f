/**
 * Who may do what, on every route, enforced by the hub (the socket events: socket-permissions.test.ts): a table of
 * expected HTTP statuses per role, walked against a real hub with fresh fixtures per check. Roles:
 *   anonymous — no token;                     visitor — a widget's session token presented as a Bearer;
 *   agent     — an agent who can see the conversation;
 *   hidden    — an agent the conversation is not visible to (visibility restricted by an admin);
 *   admin.
 * A hidden conversation answers 404, never 403, so its existence doesn't leak. A route the hub serves
 * without a row here fails the test, so a new route can't ship without deciding who may call it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { ConversationSummary } from '../../protocol/types.js';
import { ADMIN, type TestHub, clientId, request, startHub } from '../helpers/hub.js';
import { registeredRoutes } from '../helpers/routes.js';

type Role = 'anonymous' | 'visitor' | 'agent' | 'hidden' | 'admin';
const ROLES: Role[] = ['anonymous', 'visitor', 'agent', 'hidden', 'admin'];

/** What one check gets to work with: fresh ids for the resources the route touches. */
interface Fixture {
  conversationId: string;
  visitorId: string;
  contactId: string;
  /** A second contact (merge). */
  otherContactId: string;
  faqId: string;
  quickReplyId: string;
  agentId: string;
  /** A direct team chat thread between `agent` and another agent (neither hidden nor admin is part of it). */
  teamThreadId: string;
  /** The agent who may see the conversation (only such an agent can be assigned to it). */
  seerId: string;
  /** A webhook endpoint (the only one), and a delivery of the fixture's conversation.created to it. */
  webhookId: string;
  deliveryId: string;
  /** An admin's API token (the DELETE row revokes it). */
  apiTokenId: string;
  /** A file an admin uploaded to the conversation. */
  attachmentId: string;
}

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: (f: Fixture) => unknown;
  raw?: { text: string; contentType: string };
  /** Runs first with the caller's own token (e.g. take the conversation over before handing it back). */
  setup?: (h: TestHub, f: Fixture, token: string | undefined) => Promise<unknown>;
  /** Expected status for anonymous, visitor, agent, hidden, admin. */
  expect: [number, number, number, number, number];
}

const U = 401; // not signed in (a visitor token is not an agent token)
const F = 403; // signed in, not allowed (admin-only actions)
const N = 404; // the conversation or visitor is hidden from this agent
const quickReply = { name: 'Hours', text: 'We answer 9–17', timezone: 'Europe/Paris', windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] };
const faq = { type: 'general', questions: ['where is my order'], answer: 'In the post' };
const BOUNDARY = 'switchboard-permissions';
/** An upload as a browser sends it: a clientId field and a plain-text file part. */
const multipartFile = (name: string) => ({
  text: [
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="clientId"',
    '',
    `table-${name}`,
    `--${BOUNDARY}`,
    `Content-Disposition: form-data; name="file"; filename="${name}.txt"`,
    'Content-Type: text/plain',
    '',
    'a plain text file',
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n'),
  contentType: `multipart/form-data; boundary=${BOUNDARY}`,
});

const ROWS: Row[] = [
  { method: 'POST', path: '/api/auth/login', body: () => ({ email: ADMIN.email, password: ADMIN.password }), expect: [200, 200, 200, 200, 200] },
  { method: 'POST', path: '/api/auth/logout', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/me', expect: [U, U, 200, 200, 200] },
  // Any agent changes their own preferences (an agent's escalation emails: also the admin's PUT /api/agents/:id).
  { method: 'PATCH', path: '/api/me', body: () => ({ emailOnEscalation: false }), expect: [U, U, 200, 200, 200] },
  // The API reference describes routes, not data: public (docs/decisions.md, session 5 (OpenAPI)).
  { method: 'GET', path: '/api/openapi.json', expect: [200, 200, 200, 200, 200] },
  { method: 'GET', path: '/api/stats', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/sites', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/settings', expect: [U, U, 200, 200, 200] },
  { method: 'PUT', path: '/api/settings', body: () => ({ botName: 'Robo' }), expect: [U, U, F, F, 200] },
  { method: 'GET', path: '/api/agents', expect: [U, U, 200, 200, 200] },
  {
    method: 'POST',
    path: '/api/agents',
    body: () => ({ email: `${randomUUID().slice(0, 8)}@test.local`, name: 'New', role: 'agent', password: 'password-123' }),
    expect: [U, U, F, F, 201],
  },
  { method: 'PUT', path: '/api/agents/:agent', body: () => ({ name: 'Renamed' }), expect: [U, U, F, F, 200] },
  { method: 'DELETE', path: '/api/agents/:agent', expect: [U, U, F, F, 200] },
  { method: 'GET', path: '/api/quick-replies', expect: [U, U, 200, 200, 200] },
  { method: 'POST', path: '/api/quick-replies', body: () => quickReply, expect: [U, U, F, F, 201] },
  { method: 'PUT', path: '/api/quick-replies/:quickReply', body: () => quickReply, expect: [U, U, F, F, 200] },
  { method: 'DELETE', path: '/api/quick-replies/:quickReply', expect: [U, U, F, F, 200] },
  { method: 'GET', path: '/api/faqs', expect: [U, U, 200, 200, 200] },
  { method: 'POST', path: '/api/faqs', body: () => faq, expect: [U, U, F, F, 201] },
  { method: 'PUT', path: '/api/faqs/:faq', body: () => faq, expect: [U, U, F, F, 200] },
  { method: 'DELETE', path: '/api/faqs/:faq', expect: [U, U, F, F, 200] },
  { method: 'GET', path: '/api/faqs/export.csv', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/faqs/sample.csv', expect: [U, U, 200, 200, 200] },
  {
    method: 'POST',
    path: '/api/faqs/import',
    raw: { text: 'type,question,answer\ngeneral,opening hours,9 to 5\n', contentType: 'text/csv' },
    expect: [U, U, F, F, 200],
  },
  { method: 'POST', path: '/api/faqs/test', body: () => ({ text: 'where is my order' }), expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/conversations', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/languages', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/conversations/:conversation', expect: [U, U, 200, N, 200] },
  { method: 'GET', path: '/api/conversations/:conversation/messages', expect: [U, U, 200, N, 200] },
  { method: 'GET', path: '/api/conversations/:conversation/export', expect: [U, U, 200, N, 200] },
  { method: 'POST', path: '/api/conversations/:conversation/notes', body: () => ({ text: 'private' }), expect: [U, U, 201, N, 201] },
  { method: 'PUT', path: '/api/conversations/:conversation/tags', body: () => ({ tags: ['vip'] }), expect: [U, U, 200, N, 200] },
  { method: 'PUT', path: '/api/conversations/:conversation/assignees', body: (f) => ({ agentIds: [f.seerId] }), expect: [U, U, 200, N, 200] },
  { method: 'PUT', path: '/api/conversations/:conversation/visibility', body: () => ({ agentIds: [] }), expect: [U, U, 200, N, 200] },
  { method: 'PUT', path: '/api/conversations/:conversation/ticket-status', body: () => ({ status: 'pending' }), expect: [U, U, 200, N, 200] },
  { method: 'POST', path: '/api/conversations/:conversation/claim', body: () => ({}), expect: [U, U, 200, N, 200] },
  {
    method: 'POST',
    path: '/api/conversations/:conversation/release',
    setup: (h, f, token) => h.api('POST', `/api/conversations/${f.conversationId}/claim`, { token, body: {} }),
    expect: [U, U, 200, N, 200],
  },
  { method: 'POST', path: '/api/conversations/:conversation/mute', expect: [U, U, 200, N, 200] },
  { method: 'POST', path: '/api/conversations/:conversation/unmute', expect: [U, U, 200, N, 200] },
  { method: 'POST', path: '/api/conversations/:conversation/close', body: () => ({}), expect: [U, U, 200, N, 200] },
  { method: 'POST', path: '/api/conversations/:conversation/reopen', expect: [U, U, 200, N, 200] },
  // Deleting is admin-only and checked first: any agent gets 403 whether or not the id exists (nothing leaks).
  { method: 'DELETE', path: '/api/conversations/:conversation', expect: [U, U, F, F, 200] },
  // Attachments: agents upload to conversations they see; the widget uploads with its session token (the visitor role
  // here is another visitor, whose upload goes into its own conversation); a file answers, without its signed URL, to
  // a Bearer that may see its conversation (the signed URL and the conversation's own visitor: attachments.test.ts).
  { method: 'POST', path: '/api/conversations/:conversation/attachments', raw: multipartFile('agent'), expect: [U, U, 201, N, 201] },
  { method: 'POST', path: '/api/widget/attachments', raw: multipartFile('widget'), expect: [U, 201, U, U, U] },
  { method: 'GET', path: '/api/attachments/:attachment', expect: [U, N, 200, N, 200] },
  { method: 'GET', path: '/api/visitors/:visitor', expect: [U, U, 200, N, 200] },
  { method: 'GET', path: '/api/visitors/:visitor/export', expect: [U, U, 200, N, 200] },
  { method: 'DELETE', path: '/api/visitors/:visitor', expect: [U, U, F, F, 200] },
  // Contacts are team-wide unless their default visibility says otherwise (the fixture's is team-wide),
  // so the agent who can't see this one conversation still sees the person; merge and erase are admin-only.
  { method: 'GET', path: '/api/contacts', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/contacts/:contact', expect: [U, U, 200, 200, 200] },
  { method: 'PATCH', path: '/api/contacts/:contact', body: () => ({ tags: ['vip'] }), expect: [U, U, 200, 200, 200] },
  { method: 'PATCH', path: '/api/contacts/:contact', body: () => ({ defaultVisibleTo: [] }), expect: [U, U, F, F, 200] },
  { method: 'POST', path: '/api/contacts/:contact/merge', body: (f) => ({ otherId: f.otherContactId }), expect: [U, U, F, F, 200] },
  { method: 'GET', path: '/api/contacts/:contact/export', expect: [U, U, 200, 200, 200] },
  { method: 'DELETE', path: '/api/contacts/:contact', expect: [U, U, F, F, 200] },
  { method: 'POST', path: '/api/contacts/:contact/notes', body: () => ({ text: 'likes blue' }), expect: [U, U, 201, 201, 201] },
  {
    method: 'POST',
    path: '/api/contacts/:contact/conversations',
    body: () => ({ text: 'Following up' }),
    setup: async (h, f) => h.api('POST', `/api/conversations/${f.conversationId}/close`, { token: await h.login(), body: {} }),
    expect: [U, U, 201, 201, 201],
  },
  { method: 'GET', path: '/api/contact-fields', expect: [U, U, 200, 200, 200] },
  { method: 'PUT', path: '/api/contact-fields', body: () => ({ items: [] }), expect: [U, U, F, F, 200] },
  { method: 'GET', path: '/api/tags', expect: [U, U, 200, 200, 200] },
  { method: 'PUT', path: '/api/tags', body: () => ({ tags: [], freeTags: true }), expect: [U, U, F, F, 200] },
  // Team chat: every agent has the team room and their own threads; a direct thread is its two agents' only, admins included.
  { method: 'GET', path: '/api/team/threads', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/team/threads/team/messages', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/team/threads/:key/messages', expect: [U, U, 200, N, N] },
  // Webhooks: admins only (the endpoint's secret signs what the hub sends).
  { method: 'GET', path: '/api/webhooks', expect: [U, U, F, F, 200] },
  { method: 'POST', path: '/api/webhooks', body: () => ({ url: 'http://127.0.0.1:9/hook', events: ['message.created'] }), expect: [U, U, F, F, 201] },
  { method: 'PATCH', path: '/api/webhooks/:webhook', body: () => ({ enabled: false }), expect: [U, U, F, F, 200] },
  { method: 'DELETE', path: '/api/webhooks/:webhook', expect: [U, U, F, F, 200] },
  { method: 'GET', path: '/api/webhooks/:webhook/deliveries', expect: [U, U, F, F, 200] },
  { method: 'POST', path: '/api/webhooks/deliveries/:delivery/resend', expect: [U, U, F, F, 201] },
  { method: 'GET', path: '/api/webhooks/settings', expect: [U, U, F, F, 200] },
  { method: 'PUT', path: '/api/webhooks/settings', body: () => ({ allowPrivateTargets: true }), expect: [U, U, F, F, 200] },
  // API tokens: signed-in admins only (what API tokens themselves may call: test/server/api-tokens.test.ts).
  { method: 'GET', path: '/api/tokens', expect: [U, U, F, F, 200] },
  { method: 'POST', path: '/api/tokens', body: () => ({ name: 'CRM', scopes: ['conversations:read'] }), expect: [U, U, F, F, 201] },
  { method: 'DELETE', path: '/api/tokens/:apiToken', expect: [U, U, F, F, 200] },
  // AI assist: as visible as the conversation; every agent reads the status and switches, admins change them.
  { method: 'GET', path: '/api/conversations/:conversation/summary', expect: [U, U, 200, N, 200] },
  { method: 'GET', path: '/api/conversations/:conversation/suggestions', expect: [U, U, 200, N, 200] },
  { method: 'GET', path: '/api/assist/status', expect: [U, U, 200, 200, 200] },
  { method: 'GET', path: '/api/assist/settings', expect: [U, U, 200, 200, 200] },
  { method: 'PUT', path: '/api/assist/settings', body: () => ({ summary: true }), expect: [U, U, F, F, 200] },
  // Transcription: as visible as the voice note's conversation. The fixture's file is text, so those who may see it are
  // told it is not audio (400); a voice note's transcript, and its refusals, are in transcription.test.ts.
  { method: 'POST', path: '/api/attachments/:attachment/transcription', expect: [U, U, 400, N, 400] },
  { method: 'GET', path: '/api/email/settings', expect: [U, U, F, F, 200] },
  { method: 'PUT', path: '/api/email/settings', body: () => ({ delayMinutes: 5 }), expect: [U, U, F, F, 200] },
  // Not an agent route: the operator's mail system posts with INBOUND_EMAIL_TOKEN, and this hub has none, so it is off
  // for everyone (email-inbound.test.ts covers it switched on: 401 for any other token, agents' included).
  {
    method: 'POST',
    path: '/api/email/inbound',
    raw: { text: 'From: a@example.com\nTo: reply+x@reply.test\n\nhi', contentType: 'message/rfc822' },
    expect: [N, N, N, N, N],
  },
  // The widget's loader: the visitor's own session token only (an agent token is not a visitor token).
  { method: 'GET', path: '/api/widget/unread', expect: [U, 200, U, U, U] },
];

/** Served to anyone: the pages, scripts, health check and API reference. */
const PUBLIC = [
  'GET /',
  'GET /*',
  'GET /widget.js',
  'GET /widget.js.map',
  'GET /agent-panel.js',
  'GET /agent-panel.js.map',
  'GET /crm',
  // The demo pages, served with the build's pinned script URLs (plugins/assets.ts); the rest of demo/ is 'GET /*'.
  'GET /demo/shop.html',
  'GET /demo/crm.html',
  'GET /health',
  // Operations: /ready answers anyone (load balancers); /metrics checks the address or METRICS_TOKEN itself (metrics.test.ts).
  'GET /ready',
  'GET /metrics',
  'GET /versions.json',
  // The API reference pages (Swagger UI, plugins/openapi.ts): the page, its scripts and styles, the document it renders.
  'GET /api/docs',
  'GET /api/docs/',
  'GET /api/docs/static/index.html',
  'GET /api/docs/static/swagger-initializer.js',
  'GET /api/docs/*',
  'GET /api/docs/json',
  'GET /api/docs/yaml',
  'OPTIONS *',
];
/** The build's pinned copies (`widget.<hash>.js`) and the widget's app chunk (`widget-app.<hash>.js`): public like /widget.js, named by the build. */
const PINNED = /^GET \/(widget|widget-app|agent-panel)\.[0-9a-f]{12}\.js(\.map)?$/;

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
