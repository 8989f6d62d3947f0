/* The queue of C.Hasil kept on this phone (IndexedDB), shared by the entry page (tally-queue.js)
   and every page's sign-out button. A queued sheet carries the Idempotency-Key made on the phone
   when it was saved: however often it is sent (two tabs, a retry after a timeout), the server
   counts it once and answers every copy with its first answer. */
(function (root) {
  "use strict";
  var DB = "deskpilkada", STORE = "antrean", PAGES_CACHE = "deskpilkada-pages";
  var API = "/api/v1/tally-sheets", TIMEOUT = 30000;

  function open() {
    return new Promise(function (resolve, reject) {
      var req = root.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" }).createIndex("user", "user");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  // One transaction: `fn(store)` makes its requests; resolves with the last request's result.
  function run(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), result;
        var req = fn(t.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }
  function all(user) {
    return run("readonly", function (s) { return s.index("user").getAll(String(user)); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }
  function get(key) { return run("readonly", function (s) { return s.get(key); }); }
  function put(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }); }
  // Still to be sent: the sheet, or the photo of a sheet that was taken (a refused sheet takes no photo).
  function pending(item) {
    return item.state === "waiting" || (item.photoState === "waiting" && (item.state === "sent" || item.state === "held"));
  }
  function clearUser(user) {
    return all(user).then(function (items) {
      return run("readwrite", function (s) { items.forEach(function (i) { s.delete(i.key); }); });
    });
  }

  function cookie(name) {
    var hit = (root.document ? root.document.cookie : "").split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    return hit ? decodeURIComponent(hit.slice(name.length + 1)) : "";
  }
  // The CSRF token as it is now (the cookie), else the one the page had when the sheet was saved.
  function csrfToken(item) {
    if (root.document) return Promise.resolve(cookie("csrftoken") || item.csrf || "");
    if (root.cookieStore) {
      return root.cookieStore.get("csrftoken").then(function (c) { return (c && c.value) || item.csrf || ""; },
        function () { return item.csrf || ""; });
    }
    return Promise.resolve(item.csrf || "");
  }
  function post(url, body, headers) {
    var ctrl = root.AbortController ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT) : null;
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: body, signal: ctrl && ctrl.signal })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .finally(function () { if (timer) clearTimeout(timer); });
  }
  function detail(data) {
    var errors = (data && data.errors) || [];
    return errors.length ? errors.map(function (e) { return e.message; }).join(" ") : (data && data.detail) || "";
  }
  // Wait longer after every failed try (5 s, 10 s, 20 s, … at most 5 minutes), with some jitter.
  function backoff(item) {
    item.tries = (item.tries || 0) + 1;
    item.nextTry = Date.now() + Math.min(300000, 5000 * Math.pow(2, item.tries - 1)) * (0.75 + Math.random() / 2);
  }
  // What an answer means for the queue: the sheet stays "waiting" for anything that may pass later
  // (no network, server busy, signed out); "refused" for what never will as it is (409, 422, …).
  function settle(item, answer, part) {
    var status = answer.status, data = answer.data || {};
    var later = status === 401 || (status === 403 && /csrf/i.test(data.detail || "")) || status === 429 || status >= 500;
    item.note = status === 401 || status === 403 ? "login" : "";
    if (later) {
      backoff(item);
    } else if (part === "sheet" && status === 201) {
      item.state = data.status === "held" ? "held" : "sent";
      item.message = (data.problems || []).map(function (p) { return p.message; }).join(" ");
      item.versi = data.versi;
      item.tries = 0;
    } else if (part === "sheet") {
      item.state = "refused";
      item.message = detail(data) || String(status);
    } else if (status === 201) {
      item.photoState = "sent"; item.photoMessage = "";
    } else {
      item.photoState = "refused"; item.photoMessage = detail(data) || String(status);
    }
    if (!later && item.note === "login") item.note = "";
    return item;
  }
  // Send one item: the figures first (small, counted as soon as there is any signal), then its photo.
  function send(item) {
    return csrfToken(item).then(function (token) {
      var headers = { "Idempotency-Key": item.key, "X-CSRFToken": token, Accept: "application/json" };
      var step = Promise.resolve(item);
      if (item.state === "waiting") {
        step = post(API, JSON.stringify(item.body), Object.assign({ "Content-Type": "application/json" }, headers))
          .then(function (answer) { return settle(item, answer, "sheet"); });
      }
      return step.then(function () {
        if (item.photoState !== "waiting" || (item.state !== "sent" && item.state !== "held")) return item;
        var form = new FormData();
        form.append("foto", item.photo, "plano-" + item.body.kode_tps + ".jpg");
        var url = API + "/" + encodeURIComponent(item.body.pemilihan) + "/" + encodeURIComponent(item.body.kode_tps) + "/photos";
        return post(url, form, Object.assign({}, headers, { "Idempotency-Key": item.key + ":foto" }))
          .then(function (answer) { return settle(item, answer, "photo"); });
      });
    }).catch(function () { backoff(item); item.note = ""; return item; }) // no network, or no answer in time
      .then(function (done) { return put(done).then(function () { return done; }); });
  }
  // Send every item of `user` that waits (all of them when `force`, else those whose time has come),
  // one at a time; where the browser has Web Locks, one tab sends while the others wait.
  function flush(user, force) {
    function work() {
      return all(user).then(function (items) {
        var due = items.filter(function (i) { return pending(i) && (force || !i.nextTry || i.nextTry <= Date.now()); });
        return due.reduce(function (p, item) {
          return p.then(function () { return get(item.key); }).then(function (fresh) { return fresh && pending(fresh) ? send(fresh) : null; });
        }, Promise.resolve());
      });
    }
    if (root.navigator && root.navigator.locks) return root.navigator.locks.request("deskpilkada-antrean", work);
    return work();
  }
  function clearPages() { return root.caches ? root.caches.delete(PAGES_CACHE) : Promise.resolve(); }

  root.DeskQueue = { all: all, get: get, put: put, remove: remove, pending: pending, clearUser: clearUser,
    flush: flush, send: send, clearPages: clearPages, PAGES_CACHE: PAGES_CACHE };

  // Signing out: a queue that still holds unsent sheets is cleared only after asking; then this
  // user's queue and cached pages are removed from the phone.
  if (!root.document) return;
  root.document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]") || form.dataset.cleared) return;
    var user = root.document.body.dataset.user;
    if (!user || !root.indexedDB) return;
    event.preventDefault();
    function go() { form.dataset.cleared = "1"; form.submit(); }
    all(user).then(function (items) {
      var unsent = items.filter(pending).length;
      if (unsent && !root.confirm((form.dataset.queueConfirm || "%(n)s").replace("%(n)s", unsent))) return;
      return clearUser(user).then(clearPages).then(go);
    }).catch(go);
  });
})(self);
