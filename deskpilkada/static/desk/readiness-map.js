/* The TPS readiness map (readiness app): every TPS of the reader's area, coloured by one layer at a
   time — readiness, hazard, vulnerability, security gaps, relocated — switched by the radio buttons
   above the map, on the desk's own Leaflet base (map.js), so that it works without a tile server.
   The data (readiness:map_data) carries every layer's state per TPS; switching redraws the markers
   and the legend from it without asking the server again. */
(function () {
  "use strict";
  var el = document.querySelector("[data-map=readiness]");
  if (!el || !window.deskMap) return;
  var M = window.deskMap, map = M.base(el), status = document.getElementById(el.dataset.status);
  var form = document.getElementById("layers"), group = null, features = [], fitted = false;
  map.setView([-6.595, 106.8], 12);

  function current() {
    var checked = form && form.querySelector("input[name=lapisan]:checked");
    return checked ? checked.value : "kesiapan";
  }

  function legendFor(layer) {
    var node = map.deskLegend;
    if (!node) return;
    Array.prototype.forEach.call(node.querySelectorAll("[data-layer]"), function (li) {
      li.classList.toggle("d-none", li.dataset.layer !== layer);
    });
    map.deskStatuses = Array.prototype.filter.call(node.querySelectorAll("[data-status]"), function (li) {
      return !li.dataset.layer || li.dataset.layer === layer;
    }).map(function (li) {
      return { key: li.dataset.status, label: li.textContent.trim(), flag: li.hasAttribute("data-flag"), plain: li.hasAttribute("data-plain") };
    });
  }

  function labelOf(key) {
    var s = map.deskStatuses.filter(function (x) { return x.key === key; })[0];
    return s ? s.label : "";
  }

  function draw() {
    var layer = current();
    legendFor(layer);
    if (group) map.removeLayer(group);
    group = M.cluster(map);
    var bounds = L.latLngBounds([]);
    group.addLayers(features.map(function (f) {
      var p = f.properties, ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], state = p.layers[layer];
      var name = "TPS " + String(p.number).padStart(3, "0") + " " + p.kelurahan;
      var url = el.dataset.detail.replace("0000000000000", p.code);
      bounds.extend(ll);
      return M.pin(ll, {
        cls: "status-" + state, text: p.number, title: name, status: state,
        popup: "<strong>" + M.esc(name) + "</strong><br>" + M.esc(labelOf(state)) + "<br>" + M.esc(p.address) +
          "<br>" + M.esc(p.note) + "<br><a href='" + M.esc(url) + "'>" + M.esc(p.code) + "</a>"
      });
    }));
    if (!fitted) { M.fit(map, bounds, M.regions(map, regionFeatures)); fitted = true; }
    if (window.history && window.history.replaceState) {
      var u = new URL(window.location.href);
      u.searchParams.set("lapisan", layer);
      window.history.replaceState(null, "", u.toString());
    }
  }

  var regionFeatures = [];
  fetch(el.dataset.src, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (geo) {
      features = geo.features.filter(function (f) { return f.properties.kind === "tps"; });
      regionFeatures = geo.features.filter(function (f) { return f.properties.kind === "region"; });
      draw();
      if (status) status.textContent = M.number(features.length) + " " + (el.dataset.shown || "");
      el.dataset.loaded = "1";
    })
    .catch(function (err) { if (status) status.textContent = (el.dataset.failed || "Gagal memuat data peta") + " (" + err.message + ")."; });
  if (form) form.addEventListener("change", draw);
})();
