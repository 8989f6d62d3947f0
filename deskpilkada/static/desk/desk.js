/* Desk Pilkada page behaviour, in a file: the Content-Security-Policy runs no inline script and
   no inline event handler (onclick=, onchange=). Loaded on every page, after htmx. */
(function () {
  "use strict";

  // Numbers in the page's language (<html lang>), as deskpilkada/numbers.py writes them on the
  // server: 1.530 and 97,1% in Indonesian, 1,530 and 97.1% in English. For maps and charts.
  var LANG = document.documentElement.lang || "id";
  window.deskNumber = function (n, digits) {
    var options = digits == null ? { maximumFractionDigits: 20 } : { minimumFractionDigits: digits, maximumFractionDigits: digits };
    return new Intl.NumberFormat(LANG, options).format(n);
  };
  window.deskPercent = function (fraction, digits) {
    return window.deskNumber(100 * fraction, digits == null ? 1 : digits) + "%";
  };

  // <button data-confirm="Question?">: asks before the click goes ahead (finalising a recap).
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
  });

  // <select data-autosubmit data-clears="kelurahan">: sends its form when changed, first emptying
  // the fields named in data-clears (a kelurahan of the kecamatan left behind).
  document.addEventListener("change", function (event) {
    var el = event.target.closest && event.target.closest("[data-autosubmit]");
    if (!el || !el.form) return;
    (el.dataset.clears || "").split(" ").filter(Boolean).forEach(function (name) {
      if (el.form.elements[name]) el.form.elements[name].value = "";
    });
    el.form.submit();
  });

  // <div data-pct="40">: a width from the server (progress bars), set through the DOM because a
  // style attribute would be refused. Also for the parts htmx swaps in.
  function widths(root) {
    var els = root.querySelectorAll ? root.querySelectorAll("[data-pct]") : [];
    Array.prototype.forEach.call(els, function (el) {
      var pct = Math.max(0, Math.min(100, parseFloat(el.dataset.pct) || 0));
      el.style.width = pct + "%";
    });
  }
  if (window.htmx) window.htmx.onLoad(widths);
  else widths(document);

  // Tables on a phone: a table wider than the screen scrolls inside its <div class="table-scroll">,
  // which then says so: .is-scrollable (edge shadows, desk.css) and a hint line above it, from the
  // body's data-scroll-hint. Checked again after a resize and for the parts htmx swaps in (or swaps
  // inside a wrapper).
  function markScroll(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-scrollable", wide);
    var note = box.previousElementSibling;
    var has = note && note.classList.contains("table-scroll-hint");
    if (wide && !has) {
      note = document.createElement("div");
      note.className = "table-scroll-hint";
      note.setAttribute("aria-hidden", "true");
      note.textContent = document.body.dataset.scrollHint || "→";
      box.parentNode.insertBefore(note, box);
    } else if (!wide && has) {
      note.remove();
    }
  }
  function scrollBoxes(root) {
    var boxes = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll(".table-scroll") : []);
    var around = root.closest && root.closest(".table-scroll");
    if (around) boxes.push(around);
    boxes.forEach(markScroll);
  }
  window.addEventListener("resize", function () { scrollBoxes(document); });
  if (window.htmx) window.htmx.onLoad(scrollBoxes);
  else scrollBoxes(document);

  // <form data-prefill="json-id" data-prefill-by="day">: choosing another value of that field fills
  // the form's numbers with what the JSON holds for it (a day already reported), else with 0, so a
  // form never opens a reported day at zero. Registered before the drafts, which then keep the result.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-prefill]"), function (form) {
    var source = document.getElementById(form.dataset.prefill);
    if (!source) return;
    var known = JSON.parse(source.textContent || "{}") || {};
    form.addEventListener("change", function (event) {
      if (event.target.name !== form.dataset.prefillBy) return;
      var figures = known[event.target.value] || {};
      Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (el) {
        el.value = el.name in figures ? figures[el.name] : 0;
      });
    });
  });

  // <form data-draft="key">: what is typed is kept in this browser (localStorage), so that a session
  // or a password confirmation that expired while the form was open loses nothing. The draft comes
  // back when the form is opened again unbound (not a form shown again with its errors) and holds
  // other figures; it is dropped when a page says the form was saved (<… data-draft-saved="key">)
  // and after two days. Never kept: passwords, NIK/NKK, files, hidden fields (the CSRF token, the
  // version a form was opened with).
  var DRAFTS = "desk-draft:", MAX_AGE = 2 * 24 * 3600 * 1000, user = document.body.dataset.user || "";
  var store = null;
  try { store = window.localStorage; store.getItem(DRAFTS); } catch (e) { store = null; }
  function draftKey(name) { return DRAFTS + user + ":" + name; }
  function keepable(el) {
    var type = (el.type || "").toLowerCase();
    if (!el.name || el.disabled || ["password", "file", "hidden", "submit", "button", "reset"].indexOf(type) >= 0) return false;
    return !/(^|_)(nik|nkk|password|sandi|token)(_|$)/i.test(el.name);
  }
  function values(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!keepable(el)) return;
      if (el.type === "checkbox") out[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) out[el.name] = el.value; }
      else out[el.name] = el.value;
    });
    return out;
  }
  function apply(form, saved) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!keepable(el) || !(el.name in saved)) return;
      if (el.type === "checkbox") el.checked = !!saved[el.name];
      else if (el.type === "radio") el.checked = saved[el.name] === el.value;
      else el.value = saved[el.name];
    });
  }
  function same(a, b) {
    return Object.keys(a).every(function (k) { return String(a[k]) === String(b[k]); });
  }
  function readDraft(name) {
    try {
      var d = JSON.parse(store.getItem(draftKey(name)) || "null");
      if (d && Date.now() - d.at < MAX_AGE) return d;
    } catch (e) { /* a damaged draft is no draft */ }
    store.removeItem(draftKey(name));
    return null;
  }
  if (store) {
    // The page says these forms were saved: their drafts are done with.
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-saved]"), function (el) {
      el.dataset.draftSaved.split(" ").filter(Boolean).forEach(function (name) { store.removeItem(draftKey(name)); });
    });
    // The sign-in and confirmation pages say so when this browser holds a draft (data-draft-note).
    var drafts = Object.keys(store).filter(function (k) { return k.indexOf(DRAFTS) === 0; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-note]"), function (el) {
      if (drafts.length) el.classList.remove("d-none");
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
      var name = form.dataset.draft, initial = values(form), draft = readDraft(name);
      if (draft && !form.hasAttribute("data-draft-bound") && !same(draft.values, initial)) {
        apply(form, draft.values);
        var note = document.createElement("div");
        note.className = "alert alert-info small";
        note.setAttribute("role", "status");
        note.dataset.draftNotice = "";
        var when = new Date(draft.at).toLocaleTimeString(LANG, { hour: "2-digit", minute: "2-digit" });
        note.textContent = (document.body.dataset.draftRestored || "Isian yang belum terkirim dipulihkan dari perangkat ini") +
          " (" + (document.body.dataset.draftSavedAt || "disimpan") + " " + when + "). ";
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "btn btn-sm btn-outline-secondary ms-1";
        discard.textContent = document.body.dataset.draftDiscard || "Buang";
        discard.addEventListener("click", function () {
          store.removeItem(draftKey(name));
          apply(form, initial);
          note.remove();
          form.dispatchEvent(new Event("input", { bubbles: true }));
        });
        note.appendChild(discard);
        form.insertBefore(note, form.firstChild);
        form.dispatchEvent(new Event("input", { bubbles: true }));
      }
      function keep() {
        try { store.setItem(draftKey(name), JSON.stringify({ at: Date.now(), path: location.pathname, values: values(form) })); }
        catch (e) { /* storage full or refused: the form still works */ }
      }
      form.addEventListener("input", function (event) { if (event.isTrusted) keep(); });
      form.addEventListener("change", function (event) { if (event.isTrusted) keep(); });
    });
  }
})();
