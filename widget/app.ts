/**
 * The widget's app chunk (`dist/widget-app.<hash>.js`, one ES module with Lit, socket.io-client, idb and
 * workbox-window bundled): the chat itself. The loader (loader.ts) adds it to the page with a
 * `<script type="module" integrity crossorigin>` on the first interaction, on `open()`, or in idle time. Defining
 * `<switchboard-webchat>` upgrades the element the loader put on the page; the loader then hands its launcher over.
 *
 * The modules are evaluated in stages, each in a task of its own (the build inlines these dynamic imports: no other
 * file is fetched), so that loading the chat in idle time never blocks the page's main thread for long: Lit, then
 * socket.io-client, then the connection's controllers and idb, then the styles, then the element. When the chat is
 * wanted open (a click, `open()`), there is no waiting between the stages.
 */
import { Workbox } from 'workbox-window';

/** The element-to-be, set to open when the visitor clicked the launcher or the page called `open()`: no time to spread then. */
const opening = () => (document.querySelector('switchboard-webchat') as { open?: boolean } | null)?.open === true;
const nextTask = () => (opening() ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 0)));

await nextTask();
const lit = await import('lit');
// Warm-up, when there is time: a first render compiles lit-html's machinery here rather than in the element's stage.
if (!opening()) {
  const noop = () => undefined;
  lit.render(
    lit.html`<div part="a" @keydown=${noop}><button aria-label=${'a'} @click=${noop}>${lit.html`<span>${1}</span>`}</button></div>`,
    document.createElement('div'),
  );
}
await nextTask();
await import('socket.io-client');
await nextTask();
await import('./controllers/connection.js');
await nextTask();
// Parsing the element's stylesheet (Lit makes the CSSStyleSheet on first use) is part of the work to spread.
void (await import('./webchat.styles.js')).webchatStyles.styleSheet;
await nextTask();
await import('./webchat.js');

// The loader copies the page's data-sw onto this module's tag. Opt-in only; the worker must be served from the site's
// own origin (see widget/README.md).
const tag = Array.from(document.scripts).find((script) => script.src === import.meta.url);
const sw = tag?.dataset['sw'];
if (sw && 'serviceWorker' in navigator) {
  const workbox = new Workbox(sw);
  // A new version of the site's worker takes over on the next page load without asking the visitor.
  workbox.addEventListener('waiting', () => workbox.messageSkipWaiting());
  workbox.register().catch(() => undefined);
}
