/**
 * The route × role table that permissions.test.ts walks against a real hub: the HTTP status each role gets on each
 * route (see that file for the roles), the routes served to anyone, and the build's pinned script names.
 */
import { randomUUID } from 'node:crypto';
import { ADMIN, type TestHub } from '../helpers/hub.js';

export type Role = 'anonymous' | 'visitor' | 'agent' | 'hidden' | 'admin';
export const ROLES: Role[] = ['anonymous', 'visitor', 'agent', 'hidden', 'admin'];

/** What one check gets to work with: fresh ids for the resources the route touches. */
export interface Fixture {
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

export interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: (f: Fixture) => unknown;
  raw?: { text: string; contentType: string };
  /** Runs first with the caller's own token (e.g. take the conversation over before handing it back). */
  setup?: (h: TestHub, f: Fixture, token: string | undefined) => Promise<unknown>;
  /** Expected status for anonymous, visitor, agent, hidden, admin. */
  expect: [number, number, number, number, number];
}

export const U = 401; // not signed in (a visitor token is not an agent token)
export const F = 403; // signed in, not allowed (admin-only actions)
export const N = 404; // the conversation or visitor is hidden from this agent
export const quickReply = {
  name: 'Hours',
  text: 'We answer 9–17',
  timezone: 'Europe/Paris',
  windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
};
export const faq = { type: 'general', questions: ['where is my order'], answer: 'In the post' };
const BOUNDARY = 'switchboard-permissions';
/** An upload as a browser sends it: a clientId field and a plain-text file part. */
export const multipartFile = (name: string) => ({
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

export const ROWS: Row[] = [
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
export const PUBLIC = [
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
  // Their stylesheet, the build's compressed copy (plugins/assets.ts).
  'GET /demo/demo.css',
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
export const PINNED = /^GET \/(widget|widget-app|agent-panel)\.[0-9a-f]{12}\.js(\.map)?$/;
