/// <reference lib="webworker" />
/**
 * The site's service worker (vite-plugin-pwa, injectManifest): precaches the small app shell, and caches
 * on first use what is large or versioned — the runtime's wasm and scripts (hashed names, cache-first) and
 * the artifacts (hashed names, cache-first; the manifest network-first so a new version is seen on the next
 * visit and still works offline). After one visit, everything needed to recommend is on the device.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
clientsClaim();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

const sameOrigin = (url: URL) => url.origin === self.location.origin;

registerRoute(
  ({ url }) => sameOrigin(url) && /\/artifacts\/manifest\.json$/.test(url.pathname),
  new NetworkFirst({ cacheName: 'cinesage-manifest', networkTimeoutSeconds: 5 }),
);
registerRoute(
  ({ url }) => sameOrigin(url) && /\/artifacts\/[^/]+\.(bin|onnx)$/.test(url.pathname),
  new CacheFirst({ cacheName: 'cinesage-artifacts' }),
);
registerRoute(
  ({ url }) => sameOrigin(url) && /\/assets\/.+\.(wasm|mjs|js)$/.test(url.pathname),
  new CacheFirst({ cacheName: 'cinesage-runtime' }),
);
