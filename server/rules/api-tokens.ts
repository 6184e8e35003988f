/**
 * What an API token may call: one table, every REST route → the scope it needs, or a decision that no scope opens it.
 * A route the table doesn't know is refused to tokens (deny by default): the table is keyed by `ApiRoutes`, so a
 * route added to the protocol without a row here doesn't compile, and test/server/api-tokens.test.ts fails when the
 * hub serves an /api route without one.
 */
import type { ApiRoutes } from '../../protocol/api.js';
import type { ApiTokenScope, ApiTokenStatus } from '../../protocol/api-tokens.js';

/**
 * - a scope: a token holding it may call the route (as its creator, so the admin rules apply as for them);
 * - `any`: any live token, whatever its scopes (`GET /api/me`: whom the token acts as);
 * - `never`: signed-in agents only — accounts, sign-in and sign-out, hub settings, API tokens themselves, team chat
 *   (a person's own conversations), the webhooks' private-targets setting (the SSRF guard);
 * - `public`: no token at all (sign-in, the API reference, health): the token check does not run.
 */
export type ScopeDecision = ApiTokenScope | 'any' | 'never' | 'public';

export const ROUTE_SCOPES = {
  'GET /health': 'public',
  'GET /api/openapi.json': 'public',

  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'never',
  'GET /api/me': 'any',
  // The creator's own preferences (escalation emails): their account, not an integration's business.
  'PATCH /api/me': 'never',

  'GET /api/conversations': 'conversations:read',
  'GET /api/conversations/:id': 'conversations:read',
  'GET /api/languages': 'conversations:read',
  'GET /api/conversations/:id/messages': 'conversations:read',
  'POST /api/conversations/:id/notes': 'conversations:write',
  'PUT /api/conversations/:id/tags': 'conversations:write',
  'PUT /api/conversations/:id/assignees': 'conversations:write',
  'PUT /api/conversations/:id/visibility': 'conversations:write',
  'PUT /api/conversations/:id/ticket-status': 'conversations:write',
  'POST /api/conversations/:id/claim': 'conversations:write',
  'POST /api/conversations/:id/release': 'conversations:write',
  'POST /api/conversations/:id/mute': 'conversations:write',
  'POST /api/conversations/:id/unmute': 'conversations:write',
  'POST /api/conversations/:id/close': 'conversations:write',
  'POST /api/conversations/:id/reopen': 'conversations:write',
  'DELETE /api/conversations/:id': 'conversations:write',
  'GET /api/conversations/:id/export': 'conversations:read',

  // Visitors are a person's widget sessions: the contacts' scopes.
  'GET /api/visitors/:id': 'contacts:read',
  'GET /api/visitors/:id/export': 'contacts:read',
  'DELETE /api/visitors/:id': 'contacts:write',

  'GET /api/contacts': 'contacts:read',
  'GET /api/contacts/:id': 'contacts:read',
  'PATCH /api/contacts/:id': 'contacts:write',
  'POST /api/contacts/:id/merge': 'contacts:write',
  'GET /api/contacts/:id/export': 'contacts:read',
  'DELETE /api/contacts/:id': 'contacts:write',
  'POST /api/contacts/:id/notes': 'contacts:write',
  // New chat writes to the visitor: a conversation, not a contact edit (a CRM syncing fields shouldn't message people).
  'POST /api/contacts/:id/conversations': 'conversations:write',
  'GET /api/contact-fields': 'contacts:read',
  'PUT /api/contact-fields': 'contacts:write',
  'GET /api/tags': 'contacts:read',
  'PUT /api/tags': 'contacts:write',

  'GET /api/stats': 'stats:read',

  'GET /api/faqs': 'content:read',
  'POST /api/faqs': 'content:write',
  'PUT /api/faqs/:id': 'content:write',
  'DELETE /api/faqs/:id': 'content:write',
  'GET /api/faqs/export.csv': 'content:read',
  'GET /api/faqs/sample.csv': 'content:read',
  'POST /api/faqs/import': 'content:write',
  // A question asked of the FAQs: it changes nothing.
  'POST /api/faqs/test': 'content:read',

  'GET /api/quick-replies': 'content:read',
  'POST /api/quick-replies': 'content:write',
  'PUT /api/quick-replies/:id': 'content:write',
  'DELETE /api/quick-replies/:id': 'content:write',

  // The hub's configuration and its accounts: in the panel, by a signed-in admin.
  'GET /api/settings': 'never',
  'PUT /api/settings': 'never',
  'GET /api/agents': 'never',
  'POST /api/agents': 'never',
  'PUT /api/agents/:id': 'never',
  'DELETE /api/agents/:id': 'never',
  'GET /api/sites': 'never',

  'GET /api/team/threads': 'never',
  'GET /api/team/threads/:key/messages': 'never',

  'GET /api/webhooks': 'webhooks:manage',
  'POST /api/webhooks': 'webhooks:manage',
  'PATCH /api/webhooks/:id': 'webhooks:manage',
  'DELETE /api/webhooks/:id': 'webhooks:manage',
  'GET /api/webhooks/:id/deliveries': 'webhooks:manage',
  'POST /api/webhooks/deliveries/:id/resend': 'webhooks:manage',
  // Allowing private targets turns the SSRF guard off: a leaked token must not be able to.
  'GET /api/webhooks/settings': 'never',
  'PUT /api/webhooks/settings': 'never',

  'GET /api/tokens': 'never',
  'POST /api/tokens': 'never',
  'DELETE /api/tokens/:id': 'never',

  // AI assist: reads of a conversation (a summary, suggestions), for an integration as for an agent; its switches are
  // the hub's configuration.
  'GET /api/conversations/:id/summary': 'conversations:read',
  'GET /api/conversations/:id/suggestions': 'conversations:read',
  'GET /api/assist/status': 'conversations:read',
  // Transcribing reads a voice note of a conversation (and costs a provider call, cached): a read, like the summary.
  'POST /api/attachments/:id/transcription': 'conversations:read',
  'GET /api/assist/settings': 'never',
  'PUT /api/assist/settings': 'never',

  // Email continuity: the admin's switch is configuration; the inbound route checks its own token (INBOUND_EMAIL_TOKEN)
  // instead of an agent's or an API token.
  'GET /api/email/settings': 'never',
  'PUT /api/email/settings': 'never',
  'POST /api/email/inbound': 'public',

  // Attachments: an agent's upload writes to a conversation; the widget's upload and the file itself check their own
  // credentials (the visitor token, a signed URL, or a Bearer of the conversation's agents or visitor).
  'POST /api/conversations/:id/attachments': 'conversations:write',
  'POST /api/widget/attachments': 'public',
  'GET /api/attachments/:id': 'public',
  // The widget's loader asks it with a visitor's session token; an API token acts for an admin, never a visitor.
  'GET /api/widget/unread': 'never',
} as const satisfies Record<keyof ApiRoutes, ScopeDecision>;

