/**
 * Email continuity's rules, without I/O: the reply address and its token, the link back to the chat, the emails'
 * text, which inbound mails are automatic replies, and where a reply's quoted history starts. The email services
 * (services/email.ts, services/email-inbound.ts) ask these; tests call them directly.
 */

// ------------------------------------------------------------------ reply addresses

/** A reply token: 32 base32 characters (160 random bits), lower case because some mail systems lower-case addresses. */
export const REPLY_TOKEN = /^[a-z2-7]{32}$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 20 random bytes → the token's 32 characters (5 bits each). */
export function encodeToken(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function replyAddress(token: string, domain: string): string {
  return `reply+${token}@${domain}`;
}

/** The token of `reply+<token>@<domain>` (any case), or null for any other address. */
export function tokenOf(address: string, domain: string): string | null {
  const match = /^reply\+([^@\s]+)@([^@\s]+)$/.exec(address.trim().toLowerCase());
  if (!match || match[2] !== domain.toLowerCase()) return null;
  const token = match[1] ?? '';
  return REPLY_TOKEN.test(token) ? token : null;
}

/** The first reply token among the recipients (envelope and headers), if any. */
export function findToken(addresses: readonly string[], domain: string): string | null {
  for (const address of addresses) {
    const token = tokenOf(address, domain);
    if (token) return token;
  }
  return null;
}

/** Email addresses compared as mail systems treat them in practice: case-insensitively. */
export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

// ------------------------------------------------------------------ the link back

export const CHAT_HASH = '#switchboard-chat';

/**
 * Where the email's link goes: the admin's chat page, else the site's first allowed origin that is a real http(s)
 * origin (`*` is not), with `#switchboard-chat` (the widget opens itself on it). Null when there is neither.
 */
export function chatLink(chatUrl: string | null, allowedOrigins: readonly string[]): string | null {
  const base = chatUrl ?? allowedOrigins.find((origin) => httpUrl(origin) !== null) ?? null;
  const url = base ? httpUrl(base) : null;
  if (!url) return null;
  url.hash = CHAT_HASH;
  return url.href;
}

/** `text` as an http(s) URL without credentials, or null. */
export function httpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password ? url : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ the emails

/** Subjects are single lines (nodemailer encodes them; a newline in a name would still be a surprise). */
export function oneLine(text: string, max = 120): string {
  const line = text.replace(/[\r\n\t]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface ReplyEmailInput {
  /** The visitor's first name, when known. */
  firstName: string | null;
  siteName: string;
  replies: { authorName: string | null; text: string }[];
  link: string | null;
  /** The email has a reply address (the visitor may answer by email). */
  replyable: boolean;
}

/** The visitor's email: every unseen reply, the link back, and how to answer. Plain text only. */
export function replyEmail(input: ReplyEmailInput): { subject: string; body: string } {
  const names = [...new Set(input.replies.map((r) => r.authorName ?? 'Our team'))];
  const subject = oneLine(`${names.length === 1 ? names[0] : 'Our team'} replied to your chat with ${input.siteName}`);
  const lines = [`Hi ${input.firstName ? oneLine(input.firstName, 60) : 'there'},`, '', `You have a reply to your chat with ${input.siteName}:`, ''];
  for (const reply of input.replies) {
    lines.push(`${reply.authorName ?? 'Our team'} wrote:`, '', ...reply.text.split(/\r?\n/).map((line) => `  ${line}`), '');
  }
  if (input.link) lines.push(`Continue the chat: ${input.link}`);
  lines.push(
    input.replyable
      ? 'Or simply reply to this email: your answer goes to the same conversation.'
      : 'Replies to this email are not read: please answer in the chat.',
  );
  return { subject, body: `${lines.join('\n')}\n` };
}

export interface EscalationEmailInput {
  agentName: string;
  visitorName: string;
  visitorEmail: string | null;
  lastMessage: string | null;
  conversationId: string;
  siteName: string;
}

/** The agent's email: who needs a human, what they last wrote, and which conversation (to open in the panel). */
export function escalationEmail(input: EscalationEmailInput): { subject: string; body: string } {
  const who = oneLine(input.visitorName || 'A visitor', 80);
  const lines = [
    `Hi ${oneLine(input.agentName, 60)},`,
    '',
    `${who}${input.visitorEmail ? ` <${oneLine(input.visitorEmail, 254)}>` : ''} asked for a person on ${input.siteName}.`,
    '',
  ];
  if (input.lastMessage) lines.push('Their last message:', '', ...input.lastMessage.split(/\r?\n/).map((line) => `  ${line}`), '');
  lines.push(`Conversation: ${input.conversationId}`, 'Open the agent panel to answer. (You get this email because you are offline; change it in the panel.)');
  return { subject: oneLine(`Needs a human: ${who} on ${input.siteName}`), body: `${lines.join('\n')}\n` };
}

// ------------------------------------------------------------------ inbound

/**
 * An automatic answer (out of office, vacation, bounce-like notices), by its headers (RFC 3834 `Auto-Submitted`, and
 * the common non-standard ones). Such a mail is dropped: it is not the visitor writing.
 */
export function isAutomatic(header: (name: string) => string | null): boolean {
  const submitted = header('auto-submitted')?.trim().toLowerCase();
  if (submitted && submitted !== 'no') return true;
  if (header('x-autoreply') || header('x-autorespond')) return true;
  const precedence = header('precedence')?.trim().toLowerCase();
  return precedence === 'bulk' || precedence === 'junk' || precedence === 'auto_reply';
}

/** A line that introduces the quoted message, in the mail clients' common languages. */
const ATTRIBUTION = [
  /^on\b.+\bwrote:$/i, // On Mon, 10 Aug 2026 at 09:00, Support <…> wrote:
  /^le\b.+\ba écrit\s?:$/i,
  /^am\b.+\bschrieb.*:$/i,
  /^el\b.+\bescribió:$/i,
  /^il\b.+\bha scritto:$/i,
  /^op\b.+\bschreef.*:$/i,
  /^em\b.+\bescreveu:$/i,
];
/** Lines that start a forwarded or quoted block outright (Outlook and others). */
const SEPARATOR = [/^-{2,}\s*original message\s*-{2,}$/i, /^-{2,}\s*forwarded message\s*-{2,}$/i, /^_{10,}$/, /^from:\s.+$/i];

/**
 * The visitor's own words of a reply: the text before the quoted history. Documented rule (README "Email continuity"):
 * cut at the first attribution line ("On … wrote:", also when the client wrapped it over up to three lines, and its
 * French, German, Spanish, Italian, Dutch and Portuguese forms), at an "Original Message" / "Forwarded message"
 * separator, at an Outlook header block ("From: …" followed by "Sent:", "Date:", "To:" or "Subject:"), or at the
 * signature delimiter "-- "; then drop every remaining line that starts with ">" (quoted lines of an inline reply) and
 * a trailing "Sent from my …" line. Returns the trimmed text (possibly empty).
 */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '--' && (lines[i] ?? '') === '-- ') {
      end = i;
      break;
    }
    if (SEPARATOR.some((pattern) => pattern.test(line))) {
      if (!/^from:/i.test(line) || /^(sent|date|to|subject):/i.test((lines[i + 1] ?? '').trim())) {
        end = i;
        break;
      }
    }
    // An attribution, possibly wrapped: "On …" and "wrote:" within three lines.
    const joined = [line, (lines[i + 1] ?? '').trim(), (lines[i + 2] ?? '').trim()];
    if (ATTRIBUTION.some((pattern) => [1, 2, 3].some((n) => pattern.test(joined.slice(0, n).join(' ').trim())))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((line) => !line.trimStart().startsWith('>'));
  while (kept.length > 0 && (kept.at(-1) ?? '').trim() === '') kept.pop();
  if (/^sent from my\b/i.test((kept.at(-1) ?? '').trim())) kept.pop();
  return kept.join('\n').trim();
}

/** `text` cut to `max` characters (an email may be longer than a chat message may). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
