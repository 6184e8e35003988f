/**
 * The one-script-tag entry: `<script src="HUB/widget.js" data-site="SITE" async></script>`.
 * Mounts <switchboard-webchat> and exposes `window.SwitchboardWebchat` (update / open / close / on).
 */
import type { UserData } from '../protocol/types.js';
import { SwitchboardWebchat } from './webchat.js';

export interface WebchatApi {
  /** Re-reads `window.SMARTLY_USER_DATA` (or uses `userData`) and sends it to the hub. */
  update(userData?: UserData): void;
  open(): void;
  close(): void;
  /** Listens to `message`, `open`, `close` or `unread`; returns a function that stops listening. */
  on(event: 'message' | 'open' | 'close' | 'unread', listener: (detail: unknown) => void): () => void;
  element: SwitchboardWebchat;
}

declare global {
  interface Window {
    SwitchboardWebchat?: WebchatApi;
    SMARTLY_USER_DATA?: UserData;
  }
}

function ownScript(): HTMLScriptElement | null {
  if (document.currentScript instanceof HTMLScriptElement) return document.currentScript;
  // `async` scripts have no currentScript in some browsers: find ours by its src.
  return document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-site], script[src*="widget.js"]');
}

function mount(): void {
  if (window.SwitchboardWebchat) return;
  const script = ownScript();
  const element = document.createElement('switchboard-webchat');
  element.hub = script?.dataset['hub'] ?? (script?.src ? new URL(script.src, location.href).origin : location.origin);
  element.site = script?.dataset['site'] ?? 'demo';
  if (script?.dataset['strings']) element.strings = JSON.parse(script.dataset['strings']) as Record<string, string>;
  document.body.append(element);
  window.SwitchboardWebchat = {
    update: (userData) => element.update_(userData),
    open: () => element.show(),
    close: () => element.hide(),
    on(event, listener) {
      const handler = (e: Event) => listener((e as CustomEvent).detail);
      element.addEventListener(`sb-${event}`, handler);
      return () => element.removeEventListener(`sb-${event}`, handler);
    },
    element,
  };
  const sw = script?.dataset['sw'];
  if (sw && 'serviceWorker' in navigator) {
    // Opt-in only: the site serves the worker from its own origin (see widget/README.md).
    void import('workbox-window').then(({ Workbox }) => new Workbox(sw).register());
  }
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });

export { SwitchboardWebchat };