export type RouteKey = keyof typeof ROUTE_SCOPES;

/** The decision for `METHOD url` (Fastify's route pattern, e.g. `/api/conversations/:id`); HEAD is its GET. Unknown: null. */
export function scopeDecision(method: string, url: string | undefined): ScopeDecision | null {
  if (!url) return null;
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  return Object.hasOwn(ROUTE_SCOPES, key) ? ROUTE_SCOPES[key as RouteKey] : null;
}

export type ScopeCheck = { ok: true } | { ok: false; needed: ApiTokenScope } | { ok: false; needed: null };

/** Whether a token holding `scopes` may call the route: refused when the route needs a scope it lacks, or no scope opens it (or it is unknown). */
export function tokenMayCall(scopes: readonly ApiTokenScope[], method: string, url: string | undefined): ScopeCheck {
  const decision = scopeDecision(method, url);
  if (decision === 'any' || decision === 'public') return { ok: true };
  if (decision === null || decision === 'never') return { ok: false, needed: null };
  return scopes.includes(decision) ? { ok: true } : { ok: false, needed: decision };
}

/** A token's status at `now` (ISO): revoked wins over expired. */
export function tokenStatus(token: { revokedAt: string | null; expiresAt: string | null }, now: string): ApiTokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt <= now) return 'expired';
  return 'active';
}

/** `lastUsedAt` is written at most this often per token (a busy integration must not write on every request). */
export const LAST_USED_EVERY_MS = 60_000;
