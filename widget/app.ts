/**
 * The widget's app chunk (`dist/widget-app.<hash>.js`, an ES module with Lit, socket.io-client, idb and
 * workbox-window bundled): the chat itself. The loader (loader.ts) adds it to the page with a
 * `<script type="module" integrity crossorigin>` on the first interaction, on `open()`, or in idle time. Defining
 * `<switchboard-webchat>` upgrades the element the loader put on the page; the loader then hands its launcher over.
 */
import { Workbox } from 'workbox-window';
import './webchat.js';

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
