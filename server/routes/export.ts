/** Plain-text transcript for downloads: one line per message, notes listed apart. */
import type { ConversationDetail } from '../../protocol/types.js';

export function transcriptText(detail: ConversationDetail): string {
  const { conversation, visitor, messages, notes } = detail;
  const who = (m: ConversationDetail['messages'][number]): string =>
    m.author === 'visitor' ? conversation.visitor.name : m.author === 'system' ? '—' : (m.authorName ?? m.author);
  const lines = [
    `Conversation ${conversation.id}`,
    `Visitor: ${conversation.visitor.name}${conversation.visitor.email ? ` <${conversation.visitor.email}>` : ''} (${visitor.verified ? 'verified' : 'unverified'})`,
    `Channel: ${conversation.channel} · Language: ${conversation.language} · Status: ${conversation.ticketStatus} · ${conversation.state}`,
    `Started: ${conversation.createdAt} · Last activity: ${conversation.lastActivityAt}`,
    '',
    ...messages.map((m) => `[${m.createdAt}] ${who(m)}: ${[m.text, ...m.attachments.map((a) => `[file: ${a.name}]`)].filter(Boolean).join(' ')}`),
  ];
  if (notes.length > 0) lines.push('', 'Private notes:', ...notes.map((n) => `[${n.createdAt}] ${n.agentName}: ${n.text}`));
  return `${lines.join('\n')}\n`;
}
