/**
 * Runs what an agent asked for in a conversation (a `ConversationIntent` from the conversation view or its
 * side panel) against the hub: REST for changes, the socket for replies and typing. The components only
 * describe the intent; this is the one place that knows which route does what. Used by controllers/inbox.ts.
 */
import type { ConversationSummary } from '../../protocol/types.js';
import { type HubApi, saveBlob } from '../api.js';
import type { ConversationIntent, DownloadKind } from '../events.js';
import type { HubController } from './hub.js';

/** A file fetched for download (an export needs the token, which a plain link can't send). */
export interface Download {
  label: string;
  name: string;
  url: string;
  size: number;
}

export const DOWNLOAD_LABELS: Record<DownloadKind, string> = {
  json: 'Conversation (JSON)',
  text: 'Conversation (text)',
  user: 'User data (JSON)',
};

/** Runs one intent (downloads aside). Answers the conversation's new summary when the hub sends one. */
export async function runConversationIntent(api: HubApi, live: HubController, intent: ConversationIntent): Promise<ConversationSummary | null> {
  if (intent.action === 'delete-visitor') {
    await api.call('DELETE /api/visitors/:id', { params: { id: intent.visitorId } });
    return null;
  }
  if (intent.action === 'delete-conversation') {
    // Every panel (this one too) drops it from its list and closes it on `conversation:deleted`.
    await api.call('DELETE /api/conversations/:id', { params: { id: intent.conversationId } });
    return null;
  }
  if (intent.action === 'download') throw new Error('Downloads are fetched with fetchDownload');
  if (intent.action === 'contact') throw new Error('Contact changes are sent by ContactContext');
  const params = { id: intent.conversationId };
  switch (intent.action) {
    case 'claim':
      return api.call('POST /api/conversations/:id/claim', { params, body: { force: intent.force } });
    case 'release':
      return api.call('POST /api/conversations/:id/release', { params });
    case 'mute':
      return api.call('POST /api/conversations/:id/mute', { params });
    case 'unmute':
      return api.call('POST /api/conversations/:id/unmute', { params });
    case 'close':
      return api.call('POST /api/conversations/:id/close', { params, body: { ticketStatus: intent.ticketStatus } });
    case 'reopen':
      return api.call('POST /api/conversations/:id/reopen', { params });
    case 'ticket-status':
      return api.call('PUT /api/conversations/:id/ticket-status', { params, body: { status: intent.status } });
    case 'tags':
      return api.call('PUT /api/conversations/:id/tags', { params, body: { tags: intent.tags } });
    case 'assignees':
      return api.call('PUT /api/conversations/:id/assignees', { params, body: { agentIds: intent.agentIds } });
    case 'visibility':
      return api.call('PUT /api/conversations/:id/visibility', { params, body: { agentIds: intent.agentIds } });
    case 'note':
      // The note comes back to every watcher (this panel included) as `note:new`.
      await api.call('POST /api/conversations/:id/notes', { params, body: { text: intent.text } });
      return null;
    case 'send':
      return (await live.send(intent.conversationId, intent.text, intent.attachmentIds)).conversation;
    case 'typing':
      live.typing(intent.conversationId, intent.typing);
      return null;
  }
}

/** Fetches one of the three exports of a conversation as a Blob named by the hub. */
export async function fetchDownload(api: HubApi, conversationId: string, visitorId: string, kind: DownloadKind): Promise<{ blob: Blob; name: string }> {
  if (kind === 'user') return api.fetchFile('GET /api/visitors/:id/export', { params: { id: visitorId } }, `visitor-${visitorId}.json`);
  const extension = kind === 'json' ? 'json' : 'txt';
  return api.fetchFile(
    'GET /api/conversations/:id/export',
    { params: { id: conversationId }, query: { format: kind } },
    `conversation-${conversationId}.${extension}`,
  );
}

/** The downloads offered after saving one more (a newer one of the same kind replaces the older, whose URL is freed). */
export function withDownload(downloads: Download[], label: string, blob: Blob, name: string): Download[] {
  const url = saveBlob(blob, name);
  for (const d of downloads.filter((d) => d.label === label)) URL.revokeObjectURL(d.url);
  return [...downloads.filter((d) => d.label !== label), { label, name, url, size: blob.size }];
}

/** Frees every download's object URL; answers the empty list. */
export function revokeDownloads(downloads: Download[]): Download[] {
  for (const d of downloads) URL.revokeObjectURL(d.url);
  return [];
}
