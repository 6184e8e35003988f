/**
 * API tokens: scoped, revocable credentials an admin creates for server-to-server use (a CRM's backend, a script).
 * A token acts as the admin who created it, narrowed to its scopes (the model of GitHub's fine-grained personal
 * access tokens), and only on the REST API: agent sockets refuse it. It stops working when it is revoked, when it
 * expires, and when its creator is disabled, removed or no longer an admin. See README "API tokens".
 *
 * Presented as `Authorization: Bearer sbt_…`. The secret is shown once, when the token is created; the hub keeps only
 * its SHA-256 and its first characters (`prefix`), so that a token can be recognised in the list.
 */

/** What a token may be allowed to do. Each /api route needs one of them, or is never callable with a token. */
export const API_TOKEN_SCOPES = [
  'conversations:read',
  'conversations:write',
  'contacts:read',
  'contacts:write',
  'content:read',
  'content:write',
  'stats:read',
  'webhooks:manage',
] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** One line per scope, for people (the admin screen, the OpenAPI document, the README). */
export const API_TOKEN_SCOPE_DESCRIPTIONS: Record<ApiTokenScope, string> = {
  'conversations:read': 'Read conversations, their messages, notes and exports, and the language list.',
  'conversations:write': 'Act on conversations (notes, tags, assignees, visibility, status, take over, mute, close, reopen, delete) and start New chats.',
  'contacts:read': 'Read contacts, widget sessions (visitors), their GDPR exports, the contact fields and the tag catalogue.',
  'contacts:write': 'Edit contacts (fields, tags, routing, notes), merge and erase them, and change the contact fields and the tag catalogue.',
  'content:read': 'Read FAQs (and their CSV files), test a question against them, and read quick replies.',
  'content:write': 'Create, change, import and delete FAQs and quick replies.',
  'stats:read': 'Read the dashboard tiles.',
  'webhooks:manage': 'Manage webhook endpoints and their deliveries (not the private-targets setting).',
};

/** Every token starts with this; the rest is 32 random bytes, base64url (43 characters). */
export const API_TOKEN_PREFIX = 'sbt_';

/** `active`: usable (if its creator still is an enabled admin); `expired`: past `expiresAt`; `revoked`: by an admin, or when its creator lost the right. */
export const API_TOKEN_STATUSES = ['active', 'expired', 'revoked'] as const;
export type ApiTokenStatus = (typeof API_TOKEN_STATUSES)[number];

export const API_TOKEN_LIMITS = {
  name: 100,
  /** The longest expiry a token may be given (none at all is allowed too). */
  expiresInDays: 365,
  /** Active (unrevoked, unexpired) tokens at once. */
  active: 50,
  /** Characters of the secret kept and shown to recognise a token: `sbt_` and 8 more. */
  prefix: 12,
} as const;

/** A token as admins see it: never its secret. Revoked and expired tokens stay listed (who made what, and when). */
export interface ApiToken {
  id: string;
  name: string;
  /** The secret's first characters (`sbt_` + 8), to tell tokens apart. */
  prefix: string;
  scopes: ApiTokenScope[];
  /** The admin the token acts as. */
  createdBy: string;
  /** Their name; null once the account was removed. */
  createdByName: string | null;
  createdAt: string;
  /** The last request made with it (recorded at most once a minute); null: never used. */
  lastUsedAt: string | null;
  /** Null: it does not expire. */
  expiresAt: string | null;
  revokedAt: string | null;
  status: ApiTokenStatus;
}

export interface ApiTokenInput {
  name: string;
  /** At least one. */
  scopes: ApiTokenScope[];
  /** Whole days, 1–365; absent: the token does not expire. */
  expiresInDays?: number;
}

/** `POST /api/tokens`: the only answer that ever holds the secret. */
export interface ApiTokenCreated {
  token: ApiToken;
  /** `sbt_…`: shown once; the hub keeps only its hash. */
  secret: string;
}
