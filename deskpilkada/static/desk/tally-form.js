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
  function check() {
    var p = {};
    function add(field, msg) { (p[field] = p[field] || []).push(msg); }
    Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (el) {
      if (el.value === "") return;
      var n = Number(el.value);
      if (!Number.isInteger(n)) add(el.name, "Isi dengan bilangan bulat.");
      else if (n < 0) add(el.name, "Tidak boleh negatif.");
    });
    var g = {};
    ["dpt", "dptb", "dpk", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "surat_suara_diterima",
     "surat_suara_digunakan", "surat_suara_rusak", "surat_suara_sisa", "suara_sah", "suara_tidak_sah"].forEach(function (k) { g[k] = val(k); });
    var all = Object.keys(g).every(function (k) { return g[k] !== null && !isNaN(g[k]); });
    var total = votes();
    if (g.suara_sah !== null && total !== null && g.suara_sah !== total)
      add("suara_sah", "Suara sah (" + g.suara_sah + ") harus sama dengan jumlah suara semua paslon (" + total + ").");
    if (all) {
      var used = g.suara_sah + g.suara_tidak_sah, voters = g.pengguna_dpt + g.pengguna_dptb + g.pengguna_dpk;
      if (used !== g.surat_suara_digunakan)
        add("surat_suara_digunakan", "Suara sah + tidak sah (" + used + ") harus sama dengan surat suara digunakan (" + g.surat_suara_digunakan + ").");
      if (g.surat_suara_digunakan !== voters)
        add("pengguna_dpt", "Surat suara digunakan (" + g.surat_suara_digunakan + ") harus sama dengan jumlah pengguna hak pilih DPT + DPTb + DPK (" + voters + ").");
      if (voters > g.dpt + g.dptb + g.dpk)
        add("pengguna_dpt", "Pengguna hak pilih (" + voters + ") melebihi jumlah pemilih terdaftar DPT + DPTb + DPK (" + (g.dpt + g.dptb + g.dpk) + ").");
      [["pengguna_dpt", "dpt"], ["pengguna_dptb", "dptb"], ["pengguna_dpk", "dpk"]].forEach(function (pair) {
        if (g[pair[0]] > g[pair[1]]) add(pair[0], "Melebihi " + pair[1].toUpperCase() + " (" + g[pair[1]] + ").");
      });
      var acc = g.surat_suara_digunakan + g.surat_suara_rusak + g.surat_suara_sisa;
      if (acc !== g.surat_suara_diterima)
        add("surat_suara_diterima", "Surat suara digunakan + rusak + sisa (" + acc + ") harus sama dengan surat suara diterima (" + g.surat_suara_diterima + ").");
      var base = registered || g.dpt;
      var ceiling = Math.ceil(base * (1 + reserve / 100) - 1e-9) + margin;
      if (g.surat_suara_diterima > ceiling)
        add("surat_suara_diterima", "Surat suara diterima (" + g.surat_suara_diterima + ") melebihi DPT + " + reserve + "% cadangan (" + ceiling + ").");
      var bound = Math.floor(base * factor + 1e-9);
      if (used > bound) add("suara_sah", "Jumlah suara (" + used + ") melebihi batas kewajaran DPT × " + factor + " (" + bound + ").");
    }
    return p;
  }
  function render() {
    var p = check(), count = 0;
    Array.prototype.forEach.call(form.querySelectorAll(".client-error"), function (el) {
      var msgs = p[el.dataset.for] || [];
      count += msgs.length;
      el.textContent = msgs.join(" ");
      var input = form.elements[el.dataset.for];
      if (input && input.classList) input.classList.toggle("is-invalid", msgs.length > 0);
    });
    var summary = document.getElementById("client-summary");
    if (summary) {
      summary.classList.toggle("d-none", count === 0);
      summary.textContent = count ? count + " isian belum cocok. Periksa tanda merah; jika dikirim, C.Hasil akan ditahan." : "";
    }
  }
  form.addEventListener("input", render);
  render();
})();
