/**
 * Splits message text into plain text and http(s) links. The widget renders the parts with Lit
 * text bindings and <a> elements; nothing is ever parsed as HTML, and other schemes
 * (javascript:, data:) stay plain text.
 */
export type TextPart = string | { href: string; text: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    // Trailing punctuation is usually the sentence's, not the URL's.
    const raw = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index ?? 0;
    let href: string;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      href = url.href;
    } catch {
      continue;
    }
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href, text: raw });
    last = start + raw.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
