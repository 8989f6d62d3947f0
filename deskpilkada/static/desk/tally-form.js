/* C.Hasil form: the counting rules of tally/rules.py, checked as the officer types.
   The server checks again and holds a failing sheet; this only helps to get it right first. */
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  if (!form) return;
  var reserve = parseFloat(form.dataset.reserve || "2.5"), margin = parseInt(form.dataset.margin || "0", 10);
  var factor = parseFloat(form.dataset.factor || "1.02"), registered = parseInt(form.dataset.dpt || "0", 10);

  function val(name) {
    var el = form.elements[name];
    if (!el || el.value === "") return null;
    var n = Number(el.value);
    return Number.isInteger(n) ? n : NaN;
  }
  function votes() {
    var sum = 0, any = false;
    Array.prototype.forEach.call(form.querySelectorAll("input[name^='paslon_']"), function (el) {
      if (el.value !== "") { sum += Number(el.value); any = true; }
    });
    return any ? sum : null;
  }
  // The rules' messages in the page's language, the same words as the server's (tally/rules.py
  // RULES, given by the page as JSON): a figure is written in the page's number format, a field
  // ({"field": key}) by its label.
  var node = document.getElementById("rule-messages"), RULES = node ? JSON.parse(node.textContent) : {};
  function say(rule, params) {
    return (RULES[rule] || rule).replace(/%\((\w+)\)s/g, function (all, key) {
      var v = params[key];
      return v && v.field ? labelOf(v.field) : window.deskNumber(v);
    }).replace(/%%/g, "%");
  }
  function check() {
    var p = {};
    function add(field, rule, params) { (p[field] = p[field] || []).push(say(rule, params || {})); }
    Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (el) {
      if (el.value === "") return;
      var n = Number(el.value);
      if (!Number.isInteger(n)) add(el.name, "whole");
      else if (n < 0) add(el.name, "negative", { f: { field: el.name } });
    });
    var g = {};
    ["dpt", "dptb", "dpk", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "surat_suara_diterima",
     "surat_suara_digunakan", "surat_suara_rusak", "surat_suara_sisa", "suara_sah", "suara_tidak_sah"].forEach(function (k) { g[k] = val(k); });
    var all = Object.keys(g).every(function (k) { return g[k] !== null && !isNaN(g[k]); });
    if (registered && g.dpt !== null && !isNaN(g.dpt) && g.dpt !== registered)
      add("dpt", "dpt_registered", { a: g.dpt, b: registered });
    if (g.dpk !== null && g.pengguna_dpk !== null && g.dpk !== g.pengguna_dpk)
      add("dpk", "dpk_voters", { a: g.dpk, b: g.pengguna_dpk });
    var total = votes();
    if (g.suara_sah !== null && total !== null && g.suara_sah !== total)
      add("suara_sah", "valid_sum", { sah: g.suara_sah, sum: total });
    if (all) {
      var used = g.suara_sah + g.suara_tidak_sah, voters = g.pengguna_dpt + g.pengguna_dptb + g.pengguna_dpk;
      if (used !== g.surat_suara_digunakan)
        add("surat_suara_digunakan", "ballots_used", { a: used, b: g.surat_suara_digunakan });
      if (g.surat_suara_digunakan !== voters)
        add("pengguna_dpt", "voters_used", { a: g.surat_suara_digunakan, b: voters });
      if (voters > g.dpt + g.dptb + g.dpk)
        add("pengguna_dpt", "voters_registered", { a: voters, b: g.dpt + g.dptb + g.dpk });
      [["pengguna_dpt", "dpt"], ["pengguna_dptb", "dptb"], ["pengguna_dpk", "dpk"]].forEach(function (pair) {
        if (g[pair[0]] > g[pair[1]]) add(pair[0], "list_voters", { a: { field: pair[0] }, x: g[pair[0]], b: { field: pair[1] }, y: g[pair[1]] });
      });
      var acc = g.surat_suara_digunakan + g.surat_suara_rusak + g.surat_suara_sisa;
      if (acc !== g.surat_suara_diterima)
        add("surat_suara_diterima", "ballots_accounted", { a: acc, b: g.surat_suara_diterima });
      var base = registered || g.dpt;
      var ceiling = Math.ceil(base * (1 + reserve / 100) - 1e-9) + margin;
      if (g.surat_suara_diterima > ceiling)
        add("surat_suara_diterima", "ballots_reserve", { a: g.surat_suara_diterima, pct: reserve, b: ceiling });
      var bound = Math.floor(base * factor + 1e-9);
      if (used > bound) add("suara_sah", "plausible", { a: used, f: factor, b: bound });
      ["dpt", "dptb", "dpk"].forEach(function (prefix) {
        var m = val(prefix + "_laki"), f = val(prefix + "_perempuan");
        if (m !== null && f !== null && m + f !== g[prefix])
          add(prefix + "_laki", "sex_split", { p: { field: prefix }, a: m + f, b: g[prefix] });
      });
      var vm = val("pengguna_laki"), vf = val("pengguna_perempuan"), disabled = val("pemilih_disabilitas");
      if (vm !== null && vf !== null && vm + vf !== voters) add("pengguna_laki", "voters_sex", { a: vm + vf, b: voters });
      if (disabled !== null && disabled > voters) add("pemilih_disabilitas", "disabled_voters", { a: disabled, b: voters });
    }
    return p;
  }
  // Errors the server found, per field, as rendered next to each field (and in the summary).
  function serverErrors() {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("ul.errorlist[data-field]"), function (ul) {
      out[ul.dataset.field] = Array.prototype.map.call(ul.querySelectorAll("li"), function (li) { return li.textContent.trim(); });
    });
    return out;
  }
  function labelOf(name) {
    var input = form.elements[name], label = input && input.id && form.querySelector("label[for='" + input.id + "']");
    return label ? label.textContent.trim() : name;
  }
  // Open a folded part, bring the field to the middle of the screen (clear of the sticky bar), focus it.
  function jump(name) {
    var input = form.elements[name];
    if (!input || !input.focus) return;
    var fold = input.closest("details");
    if (fold) fold.open = true;
    input.scrollIntoView({ block: "center" });
    input.focus({ preventScroll: true });
  }
  var summary = document.getElementById("form-summary");
  function render() {
    var p = check(), server = serverErrors(), shown = [];
    Array.prototype.forEach.call(form.querySelectorAll(".client-error"), function (el) {
      var name = el.dataset.for, already = server[name] || [];
      // A rule the server already named beside the field is not repeated under it.
      var msgs = (p[name] || []).filter(function (m) { return already.indexOf(m) < 0; });
      el.textContent = msgs.join(" ");
      var input = form.elements[name];
      if (input && input.classList) input.classList.toggle("is-invalid", msgs.length > 0 || already.length > 0);
      already.concat(msgs).forEach(function (m) { shown.push({ field: name, message: m }); });
    });
    if (!summary) return;
    var list = summary.querySelector("[data-summary-list]"), title = summary.querySelector("[data-summary-title]");
    Array.prototype.forEach.call(list.querySelectorAll("li[data-client]"), function (li) { li.remove(); });
    Array.prototype.forEach.call(list.querySelectorAll("li[data-server][data-for]"), function (li) {
      if (!server[li.dataset.for]) li.remove(); // its field was changed: the client's check speaks now
    });
    shown.forEach(function (item) {
      if ((server[item.field] || []).indexOf(item.message) >= 0) return; // listed by the server already
      var li = document.createElement("li"), a = document.createElement("a");
      li.dataset.client = ""; li.dataset.for = item.field;
      a.href = "#" + (form.elements[item.field] ? form.elements[item.field].id : "");
      a.dataset.jump = ""; a.textContent = labelOf(item.field);
      li.appendChild(a); li.appendChild(document.createTextNode(": " + item.message));
      list.appendChild(li);
    });
    var count = list.querySelectorAll("li").length;
    if (list.querySelector("li[data-client]")) title.textContent = form.dataset.summaryTitle || "";
    summary.classList.toggle("d-none", count === 0);
  }
  // Once a number is changed, the server's rule errors may be out of date: the client's check takes over.
  form.addEventListener("input", function (event) {
    if (event.target.type === "number") {
      Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (el) {
        var ul = form.querySelector("ul.errorlist[data-field='" + el.name + "']");
        if (ul) ul.remove();
      });
    }
    render();
  });
  if (summary) {
    summary.addEventListener("click", function (event) {
      var a = event.target.closest && event.target.closest("a[data-jump]");
      if (!a) return;
      var li = a.closest("li");
      if (!li || !li.dataset.for) return;
      event.preventDefault();
      jump(li.dataset.for);
    });
  }
  render();
  // The same check for the queue of sheets kept on the phone (tally-queue.js): {field: [message, …]}.
  window.deskSheetCheck = check;
  window.deskSheetLabel = labelOf;
})();
