/**
 * Text as every store can keep it. A lone UTF-16 surrogate has no UTF-8 encoding (SQLite and PostgreSQL
 * would each mangle it their own way) and PostgreSQL `text` refuses NUL outright (a 500 on that store
 * only). Both become U+FFFD, the replacement character, in every string a client sends, before
 * validation: the same text on every store, and a message reads back exactly as it was acknowledged.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this pattern exists to find (PostgreSQL text cannot hold it)
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;
const HAS_UNSTORABLE = new RegExp(UNSTORABLE.source);

export function storableText(text: string): string {
  return HAS_UNSTORABLE.test(text) ? text.replace(UNSTORABLE, '\uFFFD') : text;
}

/** Applies storableText to every string in a JSON-like value (objects, arrays); other values pass through. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[storableText(key)] = storable(inner);
    return out as T;
  }
  return value;
}
