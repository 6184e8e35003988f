/**
 * Text as every store can keep it. A lone UTF-16 surrogate has no UTF-8 encoding (SQLite and PostgreSQL
 * would each mangle it their own way) and PostgreSQL `text` refuses NUL outright (a 500 on that store
 * only). Both become U+FFFD, the replacement character, in every string a client sends, before
 * validation: the same text on every store, and a message reads back exactly as it was acknowledged.
 */
import { badRequest } from './errors.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this pattern exists to find (PostgreSQL text cannot hold it)
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;
const HAS_UNSTORABLE = new RegExp(UNSTORABLE.source);

export function storableText(text: string): string {
  return HAS_UNSTORABLE.test(text) ? text.replace(UNSTORABLE, '\uFFFD') : text;
}

/**
 * How deeply arrays and objects may nest in what a client sends. No hub payload needs more than a
 * few levels; without a bound, 100,000 nested `[` (200 kB, under the body limit) overflowed the
 * stack in the walk below: a 500 and a stack trace in the log for every such request.
 */
export const MAX_DEPTH = 64;

/**
 * Applies storableText to every string in a JSON-like value (objects, arrays); other values pass through.
 * Every REST body, query, params and socket payload passes here before validation, so this walk is also
 * where nesting is bounded: deeper than MAX_DEPTH is a `bad_request`.
 */
export function storable<T>(value: T): T {
  return clean(value, 0) as T;
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw badRequest(`Invalid payload: nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((inner) => clean(inner, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[storableText(key)] = clean(inner, depth + 1);
  return out;
}

/**
 * Unicode bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069)
 * and the marks LRM, RLM, ALM (U+200E, U+200F, U+061C). In a display name they reorder what the agent
 * sees: `exe\u202Eevil` shows as "exelive", `gpj.\u2067exe` hides an .exe. A name needs none of them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** The user-data fields the panel shows as the visitor's name (the email stands in when there is no name). */
const NAME_FIELDS = ['first_name', 'last_name', 'email'] as const;

/** `userData` with bidi controls removed from its name fields; applied where user data is stored. */
export function withPlainNames<T extends Partial<Record<(typeof NAME_FIELDS)[number], string>>>(userData: T): T {
  const out = { ...userData };
  for (const field of NAME_FIELDS) {
    const value = out[field];
    if (typeof value === 'string') out[field] = withoutBidiControls(value) as T[typeof field];
  }
  return out;
}
