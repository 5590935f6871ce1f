"use strict";
// tegaki's service worker: after the first visit the page works with no
// network at all. Registered by pwa.js.
//
// tools/bundle replaces the line below with the build's cache name, which
// changes whenever any file of the page does, and the list of files to
// precache: the page ("./"), the manifest and every asset under its
// content-hashed name. A new build therefore means a new sw.js, which the
// browser notices when it looks for updates; the new worker precaches the
// new build beside the old one and waits until the page asks it to take
// over (pwa.js offers "Reload"), then deletes the old cache.
const BUILD = { cache: "tegaki-dev", precache: ["./"] };

const PREFIX = "tegaki-";

self.addEventListener("install", (event) => {
  // Everything or nothing: if a file fails to download, the install fails
  // and the old version (if any) stays in charge. "no-cache" revalidates
  // with the server, so a stale HTTP cache never ends up in the precache.
  event.waitUntil(
    caches.open(BUILD.cache).then((cache) =>
      cache.addAll(BUILD.precache.map((url) => new Request(url, { cache: "no-cache" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== BUILD.cache) {
        await caches.delete(name);
      }
    }
    // Control the page that registered this worker on the first visit,
    // so that it works offline without a reload.
    await self.clients.claim();
  })());
});

// pwa.js sends "skipWaiting" when the user accepts the new version.
self.addEventListener("message", (event) => {
  if (event.data === "skipWaiting") {
    self.skipWaiting();
  }
});

// The page itself, as navigations ask for it: the scope's root or
// index.html, with any query.
const scopePath = new URL(self.registration.scope).pathname;
const isPage = (url) => url.pathname === scopePath || url.pathname === scopePath + "index.html";

// Cache first: the build's files never change under their names, and the
// page is the one this build precached. Anything else (the Worker's /api/,
// other sites) goes to the network as if there were no worker.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  const page = request.mode === "navigate" && isPage(url);
  event.respondWith((async () => {
    const cache = await caches.open(BUILD.cache);
    // Responses vary on Accept-Encoding, which the cache cannot see.
    const hit = await cache.match(page ? "./" : request, { ignoreVary: true });
    return hit || fetch(request);
  })());
});
