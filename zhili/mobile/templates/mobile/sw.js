// The service worker of 东海网格通 (scope /m/), version {{ version }}.
// Static shell: cache first. Pages: network first, the cached copy when offline (only the
// shell pages are kept, never case lists or details). The JSON API (/m/api/) and every
// non-GET request go straight to the network: the page's offline queue handles them.
const VERSION = "{{ version }}";
const STATIC_CACHE = `zhili-mobile-static-${VERSION}`;
const PAGE_CACHE = "zhili-mobile-pages";
const STATIC_URLS = {{ static_urls|safe }};
const SHELL_PAGES = {{ shell_pages|safe }};
const OFFLINE_URL = "{{ offline_url }}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      // The offline page without cookies: it must not carry a user (its queue never sends).
      await cache.addAll([...STATIC_URLS, new Request(OFFLINE_URL, { credentials: "omit" })]);
      await warm();
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("zhili-mobile-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// Fetch the shell pages as the signed-in user and keep them; a redirect (to the login page)
// means nobody is signed in: keep nothing.
async function warm() {
  const cache = await caches.open(PAGE_CACHE);
  await Promise.all(
    SHELL_PAGES.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (err) {
        // offline: keep what we have
      }
    }),
  );
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "warm") event.waitUntil(warm());
});

function isShellPage(url) {
  return SHELL_PAGES.includes(url.pathname);
}

async function pageFirstFromNetwork(request, url) {
  try {
    const response = await fetch(request);
    if (isShellPage(url) && response.ok && !response.redirected) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (err) {
    const cached = isShellPage(url) ? await caches.match(url.pathname) : null;
    return cached || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

async function staticFirstFromCache(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/m/api/")) return;
  if (STATIC_URLS.includes(url.pathname)) {
    event.respondWith(staticFirstFromCache(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith("/m/")) {
    event.respondWith(pageFirstFromNetwork(request, url));
  }
});
