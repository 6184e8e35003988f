/**
 * The one-script-tag entry, `<script src="HUB/widget.js" data-site="SITE" async></script>`: the only part of the
 * widget on the page's critical path, so it stays small (≤ 6 kB gzip, plain DOM, no Lit; scripts/build.mjs enforces it).
 *
 * At once it puts `<switchboard-webchat>` on the page with the launcher button (and its unread badge) in the
 * element's shadow root, and sets `window.SwitchboardWebchat`. A returning visitor's token (IndexedDB, session-db.ts)
 * lets it ask the hub for the unread count (`GET /api/widget/unread`) without loading the chat. The chat itself (the
 * app chunk, app.ts: Lit, socket.io-client and the element) loads on the first interaction with the launcher (pointer,
 * focus, keyboard, click), on `open()`, or in idle time after the page's load event (`data-load="interaction"` turns
 * that off), from a `<script type="module">` whose integrity hash is baked in at build time. Defining the element
 * upgrades the one already on the page, which renders its own launcher in place of the loader's (same look, same
 * name, same spot) — or the open chat, with the composer focused, when a click or `open()` asked for it.
 *
 * This module exports nothing at run time on purpose: the IIFE build would otherwise assign its exports to the
 * global `SwitchboardWebchat` and overwrite the API object set here.
 */
import type { WidgetUnread } from '../protocol/api.js';
import type { WebchatApi, WebchatEvent } from './api.js';
import { DB_NAME, SESSION_STORE } from './session-names.js';
import { DEFAULT_STRINGS, format } from './strings.js';
import type { SwitchboardWebchat, WebchatEventMap } from './webchat.js';

export type { WebchatApi, WebchatEvent } from './api.js';

/** The app chunk's file (next to widget.js) and its Subresource Integrity hash: defined by the build (vite.config.ts). */
declare const __SB_APP__: { file: string; integrity: string };
const APP = __SB_APP__;

declare global {
  interface Window {
    SwitchboardWebchat?: WebchatApi;
  }
}

const TAG = 'switchboard-webchat';
const EVENTS: WebchatEvent[] = ['message', 'open', 'close', 'unread'];
/** Idle loading waits at most this long for an idle moment after the load event. */
const IDLE_TIMEOUT_MS = 4000;

/** The element's launcher and badge (webchat.styles.ts), with the same custom properties and defaults. */
const CSS = `:host{--sb-accent:#1f5eff;--sb-accent-text:#fff;--sb-text:#1b1f24;--sb-font:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;--sb-z-index:2147483000;position:fixed;right:20px;bottom:20px;z-index:var(--sb-z-index);font:15px/1.4 var(--sb-font);color:var(--sb-text)}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid var(--sb-accent);outline-offset:2px}
.launcher{width:60px;height:60px;border-radius:50%;border:0;background:var(--sb-accent);color:var(--sb-accent-text);box-shadow:0 6px 20px rgb(0 0 0/.25);position:relative;display:grid;place-items:center}
.launcher svg{width:28px;height:28px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;box-sizing:border-box;border-radius:11px;background:#d92d20;color:#fff;font-size:12px;font-weight:700;display:grid;place-items:center}`;
const ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';

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

/**
 * The visitor's session token, read with the raw IndexedDB API (the database of session-db.ts); null for a new visitor.
 * `firstVisit` is called when there is no database at all.
 */
