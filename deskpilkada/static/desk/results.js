/* Public results: a bar chart of the paslon (Chart.js) and a map of the sub-regions or TPS. */
(function () {
  "use strict";
  var COLORS = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
  var canvas = document.getElementById("chart");
  if (canvas && window.Chart) {
    var labels = canvas.dataset.labels ? canvas.dataset.labels.split("|") : [];
    var values = canvas.dataset.values ? canvas.dataset.values.split("|").map(Number) : [];
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels.map(function (n) { return "Paslon " + n; }),
              datasets: [{ data: values, backgroundColor: labels.map(function (_, i) { return COLORS[i % COLORS.length]; }) }] },
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
    });
  }
  var el = document.getElementById("map"), data = document.getElementById("children-data");
  if (!el || !data || !window.L) return;
  var children = JSON.parse(data.textContent).filter(function (c) { return c.lat != null && c.lon != null; });
  var map = L.map(el);
  if (!children.length) { el.classList.add("d-none"); return; }
  var bounds = [];
  children.forEach(function (c) {
    var lead = null;
    (c.paslon || []).forEach(function (p, i) { if (p.votes > 0 && (!lead || p.votes > lead.votes)) lead = { votes: p.votes, i: i, n: p.number }; });
    var color = lead ? COLORS[lead.i % COLORS.length] : "#adb5bd";
    var m = L.circleMarker([c.lat, c.lon], { radius: c.code.indexOf(".") === -1 ? 6 : 10, color: color, fillOpacity: 0.8, weight: 1 }).addTo(map);
    var isRegion = c.code.indexOf(".") !== -1;
    m.bindTooltip(c.name + (lead ? " — paslon " + lead.n : ""), isRegion ? { permanent: true, direction: "right" } : {});
    m.on("click", function () { window.location.href = window.location.pathname.replace(/[^/]+\/$/, c.code + "/"); });
    bounds.push([c.lat, c.lon]);
  });
  map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
