/* Public results: a bar chart of the paslon (Chart.js) and a map of the sub-regions or TPS, each
   coloured by its leading paslon and marked with that paslon's ballot number; the legend names
   every paslon ("3 · head – deputy"). Colours come from the legend's swatches (desk.css .paslon-N),
   so that the chart, the map and the legend cannot disagree. Needs map.js (window.deskMap). */
(function () {
  "use strict";
  var M = window.deskMap;
  if (!M) return;
  var legend = document.getElementById("map-legend");
  var paslon = M.readJson("paslon-data") || [];
  var names = {};
  paslon.forEach(function (p) { names[p.number] = p.number + " · " + p.name; });

  function colour(n) {
    var dot = legend && legend.querySelector('[data-status="paslon-' + n + '"] .legend-dot');
    return dot ? window.getComputedStyle(dot).backgroundColor : "#adb5bd";
  }

  var canvas = document.getElementById("chart");
  if (canvas && window.Chart) {
    new Chart(canvas, {
      type: "bar",
      data: {
        // Two lines under each bar: "3 · head", "deputy".
        labels: paslon.map(function (p) {
          var pair = String(p.name).split(" – ");
          return [p.number + " · " + pair[0]].concat(pair.slice(1));
        }),
        datasets: [{ data: paslon.map(function (p) { return p.votes; }), backgroundColor: paslon.map(function (p) { return colour(p.number); }) }]
      },
      // The axis and the tooltips in the page's language (120.000 in Indonesian).
      options: { locale: document.documentElement.lang || "id", animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
    });
  }

  var el = document.getElementById("map"), data = document.getElementById("children-data");
  if (!el || !data || !window.L) return;
  var children = JSON.parse(data.textContent);
  var areas = M.readJson(el.dataset.regions) || [];
  var shapes = {};
  areas.forEach(function (f) {
    if (f.geometry) shapes[f.properties.code] = f;
    if (f.properties.code === el.dataset.focus) f.properties.label = null; // the page's heading names it
  });
  var placed = children.filter(function (c) { return (c.lat != null && c.lon != null) || shapes[c.code]; });
  if (!placed.length) { el.classList.add("d-none"); return; }

  var map = M.base(el), group = M.cluster(map, 30), bounds = L.latLngBounds([]);
  var here = window.location.pathname.replace(/[^/]+\/$/, "");
  placed.forEach(function (c) {
    var lead = null;
    (c.paslon || []).forEach(function (p) { if (p.votes > 0 && (!lead || p.votes > lead.votes)) lead = p; });
    var status = lead ? "paslon-" + lead.number : "none";
    var line = lead
      ? (el.dataset.lead || "unggul") + ": " + (names[lead.number] || lead.number) + (c.valid ? " (" + window.deskPercent(lead.votes / c.valid) + ")" : "")
      : el.dataset.none || "";
    var popup = "<strong>" + M.esc(c.name) + "</strong><br>" + M.esc(line) + "<br>" + M.esc(el.dataset.counted || "TPS") + " " +
      M.number(c.tps.counted) + "/" + M.number(c.tps.total) + "<br><a href='" + M.esc(here + c.code + "/") + "'>" + M.esc(el.dataset.open || "→") + "</a>";
    if (shapes[c.code]) {
      var fill = L.geoJSON(shapes[c.code], { style: { color: "#fff", weight: 1, fillColor: lead ? colour(lead.number) : "#adb5bd", fillOpacity: 0.5 } }).addTo(map);
      fill.bindPopup(popup);
      bounds.extend(fill.getBounds());
    }
    if (c.lat != null && c.lon != null) {
      group.addLayer(M.pin([c.lat, c.lon], { cls: status === "none" ? "status-none" : status, text: lead ? lead.number : "–", title: c.name + " — " + line, status: status, popup: popup }));
      bounds.extend([c.lat, c.lon]);
    }
  });
  // The names of the sub-regions beside their markers; the page's own region as an outline.
  M.fit(map, bounds, M.regions(map, areas, el.dataset.focus));
})();
