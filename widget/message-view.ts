/** One message of the transcript as the visitor sees it: its files, its text with links, who sent it and when, and its delivery. */
import { html, nothing } from 'lit';
import { type FileEvents, refusalText, renderAttachment, renderPendingFile } from './attachments.js';
import type { ShownMessage } from './controllers/connection.js';
import { linkify } from './linkify.js';
import type { WidgetStrings } from './strings.js';

/** What a message's view needs from the chat around it. */
export interface MessageContext {
  t: WidgetStrings;
  /** The URL an attachment is fetched from (signed for this visitor). */
  fileUrl: (url: string) => string;
  /** Upload progress (0–1) of a pending file, by its clientId. */
  progress: (clientId: string) => number;
  /** A thumbnail's load and error events. */
  images: FileEvents;
  /** Removes a message that failed for good. */
  dismiss: (clientId: string) => void;
}

export function renderMessage(m: ShownMessage, { t, fileUrl, progress, images, dismiss }: MessageContext) {
  if (m.author === 'system') return html`<div class="msg system">${m.text}</div>`;
  const who = m.author === 'visitor' ? t.you : m.author === 'bot' ? (m.authorName ?? t.bot) : (m.authorName ?? t.agent);
  const time = new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const delivery = m.author === 'visitor' ? ` · ${m.delivery === 'pending' ? t.sending : m.delivery === 'failed' ? t.failed : t.sent}` : '';
  const files =
    m.attachments.length > 0
      ? m.attachments.map((a) => renderAttachment(a, fileUrl(a.url), t, images))
      : (m.files ?? []).map((f) => renderPendingFile(f, m.delivery === 'pending' ? progress(f.clientId) : undefined, t));
  return html`<div class="msg ${m.author} ${m.delivery}" data-delivery=${m.delivery}>
    ${files.length > 0 ? html`<div class="files">${files}</div>` : nothing}
    ${
      m.text || files.length === 0
        ? html`<div class="bubble">${linkify(m.text).map((part) =>
            typeof part === 'string' ? part : html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow">${part.text}</a>`,
          )}</div>`
        : nothing
    }
    <span class="meta">${who} · <time datetime=${m.createdAt}>${time}</time>${m.channel === 'email' ? html` · <span class="via">${t.viaEmail}</span>` : nothing}${delivery}</span>
    ${
      m.delivery === 'failed' && m.clientId
        ? html`<div class="error">${m.refused ? refusalText(m.refused, t) : nothing}
            <button type="button" @click=${() => m.clientId && dismiss(m.clientId)}>${t.remove}</button></div>`
        : nothing
    }
  </div>`;
}
