/* Desk Pilkada page behaviour, in a file: the Content-Security-Policy runs no inline script and
   no inline event handler (onclick=, onchange=). Loaded on every page, after htmx. */
(function () {
  "use strict";

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
})();
