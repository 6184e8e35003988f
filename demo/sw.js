// A sample service worker for a site that embeds the widget with data-sw="/sw.js" (it must be served from the
// site's own origin). It keeps the last good copy of the hub's widget.js and of the chat chunk it loads
// (widget-app.<hash>.js), so the chat still opens when the hub is briefly unreachable; messages typed meanwhile wait in
// the widget's outbox.
const CACHE = 'switchboard-widget-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting(); // sent by workbox-window's messageSkipWaiting()
});
/** The chat the loader adds on first interaction: named by its content, so a cached copy is always the right one. */
const APP_CHUNK = /\/widget-app\.[0-9a-f]{12}\.js$/;

const keep = (request, response) => {
  if (response.ok) {
    const copy = response.clone();
    void caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
};

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET') return;
  if (APP_CHUNK.test(url.pathname)) {
    event.respondWith(caches.match(event.request).then((cached) => cached ?? fetch(event.request).then((response) => keep(event.request, response))));
    return;
  }
  if (!url.pathname.endsWith('/widget.js')) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => keep(event.request, response))
      .catch(() => caches.match(event.request).then((cached) => cached ?? Response.error())),
  );
});