function storedToken(key: string, firstVisit: () => void): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      const request = indexedDB.open(DB_NAME);
      // No database yet: a first visit. Don't create an empty one: the chat creates it with its stores.
      request.onupgradeneeded = () => {
        firstVisit();
        request.transaction?.abort();
      };
      request.onerror = (event) => {
        event.preventDefault();
        resolve(null);
      };
      request.onsuccess = () => {
        const db = request.result;
        try {
          const get = db.transaction(SESSION_STORE, 'readonly').objectStore(SESSION_STORE).get(key);
          get.onsuccess = () => resolve((get.result as { token?: string | null } | undefined)?.token ?? null);
          get.onerror = () => resolve(null);
        } catch {
          resolve(null);
        } finally {
          db.close(); // the read goes on; the database closes when it is done
        }
      };
    } catch {
      resolve(null); // no IndexedDB (some private modes)
    }
  });
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function start(script: HTMLScriptElement | null): void {
  const data = script?.dataset ?? {};
  const hub = data['hub'] || (script?.src ? new URL(script.src, location.href).origin : location.origin);
  const site = data['site'] || 'demo';
  const strings = parseStrings(data['strings']);
  const t = { ...DEFAULT_STRINGS, ...strings };

  // The element-to-be: the app chunk's definition upgrades this very element (Lit keeps the properties set before).
  const element = document.createElement(TAG) as SwitchboardWebchat;
  element.setAttribute('hub', hub);
  element.setAttribute('site', site);
  element.strings = strings;
  const defined = () => element.matches(':defined');

  // Listeners of `on()`, before and after the chat has loaded: the element's events reach them through these.
  const listeners = new Map<WebchatEvent, Set<(detail: unknown) => void>>();
  const emit = (event: WebchatEvent, detail: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(detail);
  };
  let shownOpen = false;
  for (const event of EVENTS) {
    element.addEventListener(`sb-${event}`, (e) => {
      // The element announces its initial state on its first render: only changes are news.
      if (event === 'open' || event === 'close') {
        if (shownOpen === (event === 'open')) return;
        shownOpen = event === 'open';
      }
      emit(event, (e as CustomEvent).detail);
    });
  }

  // The launcher, in the element's own shadow root: the chat reuses that root and renders its own launcher there.
  const root = element.attachShadow({ mode: 'open' });
  // Lit renders before the root's first child (LitElement's renderBefore): a node that stays, unlike the launcher.
  root.append(document.createComment(''));
  const base = make('div', { part: 'base' });
  const button = make('button', { part: 'launcher', class: 'launcher' });
  const badge = make('span', { part: 'badge', class: 'badge', 'aria-hidden': 'true' });
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  for (const [name, value] of [
    ['viewBox', '0 0 24 24'],
    ['fill', 'currentColor'],
    ['aria-hidden', 'true'],
  ] as const)
    svg.setAttribute(name, value);
  path.setAttribute('d', ICON);
  svg.append(path);
  button.append(svg);
  base.append(button);
  let style: HTMLStyleElement | null = null;
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS); // constructed sheets are not inline styles: fine under a strict style-src
    root.adoptedStyleSheets = [sheet];
  } else {
    style = make('style', {});
    style.textContent = CSS;
    root.append(style);
  }
  root.append(base);
  const showUnread = (count: number) => {
    button.setAttribute('aria-label', count > 0 ? `${t.open} (${format(t.unread, { count })})` : t.open);
    badge.textContent = count > 99 ? '99+' : String(count);
    if (count > 0) button.append(badge);
    else badge.remove();
  };
  showUnread(0);

  let inPage!: () => void;
  const mounted = new Promise<void>((resolve) => (inPage = resolve));
  const mount = () => {
    document.body.append(element);
    inPage();
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  // The app chunk, once: a module script with its integrity hash, so a page that pins widget.js keeps the chain.
  let loading: Promise<void> | null = null;
  const inject = () =>
    new Promise<void>((resolve, reject) => {
      const tag = make('script', { type: 'module', crossorigin: 'anonymous' });
      if (APP.integrity) tag.integrity = APP.integrity;
      if (data['sw']) tag.dataset['sw'] = data['sw'];
      tag.onload = () => resolve();
      tag.onerror = () => {
        loading = null; // another interaction tries again
        tag.remove();
        reject(new Error('The chat failed to load'));
      };
      tag.src = new URL(APP.file, script?.src || `${hub}/`).href;
      document.head.append(tag);
    });
  // Already defined: the page bundles the element itself (the npm package), nothing to load.
  const load = (): Promise<void> => (loading ??= defined() ? Promise.resolve() : mounted.then(inject));
  const loadQuietly = () => void load().catch(() => undefined);

  /** No widget database in this browser yet (known once the token check below has run). */
  let firstVisit = false;
  let ready!: (element: SwitchboardWebchat) => void;
  const readyPromise = new Promise<SwitchboardWebchat>((resolve) => (ready = resolve));
  void customElements.whenDefined(TAG).then(async () => {
    // The element now renders its own launcher (or the open chat) in this shadow root: take the loader's away.
    const hadFocus = root.activeElement === button;
    // Once the element has rendered (its first render may wait a task: webchat.ts), so the launcher never blinks.
    await element.updateComplete;
    base.remove();
    style?.remove();
    if (hadFocus && !element.open) element.renderRoot.querySelector<HTMLElement>('[part="launcher"]')?.focus();
    ready(element);
  });

  button.addEventListener('click', () => api.open());
  // Pointing at the launcher, focusing it or pressing a key on it starts the download before the click.
  for (const type of ['pointerenter', 'pointerdown', 'focus', 'keydown']) button.addEventListener(type, loadQuietly, { once: true, passive: true });

  const api: WebchatApi = {
    update(userData) {
      if (defined()) return element.updateUserData(userData);
      // Not connected yet: explicit data goes with the connect (which reads SMARTLY_USER_DATA itself otherwise).
      if (userData) element.userData = userData;
      return Promise.resolve(null);
    },
    // Before the upgrade these are plain properties of the element-to-be, which the chat takes over when it loads.
    open() {
      element.open = true;
      if (defined()) return;
      // A first visit has nothing stored to read: the chat may connect while its database is made (connection.ts).
      if (firstVisit) element.setAttribute('data-connect-now', '');
      loadQuietly();
    },
    close() {
      element.open = false;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const entry = (detail: unknown) => listener(detail as WebchatEventMap[typeof event]);
      set.add(entry);
      return () => void set.delete(entry);
    },
    get element() {
      return defined() ? element : undefined;
    },
    ready: readyPromise,
  };
  window.SwitchboardWebchat = api;

  // A returning visitor: the badge from the hub, without the chat. The chat, once loaded, counts for itself. In a task
  // of its own, after the launcher is on the page: the loader's work is split in two short tasks.
  const checked = new Promise((resolve) => setTimeout(resolve, 0))
    .then(() => storedToken(site, () => (firstVisit = true)))
    .then((token) => (token ? fetch(`${hub}/api/widget/unread`, { headers: { authorization: `Bearer ${token}` } }) : null))
    .then(async (response) => {
      if (!response?.ok || defined()) return;
      const unread = (await response.json()) as WidgetUnread;
      if (defined()) return;
      element.initialUnread = unread;
      showUnread(unread.count);
      if (unread.count > 0) emit('unread', { count: unread.count });
    })
    .catch(() => undefined);

  // Idle loading (default): after the load event, when the browser is idle, so that live unread counts and the
  // team's presence work without a click. `data-load="interaction"` waits for the visitor instead.
  if (data['load'] !== 'interaction') {
    const idle = () =>
      void checked.then(() =>
        'requestIdleCallback' in window ? requestIdleCallback(loadQuietly, { timeout: IDLE_TIMEOUT_MS }) : setTimeout(loadQuietly, 1000),
      );
    if (document.readyState === 'complete') idle();
    else addEventListener('load', idle, { once: true });
  }
}

// Read while the script is executing: currentScript is null once we wait for anything.
if (!window.SwitchboardWebchat) start(ownScript()); // once per page
