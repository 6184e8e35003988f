/**
 * What the widget sends of `window.SMARTLY_USER_DATA`. The page is someone else's code: it may add
 * fields of its own, put a number where a string belongs or paste a whole CRM note into `comments`.
 * The hub refuses a handshake that doesn't match its schema, so one odd field would keep the chat
 * from ever connecting; instead the widget keeps the known fields, as strings, cut to the hub's limits.
 */
import { LIMITS } from '../protocol/limits.js';
import type { UserData } from '../protocol/types.js';

const FIELDS = {
  first_name: LIMITS.userDataField,
  last_name: LIMITS.userDataField,
  email: LIMITS.userDataField,
  phone_number: LIMITS.userDataField,
  comments: LIMITS.userComments,
  user_id: LIMITS.userDataField,
  user_hash: 128,
  user_jwt: LIMITS.identityToken,
} as const satisfies Record<keyof UserData, number>;

export function cleanUserData(raw: unknown): UserData | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const out: UserData = {};
  for (const [field, limit] of Object.entries(FIELDS) as [keyof UserData, number][]) {
    const value: unknown = (raw as Record<string, unknown>)[field];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      const text = cut(String(value), limit);
      if (text) out[field] = text;
    }
  }
  return out;
}

/** At most `limit` UTF-16 units (what the hub counts), never ending in half an emoji. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const end = /[\uD800-\uDBFF]/.test(text[limit - 1] ?? '') ? limit - 1 : limit;
  return text.slice(0, end);
}
