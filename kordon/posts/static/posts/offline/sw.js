// The console's service worker (served at /post/sw.js, scope /post/): keeps the console's pages and
// static files so that the console opens with no connection. Pages are kept WITHOUT their personal
// parts (what the template marks <!--private--> ... <!--/private-->, and the flash messages): the
// traveller data on the device lives only sealed in IndexedDB (store.js). API calls are not touched.

const CACHE = "kordon-console-v1";
const WAIT_FOR_NETWORK = 6000; // then the kept page: a weak link must not leave the officer waiting
const NOT_KEPT = /\/(login|logout|device-key|sw\.js|manifest\.webmanifest)\/?$/;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

function shell(html) {
  return html
    .replace(/<!--private-->[\s\S]*?<!--\/private-->/g, "<div data-offline-shell></div>")
    .replace(/<ul class="messages">[\s\S]*?<\/ul>/g, "");
}

// The page a kept copy stands for: the console's page without its query (a search, a day).
const pageKey = (url) => new URL(url).pathname;

// Whether the page was kept (not an error, a redirect to the login page or something else than a page).
async function keepPage(url, response) {
  if (!response.ok || response.redirected || !(response.headers.get("Content-Type") || "").includes("text/html")) return false;
  const text = shell(await response.text());
  const cache = await caches.open(CACHE);
  await cache.put(pageKey(url), new Response(text, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
  return true;
}

async function keptPage(url) {
  const cache = await caches.open(CACHE);
  const path = pageKey(url);
  // A page never kept (a search) opens as the console's home page, which shows the device's list.
  return (await cache.match(path)) || (await cache.match(new URL(".", self.registration.scope).pathname));
}

async function page(request) {
  const network = fetch(request);
  const timeout = new Promise((resolve) => setTimeout(resolve, WAIT_FOR_NETWORK, null));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) {
      if (!new URL(request.url).search) keepPage(request.url, response.clone());
      return response;
    }
  } catch (error) {
    // out of reach: the kept copy below
  }
  const kept = await keptPage(request.url);
  return kept || network;
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (kept) {
    fresh.catch(() => null); // refreshed in the background when the link allows
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.includes("/static/")) {
    event.respondWith(file(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith(new URL(self.registration.scope).pathname)
             && !NOT_KEPT.test(url.pathname)) {
    event.respondWith(page(request));
  }
});

// The console page asks to keep itself and its files (they loaded before this worker took over);
// it is told when they are kept, so that it can say the console is ready to work offline.
self.addEventListener("message", (event) => {
  const keep = event.data && event.data.keep;
  if (!keep) return;
  const scope = new URL(self.registration.scope).pathname;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    let kept = true;
    for (const path of keep.pages || []) {
      if (!path.startsWith(scope) || NOT_KEPT.test(path)) continue;
      try {
        if (!(await keepPage(new URL(path, self.location.origin).href, await fetch(path)))) kept = false;
      } catch (error) { kept = false; }
    }
    for (const url of keep.files || []) {
      if (new URL(url).origin !== self.location.origin) continue;
      try { await cache.add(url); } catch (error) { kept = false; } // cache.add refuses an error answer too
    }
    if (event.source) event.source.postMessage({ kept });
  })());
});
