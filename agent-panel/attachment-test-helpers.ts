// Shared by the panel's attachment and voice-note browser tests: a visitor who uploads through the widget's route with
// their session token (as the widget does), and handles on the composer's files.
import { type Socket, io } from 'socket.io-client';
import type { AttachmentRef, UploadedAttachment } from '../protocol/attachments.js';
import type { ConversationDetail, Message } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import type { ComposerFiles } from './components/composer-attachments.js';
import { api, testHub, unique, viewRoot } from './test-helpers.js';

export interface UploadingVisitor {
  socket: Socket;
  token: string;
  conversationId: string;
  /** `POST /api/widget/attachments` with the session token, as the widget sends it. */
  upload(file: Blob, name: string, fields?: Record<string, string>): Promise<AttachmentRef>;
  send(text: string, attachmentIds?: string[]): Promise<Message>;
}

/** A visitor on the demo site who has said `text`. */
export async function uploadingVisitor(text: string): Promise<UploadingVisitor> {
  const socket = io(`${testHub.url}/visitor`, { auth: { site: 'demo', userData: { first_name: 'Fay' } }, transports: ['websocket'], forceNew: true });
  const session = (await new Promise((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  })) as { token: string };
  const send = async (t: string, attachmentIds: string[] = []): Promise<Message> => {
    const ack = (await socket.emitWithAck('message:send', { clientId: unique(), text: t, attachmentIds })) as {
      data?: { message: Message };
      error?: { message: string };
    };
    if (!ack.data) throw new Error(`visitor could not send: ${ack.error?.message}`);
    return ack.data.message;
  };
  const upload = async (file: Blob, name: string, fields: Record<string, string> = {}): Promise<AttachmentRef> => {
    const form = new FormData();
    form.set('clientId', unique());
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    form.set('file', file, name);
    const res = await fetch(`${testHub.url}/api/widget/attachments`, { method: 'POST', headers: { authorization: `Bearer ${session.token}` }, body: form });
    if (res.status !== 201) throw new Error(`upload refused: ${res.status} ${await res.text()}`);
    return ((await res.json()) as UploadedAttachment).attachment;
  };
  const first = await send(text);
  return { socket, token: session.token, conversationId: first.conversationId, upload, send };
}

/** A real PNG of `width`×`height`, drawn on a canvas. */
export async function canvasPng(width = 24, height = 16): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  context.fillStyle = '#c0392b';
  context.fillRect(0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'));
}

/** A mono 8 kHz 16-bit PCM WAV of `ms` milliseconds: a 440 Hz tone. */
export function wav(ms = 600): Blob {
  const samples = Math.round((8000 * ms) / 1000);
  const buffer = new ArrayBuffer(44 + samples * 2);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 8000, true);
  view.setUint32(28, 16000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), true);
  return new Blob([buffer], { type: 'audio/wav' });
}

export const composerFiles = (p: SwitchboardAgentPanel): ComposerFiles => viewRoot(p).querySelector('sb-composer-files') as ComposerFiles;
export const filesRoot = (p: SwitchboardAgentPanel): ShadowRoot => composerFiles(p).shadowRoot as ShadowRoot;
export const pendingItems = (p: SwitchboardAgentPanel): HTMLLIElement[] => [...filesRoot(p).querySelectorAll<HTMLLIElement>('ul.pending li')];
export const reply = (p: SwitchboardAgentPanel): HTMLTextAreaElement => viewRoot(p).querySelector('#reply') as HTMLTextAreaElement;
export const sendButton = (p: SwitchboardAgentPanel): HTMLButtonElement => viewRoot(p).querySelector('button.send') as HTMLButtonElement;

/** The conversation's messages as the hub has them. */
export async function hubMessages(token: string, conversationId: string): Promise<Message[]> {
  return (await api<ConversationDetail>(token, 'GET', `/api/conversations/${conversationId}`)).messages;
}

/** The transcript's message element for a message id. */
export const messageEl = (p: SwitchboardAgentPanel, id: number): HTMLElement | null => viewRoot(p).querySelector(`.msg[data-id="${id}"]`);
