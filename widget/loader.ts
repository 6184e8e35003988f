/**
 * The one-script-tag entry: `<script src="HUB/widget.js" data-site="SITE" async></script>`.
 * Mounts <switchboard-webchat> and exposes `window.SwitchboardWebchat` (update / open / close / on).
 *
 * This module exports nothing on purpose: the IIFE build would otherwise assign its exports to
 * the global `SwitchboardWebchat` and overwrite the API object set here.
 */
import { Workbox } from 'workbox-window';
import type { UserData } from '../protocol/types.js';
import type { SwitchboardWebchat, WebchatEventMap } from './webchat.js';
import './webchat.js';

export type WebchatEvent = keyof WebchatEventMap;

export interface WebchatApi {
  /**
   * Sends `userData` (default: re-reads `window.SMARTLY_USER_DATA`) to the hub. Resolves with
   * `{ verified }`, or null when offline (the data then goes with the next connect).
   */
  update(userData?: UserData): Promise<{ verified: boolean } | null>;
  open(): void;
  close(): void;
  /** Listens to `message`, `open`, `close` or `unread`; returns a function that stops listening. */
  on<E extends WebchatEvent>(event: E, listener: (detail: WebchatEventMap[E]) => void): () => void;
  /** The mounted element, for advanced use. */
  element: SwitchboardWebchat;
}

declare global {
  interface Window {
    SwitchboardWebchat?: WebchatApi;
  }
}

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // An `async` script that runs after DOMContentLoaded has no currentScript: find ours by its src.
  return (
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-site]') ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]')
  );
}

function parseStrings(json: string | undefined): Record<string, string> {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

// Read while the script is executing: currentScript is null once we wait for the DOM.
const script = ownScript();

function mount(): void {
  if (window.SwitchboardWebchat) return; // the script was included twice
  const data = script?.dataset ?? {};
  const element = document.createElement('switchboard-webchat');
  element.hub = data['hub'] || (script?.src ? new URL(script.src, location.href).origin : location.origin);
  element.site = data['site'] || 'demo';
  element.strings = parseStrings(data['strings']);
  document.body.append(element);
  window.SwitchboardWebchat = {
    update: (userData) => element.updateUserData(userData),
    open: () => element.show(),
    close: () => element.hide(),
    on(event, listener) {
      const handler = (e: Event) => listener((e as CustomEvent<WebchatEventMap[typeof event]>).detail);
      element.addEventListener(`sb-${event}`, handler);
      return () => element.removeEventListener(`sb-${event}`, handler);
    },
    element,
  };
  const sw = data['sw'];
  if (sw && 'serviceWorker' in navigator) {
    // Opt-in only; the worker must be served from the site's own origin (see widget/README.md).
    const workbox = new Workbox(sw);
    // A new version of the site's worker takes over on the next page load without asking the visitor.
    workbox.addEventListener('waiting', () => workbox.messageSkipWaiting());
    workbox.register().catch(() => undefined);
  }
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
