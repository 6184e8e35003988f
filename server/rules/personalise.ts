/**
 * Bot personalisation: fills `{first_name}`, `{last_name}`, `{email}` and `{phone_number}` in an answer with
 * what the visitor told the site, `{first_name|there}` falling back to "there" when the value is unknown.
 * Pure. The result is plain text like every message (the widget and the panel never render HTML), so a value is
 * inserted as it is, markup included. An unknown placeholder (`{order_id}`, `{ first name }`) is left as typed.
 */
import type { UserData } from '../../protocol/types.js';

/** The visitor data an answer may use. */
export const PLACEHOLDERS = ['first_name', 'last_name', 'email', 'phone_number'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type VisitorValues = Partial<Record<Placeholder, string | null | undefined>>;

/** `{name}` or `{name|fallback}`; spaces around the name and the fallback are allowed. A fallback has no braces nor line breaks. */
const PLACEHOLDER = /([ \t]?)\{\s*(first_name|last_name|email|phone_number)\s*(?:\|([^{}\n]*))?\}/g;

/**
 * Replaces the known placeholders of `text`. A value that is missing or blank becomes the fallback (trimmed), or
 * nothing; when nothing is inserted before punctuation, a line end or another space, the space before the
 * placeholder goes too ("Hello {first_name}!" → "Hello!").
 */
export function personalise(text: string, values: VisitorValues): string {
  return text.replace(PLACEHOLDER, (match: string, space: string, name: Placeholder, fallback: string | undefined, offset: number, whole: string) => {
    const value = values[name]?.trim() || fallback?.trim() || '';
    if (value) return `${space}${value}`;
    const next = whole.charAt(offset + match.length);
    return next === '' || /[\s.,;:!?)\]]/.test(next) ? '' : space;
  });
}

/** True when `text` uses at least one known placeholder (the hub then reads the visitor's data). */
export function hasPlaceholders(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  const found = PLACEHOLDER.test(text);
  PLACEHOLDER.lastIndex = 0;
  return found;
}

/**
 * The values of one person: what their page sent (`user_data`), else what the site signed. The signed name
 * is one string: its first word stands in for a missing first name, the rest for a missing last name.
 */
export function visitorValues(userData: UserData, signed: { name?: string | null; email?: string | null; phone?: string | null } = {}): VisitorValues {
  const [signedFirst = '', ...signedRest] = (signed.name ?? '').trim().split(/\s+/);
  return {
    first_name: userData.first_name || signedFirst || null,
    last_name: userData.last_name || signedRest.join(' ') || null,
    email: userData.email || signed.email || null,
    phone_number: userData.phone_number || signed.phone || null,
  };
}
