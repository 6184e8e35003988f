// A sample service worker for a site that embeds the widget with data-sw="/sw.js" (it must be served from the
// site's own origin). It keeps the last good copy of the hub's widget.js, so the chat button still appears when
// the hub is briefly unreachable; messages typed meanwhile wait in the widget's outbox.
const CACHE = 'switchboard-widget-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting(); // sent by workbox-window's messageSkipWaiting()
});
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !url.pathname.endsWith('/widget.js')) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        const copy = response.clone();
        void caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        return response;
      })
      .catch(() => caches.match(event.request).then((cached) => cached ?? Response.error())),
  );
});
