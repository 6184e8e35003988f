/** The chat window's status lines, from the connection's state: what the header says, and what a screen reader hears. */
import type { ConnectionController } from './controllers/connection.js';
import { type WidgetStrings, format } from './strings.js';

type ChatState = Pick<ConnectionController, 'conversation' | 'agentTyping' | 'agentsOnline' | 'agentLeft' | 'connection'>;

/** Who answers now, or why nobody can: the header's presence line. */
export function presenceLine(chat: ChatState, t: WidgetStrings): string {
  const { conversation, agentTyping, agentsOnline, agentLeft, connection } = chat;
  // Offline, the banner below the header explains what happens to messages: the header does not say it again.
  if (connection !== 'online') return connection === 'connecting' ? t.connecting : t.reconnecting;
  if (conversation?.state === 'closed') return t.closed;
  if (agentTyping) return format(t.agentTyping, { name: agentTyping });
  if (conversation?.handler.kind === 'agent') return format(t.agentHandling, { name: conversation.handler.name });
  if (agentLeft) return t.agentLeft;
  if (!agentsOnline) return t.agentsOffline;
  return t.botAnswering;
}

/** For screen readers: recording, or an upload's progress in quarters (not every percent). */
export function activityLine(chat: Pick<ConnectionController, 'messages' | 'progress'>, recording: boolean, t: WidgetStrings): string {
  if (recording) return t.recording;
  for (const m of chat.messages) {
    for (const f of m.delivery === 'pending' ? (m.files ?? []) : []) {
      const done = chat.progress.get(f.clientId);
      if (done !== undefined && done < 1) return `${format(t.uploading, { name: f.name })} ${Math.floor(done * 4) * 25}%`;
    }
  }
  return '';
}
