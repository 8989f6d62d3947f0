/* Desk Pilkada maps: Leaflet with vector markers, so they work with no tile server. */
(function () {
  "use strict";
  var COLORS = { normal: "#0d6efd", hazard: "#dc3545", special: "#6f42c1" };

  function base(el, canvas) {
    var map = L.map(el, { preferCanvas: !!canvas, zoomControl: true, maxZoom: 18, minZoom: 3 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  window.deskMap = {
    single: function (el) {
      if (!el) return;
      var map = base(el);
      var ll = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
      L.circleMarker(ll, { radius: 9, color: COLORS.normal, fillOpacity: 0.8 }).addTo(map).bindPopup(esc(el.dataset.label));
      L.circle(ll, { radius: 300, color: "#6c757d", weight: 1, fill: false }).addTo(map);
      map.setView(ll, 16);
    },
    points: function (el, prefix) {
      if (!el || !el.dataset.points) { if (el) el.classList.add("d-none"); return; }
      var map = base(el), bounds = [];
      var names = (el.dataset.names || "").split("|");
      if (prefix === undefined) prefix = "TPS ";
      el.dataset.points.split(";").filter(Boolean).forEach(function (p, i) {
        var v = p.split(",");
        var ll = [parseFloat(v[0]), parseFloat(v[1])];
        var label = names[i] ? esc(names[i]) + " (" + v[2] + ")" : prefix + String(v[2]).padStart(3, "0");
        L.circleMarker(ll, { radius: 8, color: COLORS.normal, fillOpacity: 0.8 }).addTo(map)
          .bindTooltip(label, { permanent: true, direction: "right" });
        bounds.push(ll);
      });
      if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    },
    tps: function (el, status) {
      if (!el) return;
      var map = base(el, true);
      map.setView([-6.595, 106.8], 12);
      fetch(el.dataset.src, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (geo) {
          var layer = L.geoJSON(geo, {
            pointToLayer: function (f, ll) {
              var p = f.properties;
              if (p.kind === "label") {
                return L.marker(ll, { icon: L.divIcon({ className: "map-label", html: esc(p.name), iconSize: null }), interactive: false });
              }
              var color = p.color || (p.special ? COLORS.special : (p.hazard ? COLORS.hazard : COLORS.normal));
              return L.circleMarker(ll, { radius: 5, color: color, weight: 1, fillOpacity: 0.75 });
            },
            onEachFeature: function (f, layer) {
              var p = f.properties;
              if (p.kind === "label") return;
              var url = el.dataset.detail.replace("0000000000000", p.code);
              layer.bindPopup("<strong>TPS " + String(p.number).padStart(3, "0") + " " + esc(p.kelurahan) + "</strong><br>" +
                esc(p.address) + "<br>DPT " + p.dpt + "<br><a href='" + url + "'>" + esc(p.code) + "</a>");
            }
          }).addTo(map);
          var bounds = layer.getBounds();
          if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
          var count = geo.features.filter(function (f) { return f.properties.kind === "tps"; }).length;
          if (status) status.textContent = count.toLocaleString(document.documentElement.lang || "id") + " " + (el.dataset.shown || "");
        })
        .catch(function (err) { if (status) status.textContent = (el.dataset.failed || "Gagal memuat data peta") + " (" + err.message + ")."; });
    }
  };

  // <div data-map="single|points|tps">: drawn from its data- attributes (no inline script).
  Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (el) {
    var kind = el.dataset.map;
    if (kind === "single") window.deskMap.single(el);
    else if (kind === "points") window.deskMap.points(el, el.dataset.prefix);
    else if (kind === "tps") window.deskMap.tps(el, document.getElementById(el.dataset.status));
  });
})();
