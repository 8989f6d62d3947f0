/* The C.Hasil entry page without a network: the page and its files come from the service worker;
   a sheet saved while offline (or with "Simpan di perangkat") goes into the phone's queue
   (offline-store.js) with its photo made smaller, is shown in the list below the form, and is sent
   by itself when the network returns (online event, a retry with backoff, Background Sync). */
(function () {
  "use strict";
  var form = document.getElementById("sheet-form"), box = document.getElementById("antrean");
  if (!form || !box || !window.DeskQueue || !window.indexedDB) return;
  var Q = window.DeskQueue, user = document.body.dataset.user || "";
  var WORDS = JSON.parse(document.getElementById("antrean-kata").textContent);
  var list = box.querySelector("[data-antrean-list]"), alertBox = box.querySelector("[data-antrean-alert]");
  box.classList.remove("d-none");

  // --- the service worker, and the pages of this TPS kept for offline use -------------------
  if ("serviceWorker" in navigator && box.dataset.sw) {
    navigator.serviceWorker.register(box.dataset.sw, { scope: box.dataset.scope }).then(function (reg) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "kirim-antrean") sendAll(true);
      });
      return reg;
    }).catch(function () { /* no worker (private window, old browser): the queue still works while the page is open */ });
  }
  function keepPages() {
    if (!window.caches || !navigator.onLine) return;
    var urls = JSON.parse(box.dataset.pages || "[]");
    window.caches.open(Q.PAGES_CACHE).then(function (cache) {
      urls.forEach(function (url) {
        fetch(url, { credentials: "same-origin" }).then(function (r) {
          if (r.ok && !r.redirected) return cache.put(new URL(url, location.href).href, r);
        }).catch(function () {});
      });
    });
  }

  // --- the checks, before a sheet is queued -----------------------------------------------
  var NUMBER = /^-?\d+$/, OPTIONAL = JSON.parse(form.dataset.optional || "[]");
  function formErrors() {
    var errors = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (el) {
      var v = el.value.trim(), optional = OPTIONAL.indexOf(el.name) >= 0;
      if (v === "") { if (!optional) errors[el.name] = WORDS.required; return; }
      if (!NUMBER.test(v)) errors[el.name] = WORDS.number;
      else if (Math.abs(Number(v)) > Number(form.dataset.max || 1000000)) errors[el.name] = WORDS.too_big;
    });
    var reason = form.elements.alasan;
    if (reason && form.hasAttribute("data-correction") && !reason.value.trim()) errors.alasan = WORDS.reason;
    return errors;
  }
  function showErrors(errors) {
    Array.prototype.forEach.call(form.querySelectorAll(".client-error"), function (el) {
      if (errors[el.dataset.for]) {
        el.textContent = errors[el.dataset.for];
        var input = form.elements[el.dataset.for];
        if (input && input.classList) input.classList.add("is-invalid");
      }
    });
  }
  function body() {
    var b = { kode_tps: form.dataset.tps, pemilihan: form.dataset.contest, paslon: {} };
    Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (el) {
      var v = el.value.trim();
      if (el.name.indexOf("paslon_") === 0) b.paslon[el.name.slice(7)] = Number(v);
      else b[el.name] = v === "" ? null : Number(v);
    });
    var reason = form.elements.alasan ? form.elements.alasan.value.trim() : "";
    b.alasan = reason || form.dataset.defaultReason || "";
    b.versi = Number(form.elements.versi.value);
    return b;
  }
  // The plano photo made smaller on the phone: its long side at most 1600 px, as JPEG.
  function smaller(file) {
    if (!file) return Promise.resolve(null);
    var LONG = 1600;
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, LONG / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    });
  }

  function say(text) {
    alertBox.textContent = text;
    alertBox.classList.remove("d-none");
  }
  function save() {
    var errors = formErrors();
    if (Object.keys(errors).length) {
      showErrors(errors);
      say(WORDS.fix_first);
      return Promise.resolve(null);
    }
    var photoInput = form.elements.foto, file = photoInput && photoInput.files && photoInput.files[0];
    return smaller(file).then(function (photo) {
      var problems = window.deskSheetCheck ? window.deskSheetCheck() : {};
      var first = Object.keys(problems).map(function (k) { return problems[k][0]; })[0] || "";
      var item = {
        key: crypto.randomUUID(), user: user, savedAt: new Date().toISOString(),
        label: form.dataset.label, sheetUrl: form.dataset.sheetUrl, body: body(),
        csrf: (form.elements.csrfmiddlewaretoken || {}).value || "",
        state: "waiting", message: "", warning: first, note: "", tries: 0, nextTry: 0,
        photo: photo, photoState: photo ? "waiting" : "none", photoMessage: ""
      };
      // A sheet of the same TPS and contest still waiting is replaced: it was never sent.
      return Q.all(user).then(function (items) {
        var older = items.filter(function (i) {
          return i.state === "waiting" && !i.tries && i.body.kode_tps === item.body.kode_tps && i.body.pemilihan === item.body.pemilihan;
        });
        return Promise.all(older.map(function (i) { return Q.remove(i.key); }));
      }).then(function () { return Q.put(item); }).then(function () {
        try { localStorage.removeItem("desk-draft:" + user + ":" + form.dataset.draft); } catch (e) { /* none */ }
        say(first ? WORDS.saved_held : WORDS.saved);
        if (navigator.serviceWorker && navigator.serviceWorker.ready && window.SyncManager) {
          navigator.serviceWorker.ready.then(function (reg) { return reg.sync && reg.sync.register("deskpilkada-antrean"); }).catch(function () {});
        }
        return render().then(function () {
          box.scrollIntoView({ block: "start" });
          return item;
        });
      });
    }, function () {
      showErrors({ foto: WORDS.not_photo });
      return null;
    });
  }

  // --- the list -------------------------------------------------------------------------
  function stateText(item) {
    if (item.state === "sent") return WORDS.sent;
    if (item.state === "held") return WORDS.held + ": " + item.message;
    if (item.state === "refused") return WORDS.refused + ": " + item.message;
    return WORDS.waiting + (item.note === "login" ? " — " + WORDS.login : "");
  }
  var BADGE = { waiting: "text-bg-warning", sent: "text-bg-success", held: "text-bg-danger", refused: "text-bg-danger" };
  function render() {
    return Q.all(user).then(function (items) {
      list.textContent = "";
      box.querySelector("[data-antrean-empty]").classList.toggle("d-none", items.length > 0);
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "list-group-item";
        li.dataset.key = item.key;
        li.dataset.state = item.state;
        var head = document.createElement("div"), state = document.createElement("span");
        head.className = "fw-semibold small";
        head.textContent = item.label + " · " + new Date(item.savedAt).toLocaleString(document.documentElement.lang || "id",
          { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
        state.className = "badge text-wrap text-start " + (BADGE[item.state] || "text-bg-secondary");
        state.dataset.antreanState = "";
        state.textContent = stateText(item);
        li.appendChild(head);
        li.appendChild(state);
        if (item.state === "waiting" && item.warning) {
          var warn = document.createElement("div");
          warn.className = "small text-danger";
          warn.textContent = WORDS.will_hold + ": " + item.warning;
          li.appendChild(warn);
        }
        if (item.photoState !== "none" && item.state !== "refused") {
          var photo = document.createElement("div");
          photo.className = "small text-muted";
          photo.textContent = WORDS.photo + ": " + (item.photoState === "sent" ? WORDS.sent : item.photoState === "refused"
            ? WORDS.refused + ": " + item.photoMessage : WORDS.waiting);
          li.appendChild(photo);
        }
        if (item.state !== "waiting") {
          var link = document.createElement("a");
          link.href = item.sheetUrl;
          link.className = "small me-3";
          link.textContent = WORDS.open_sheet;
          li.appendChild(link);
        }
        if (!Q.pending(item)) {
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "btn btn-link btn-sm p-0";
          drop.textContent = WORDS.remove;
          drop.addEventListener("click", function () { Q.remove(item.key).then(render); });
          li.appendChild(drop);
        }
        list.appendChild(li);
      });
      var waiting = items.filter(Q.pending).length, top = document.querySelector("[data-antrean-top]");
      box.querySelector("[data-antrean-send]").classList.toggle("d-none", !waiting);
      if (top) {
        top.textContent = WORDS.top.replace("%(n)s", waiting);
        top.classList.toggle("d-none", !waiting);
      }
    });
  }
  var sending = false;
  function sendAll(force) {
    if (sending || !user) return Promise.resolve();
    sending = true;
    return Q.flush(user, force).catch(function () {}).then(function () { sending = false; return render(); })
      .then(function () { return Q.all(user); }).then(catchUp);
  }
  // A sheet of this page sent from the queue is now the version the form builds on: the next one
  // sent from this (perhaps cached) page is a correction of it, not a stale first entry.
  function catchUp(items) {
    var mine = (items || []).filter(function (i) {
      return i.versi && i.body.kode_tps === form.dataset.tps && i.body.pemilihan === form.dataset.contest;
    });
    var newest = Math.max.apply(null, [Number(form.elements.versi.value)].concat(mine.map(function (i) { return i.versi; })));
    if (newest > Number(form.elements.versi.value)) {
      form.elements.versi.value = String(newest);
      if (mine.some(function (i) { return i.versi === newest && i.state === "sent"; })) form.setAttribute("data-correction", "");
      else form.dataset.defaultReason = form.dataset.defaultReason || WORDS.held_fix;
    }
  }

  // Offline, the form is not posted: the sheet goes into the queue. Online, the form is posted as ever.
  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;
    event.preventDefault();
    save();
  });
  box.querySelector("[data-antrean-save]").addEventListener("click", function () {
    save().then(function (item) { if (item && navigator.onLine) sendAll(true); });
  });
  box.querySelector("[data-antrean-send]").addEventListener("click", function () { sendAll(true); });
  window.addEventListener("online", function () { keepPages(); sendAll(true); });
  setInterval(function () { if (navigator.onLine) sendAll(false); }, 15000);
  render().then(function () { if (navigator.onLine) sendAll(false); });
  keepPages();
})();
