// Shared by the agent panel's browser tests: real visitors (widget sockets), real agents, panel fixtures.
import { fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { type Socket, io } from 'socket.io-client';
import type { Agent, Message, UserData } from '../protocol/types.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import type { ConversationListView } from './components/conversation-list.js';
import type { ConversationSide } from './components/conversation-side.js';
import type { ConversationView } from './components/conversation-view.js';
import './index.js';

export { api, login, testHub };

/** Call inside a `describe`: its tests run on a 390 × 844 phone; the viewport is set back to 800 × 600 after them. */
export function onPhone(): void {
  before(() => setViewport({ width: 390, height: 844 }));
  after(() => setViewport({ width: 800, height: 600 }));
}

export const unique = (): string => Math.random().toString(36).slice(2, 10);

export interface TestVisitor {
  socket: Socket;
  conversationId: string;
  visitorId: string;
  received: Message[];
  say(text: string): Promise<Message>;
}

/** A visitor on the demo site (a real widget socket, browser language `language`) who has said `text`. Collects what the hub sends them. */
export async function visitor(text: string, userData: UserData = {}, language = 'en-GB'): Promise<TestVisitor> {
  const socket = io(`${testHub.url}/visitor`, { auth: { site: 'demo', userData, language }, transports: ['websocket'], forceNew: true });
  const received: Message[] = [];
  socket.on('message:new', (m: Message) => received.push(m));
  const session = (await new Promise((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  })) as { visitor: { id: string } };
  const say = async (t: string): Promise<Message> => {
    const ack = (await socket.emitWithAck('message:send', { clientId: unique(), text: t })) as { data?: { message: Message }; error?: { message: string } };
    if (!ack.data) throw new Error(`visitor could not send: ${ack.error?.message}`);
    return ack.data.message;
  };
  const first = await say(text);
  return { socket, conversationId: first.conversationId, visitorId: session.visitor.id, received, say };
}

export async function newAgent(admin: string, name: string, role: 'agent' | 'admin' = 'agent'): Promise<{ agent: Agent; token: string }> {
  const email = `${unique()}@test.local`;
  const agent = await api<Agent>(admin, 'POST', '/api/agents', { email, name, role, password: 'password-123' });
  return { agent, token: await login(email, 'password-123') };
}

/** The URL a `fetch` call asks for, whichever form its first argument takes. */
export const requestUrl = (input: RequestInfo | URL): URL => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/** The requests a panel's sign-in makes after its list has loaded (the team's threads, the assistant's status). */
const AFTER_THE_LIST = ['/api/team/threads', '/api/assist/status'];

/**
 * Resolves once each of `paths` has been requested through `window.fetch` and that request has finished (answered or
 * failed: a failed one must not leave the wait hanging); rejects after `timeout` ms naming the paths still missing,
 * so that a stuck sign-in fails as itself rather than as mocha's test timeout.
 */
function answered(paths: string[], timeout = 8000): Promise<void> {
  const original = window.fetch;
  const waiting = new Set(paths);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.fetch = original;
      reject(new Error(`sign-in requests not finished after ${timeout} ms: ${[...waiting].join(', ')}`));
    }, timeout);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      try {
        return await original(input, init);
      } finally {
        waiting.delete(requestUrl(input).pathname);
        if (waiting.size === 0) {
          clearTimeout(timer);
          window.fetch = original;
          resolve();
        }
      }
    };
  });
}

/** A signed-in panel whose list has loaded and whose sign-in has finished, in a box of `width` × `height` pixels. */
export async function panel(token: string, width = 1280, height = 800): Promise<SwitchboardAgentPanel> {
  const started = answered(AFTER_THE_LIST);
  started.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const el = await fixture<SwitchboardAgentPanel>(
    html`<div style="width:${width}px;height:${height}px"><switchboard-agent-panel .hub=${testHub.url} .token=${token}></switchboard-agent-panel></div>`,
  );
  const p = el.querySelector('switchboard-agent-panel') as SwitchboardAgentPanel;
  // The tiles appear with the first answer of the hub; the list is then filled.
  await waitUntil(
    () => p.shadowRoot?.querySelector('.tiles') && list(p)?.shadowRoot?.querySelector('ul[role="listbox"], .empty') && !list(p)?.loading && p.live.connected,
    'panel did not load',
    { timeout: 8000 },
  );
  await started; // nothing the test then counts is still on its way
  return p;
}

export const root = (el: SwitchboardAgentPanel): ShadowRoot => el.shadowRoot as ShadowRoot;
export const list = (el: SwitchboardAgentPanel): ConversationListView | null => root(el).querySelector('sb-conversation-list');
export const listRoot = (el: SwitchboardAgentPanel): ShadowRoot => list(el)?.shadowRoot as ShadowRoot;
export const listedIds = (el: SwitchboardAgentPanel): string[] =>
  [...(list(el)?.shadowRoot?.querySelectorAll<HTMLElement>('li[role="option"]') ?? [])].map((li) => li.dataset['id'] ?? '');
export const view = (el: SwitchboardAgentPanel): ConversationView | null => root(el).querySelector('sb-conversation-view');
export const viewRoot = (el: SwitchboardAgentPanel): ShadowRoot => view(el)?.shadowRoot as ShadowRoot;
export const side = (el: SwitchboardAgentPanel): ConversationSide | null => viewRoot(el)?.querySelector('sb-conversation-side') ?? null;
export const sideRoot = (el: SwitchboardAgentPanel): ShadowRoot => side(el)?.shadowRoot as ShadowRoot;

/** Opens a conversation and waits for its view. */
export async function open(el: SwitchboardAgentPanel, conversationId: string): Promise<void> {
  await el.openConversation(conversationId);
  await waitUntil(() => view(el)?.detail.conversation.id === conversationId && sideRoot(el), 'conversation did not open');
}

/** Records the panel's GET /api/conversations requests and answers. */
export function spyOnList(): { calls: { url: URL; body: unknown }[]; restore(): void } {
  const original = window.fetch;
  const calls: { url: URL; body: unknown }[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await original(input, init);
    const url = requestUrl(input);
    if (url.pathname === '/api/conversations' && res.ok) calls.push({ url, body: await res.clone().json() });
    return res;
  };
  return { calls, restore: () => (window.fetch = original) };
}
