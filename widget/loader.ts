/**
 * The one-script-tag entry: `<script src="HUB/widget.js" data-site="SITE" async></script>`.
 * Mounts <switchboard-webchat> and exposes `window.SwitchboardWebchat` (update / open / close / on).
 *
 * This module exports nothing on purpose: the IIFE build would otherwise assign its exports to
 * the global `SwitchboardWebchat` and overwrite the API object set here.
 */
import { Workbox } from 'workbox-window';
import { type WebchatApi, webchatApi } from './api.js';
import './webchat.js';

export type { WebchatApi, WebchatEvent } from './api.js';

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
  window.SwitchboardWebchat = webchatApi(element);
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
