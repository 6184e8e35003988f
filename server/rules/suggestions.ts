/**
 * Reply suggestions: which candidates the agent sees (ranking, de-duplication, variety on refresh), and what the
 * provider is asked and how its answers are read. Pure: the service gathers the candidates and calls the provider.
 */
import type { Suggestion, SuggestionSource, SummaryPointKind } from '../../protocol/assist.js';
import { SUMMARY_POINT_KINDS } from '../../protocol/assist.js';
import type { MessageAuthor } from '../../protocol/types.js';
import { sameText } from './text-similarity.js';

export interface Candidate extends Suggestion {
  /** 0..1: how well it fits the visitor's message. */
  score: number;
  /** A looser match: offered only to reach `minItems`. */
  weak?: boolean;
}

export interface PickOptions {
  /** The conversation's last agent message: never suggested again. */
  lastAgentText?: string | null;
  /** Shown last time (on refresh): left out when enough others fit. */
  skip?: readonly string[];
  max?: number;
  /** Weak candidates fill up to this many (2). */
  minItems?: number;
}

/**
 * The best `max` (3) candidates, one per distinct text (compared without case, spacing or closing punctuation),
 * never the last agent message, at most two from one source while others are there; weak candidates only to reach
 * `minItems`. On refresh (`skip`) the ones shown before are left out when at least two others remain.
 */
export function pickSuggestions(candidates: readonly Candidate[], options: PickOptions = {}): Suggestion[] {
  const max = options.max ?? 3;
  const last = options.lastAgentText ? sameText(options.lastAgentText) : null;
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const text = c.text.trim();
    const key = sameText(text);
    if (!key || key === last) continue;
    const known = best.get(key);
    if (!known || c.score > known.score) best.set(key, { ...c, text });
  }
  let ranked = [...best.entries()].sort((a, b) => b[1].score - a[1].score);
  const skip = new Set((options.skip ?? []).map(sameText));
  const fresh = ranked.filter(([key]) => !skip.has(key));
  if (skip.size > 0 && fresh.length >= 2) ranked = fresh;
  const picked: Candidate[] = [];
  const perSource = new Map<SuggestionSource, number>();
  const rest: Candidate[] = [];
  for (const [, c] of ranked) {
    if (picked.length >= max) break;
    if (c.weak) continue;
    if ((perSource.get(c.source) ?? 0) >= 2) {
      rest.push(c);
      continue;
    }
    picked.push(c);
    perSource.set(c.source, (perSource.get(c.source) ?? 0) + 1);
  }
  for (const c of rest) if (picked.length < max) picked.push(c);
  const minItems = Math.min(options.minItems ?? 2, max);
  for (const [, c] of ranked) if (c.weak && picked.length < minItems) picked.push(c);
  return picked.map(({ text, source }) => ({ text, source }));
}

// ------------------------------------------------------------------------------------------------ provider

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TranscriptLine {
  author: MessageAuthor;
  text: string;
}

const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[a-z]{2,}/gi;
const SPEAKERS: Record<MessageAuthor, string> = { visitor: 'Visitor', agent: 'Agent', bot: 'Bot', system: 'System' };

/**
 * The conversation as the provider sees it: one line per message, the author's role and the text, nothing else
 * (no names, contact fields, notes). Email addresses inside the text are replaced by "[email]". The latest
 * `maxChars` characters are kept.
 */
export function transcriptForProvider(lines: readonly TranscriptLine[], maxChars = 12_000): string {
  const out: string[] = [];
  let length = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!line || line.author === 'system' || !line.text.trim()) continue;
    const text = `${SPEAKERS[line.author]}: ${line.text.replace(EMAIL, '[email]').replace(/\s+/g, ' ').trim()}`;
    if (length + text.length > maxChars && out.length > 0) break;
    out.push(text);
    length += text.length + 1;
  }
  return out.reverse().join('\n');
}

export function summaryPrompt(transcript: string): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You summarise customer-support chats for the agent who takes over. Answer with JSON only: ' +
        '{"text": "2 to 4 sentences", "points": [{"kind": "request" | "answer" | "open_question", "text": "..."}]}. ' +
        'request: what the visitor wants; answer: what they were told; open_question: what is still unanswered. ' +
        'Use only facts from the chat. Write in the language of the chat.',
    },
    { role: 'user', content: `Chat:\n${transcript}` },
  ];
}

export function suggestionsPrompt(transcript: string): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        "You help a customer-support agent reply to a visitor in a chat. Propose 3 different short replies the agent could send next, in the visitor's language, " +
        'each under 300 characters, polite and concrete; do not invent order numbers, prices or policies that are not in the chat. ' +
        'Answer with a JSON array of 3 strings and nothing else.',
    },
    { role: 'user', content: `Chat:\n${transcript}` },
  ];
}

/** The JSON inside a reply that may wrap it in a code fence or a sentence. */
function jsonIn(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content)?.[1] ?? content;
  for (const candidate of [fenced.trim(), /[[{][\s\S]*[\]}]/.exec(fenced)?.[0] ?? '']) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // not JSON: try the next reading
    }
  }
  return undefined;
}

/**
 * Reply texts from the provider's answer, read defensively: a JSON array of strings (or of `{ text }`), an object
 * with such an array, or else one reply per line (list markers and quotes removed). At most `max`, each trimmed
 * and at most `maxLength` characters.
 */
export function parseSuggestions(content: string, max = 3, maxLength = 1000): string[] {
  const parsed = jsonIn(content);
  let items: unknown[] | null = null;
  if (Array.isArray(parsed)) items = parsed;
  else if (parsed && typeof parsed === 'object') items = (Object.values(parsed).find(Array.isArray) as unknown[] | undefined) ?? null;
  const texts = items
    ? items.map((item) =>
        typeof item === 'string' ? item : item && typeof item === 'object' && 'text' in item ? String((item as { text: unknown }).text) : '',
      )
    : content
        .replace(/```[a-z]*|```/gi, '')
        .split(/\n+/)
        .map((line) =>
          line
            .trim()
            .replace(/^(?:[-*•]|\d+[.)])\s*/, '')
            .replace(/^["“'](.*)["”']$/, '$1'),
        );
  return texts
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t.length <= maxLength && !/^(here are|sure[,!]|suggestions?:)/i.test(t))
    .slice(0, max);
}

/** The provider's summary, or null when its answer has no usable text. Points of an unknown kind are dropped. */
export function parseSummary(content: string, maxLength = 2000): { text: string; points: { kind: SummaryPointKind; text: string }[] } | null {
  const parsed = jsonIn(content);
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const record = parsed as { text?: unknown; summary?: unknown; points?: unknown };
    const text = typeof record.text === 'string' ? record.text : typeof record.summary === 'string' ? record.summary : '';
    const points = Array.isArray(record.points)
      ? record.points.flatMap((p: unknown) => {
          if (!p || typeof p !== 'object') return [];
          const { kind, text: pointText } = p as { kind?: unknown; text?: unknown };
          if (typeof pointText !== 'string' || !pointText.trim() || !(SUMMARY_POINT_KINDS as readonly unknown[]).includes(kind) || kind === 'status') return [];
          return [{ kind: kind as SummaryPointKind, text: pointText.trim().slice(0, maxLength) }];
        })
      : [];
    if (text.trim()) return { text: text.trim().slice(0, maxLength), points };
  }
  // Plain prose: use it as the text.
  const prose = content.replace(/```[a-z]*|```/gi, '').trim();
  return prose && !prose.startsWith('{') && !prose.startsWith('[') ? { text: prose.slice(0, maxLength), points: [] } : null;
}
