/* Desk Pilkada service worker (version {{ version }}), scope {{ scope }}: the C.Hasil entry pages
   and the static files they need stay available without a network. Written by hand (no Workbox):
   three small rules below, and the queue of sheets lives in the page (desk/tally-queue.js), which
   this worker wakes up through Background Sync where the browser has it. */
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "deskpilkada-static-" + VERSION;
var PAGES_CACHE = "deskpilkada-pages";
var FILES = {{ files_json|safe }};
var SCOPE = "{{ scope }}";
// Entry pages of a TPS (/penghitungan/tps/<code>/<contest>/isi/), the sheet page and the counting home.
var PAGE = new RegExp("^" + SCOPE + "(tps/[0-9.]+/[a-z0-9-]+/(isi/)?)?$");

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(FILES); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("deskpilkada-static-") === 0 && n !== STATIC_CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request) {
  return fetch(request).then(function (response) {
    // Only a page really shown to a signed-in user is kept: not a redirect to the login page.
    if (response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { cache.put(request.url, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES_CACHE).then(function (cache) { return cache.match(request.url); }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // sheets are sent by the page's queue, never replayed here
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
  }
});

// Background Sync: the network is back while no entry page is open in front; wake an open one
// (in the background) to send its queue. The queue itself sends from the page, with the session.
self.addEventListener("sync", function (event) {
  if (event.tag !== "deskpilkada-antrean") return;
  event.waitUntil(self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (list) {
    list.forEach(function (client) { client.postMessage({ type: "kirim-antrean" }); });
  }));
});
