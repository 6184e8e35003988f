import type { Message } from '../../protocol/types.js';

/**
 * What the visitor asked last: their messages since the last agent message (the latest three), or else their
 * latest message. Null when the visitor has said nothing.
 */
export function latestQuestion(messages: readonly Message[]): string | null {
  const run: string[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m) continue;
    if (m.author === 'agent') break;
    if (m.author === 'visitor' && m.text.trim()) run.unshift(m.text);
  }
  if (run.length > 0) return run.slice(-3).join('\n');
  return [...messages].reverse().find((m) => m.author === 'visitor' && m.text.trim())?.text ?? null;
}
