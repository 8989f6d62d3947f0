/* Desk Pilkada maps: Leaflet drawn from the desk's own data, legible with no tile server.

   Every map has its legend inside it (a Leaflet control, moved in from the page), the names of
   the regions at their label points (kecamatan at city zoom, kelurahan closer in; each moved
   off the markers, and hidden while it would overlap another name), the region outlines when
   they were imported, and markers that cluster instead of piling up. A map is declared with data-
   attributes (no inline script); tiles are added only when MAP_TILE_URL is set.

   The colour of each status is one CSS class (`status-…`, `paslon-…` in desk.css), used by the
   legend and the markers alike; the legend's items (`data-status`) say which statuses a map has. */
(function () {
  "use strict";
  var KELURAHAN_ZOOM = 14; // from this zoom on, kelurahan names replace kecamatan names
  var DISTRICT = 3; // Level.DISTRICT: kecamatan and above are the "top" regions
  // Where a name may go around its point: on it, below, above, right, left, then the diagonals.
  var SPOTS = [[0, 0], [0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]];

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function number(n) {
    return window.deskNumber(Number(n));
  }

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // The page's legend (<details class="map-legend d-none" id=…>), moved into the map as a control.
  function legend(map, el) {
    var node = el.dataset.legend && document.getElementById(el.dataset.legend);
    if (!node) return null;
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      node.classList.remove("d-none");
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      return node;
    };
    control.addTo(map);
    // Where it would hide much of a small map (a phone), it starts folded: its summary stays.
    var size = map.getSize();
    if (node.open && node.offsetWidth * node.offsetHeight > 0.2 * size.x * size.y) node.open = false;
    node.addEventListener("toggle", function () { relabel(map); });
    // A popup it would cover folds it.
    map.on("popupopen", function (e) {
      var a = node.getBoundingClientRect(), b = e.popup.getElement().getBoundingClientRect();
      if (node.open && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) node.open = false;
    });
    return node;
  }

  // [{key, label, flag, plain}] from the legend's items, in their order.
  function statuses(node) {
    if (!node) return [];
    return Array.prototype.map.call(node.querySelectorAll("[data-status]"), function (li) {
      return { key: li.dataset.status, label: li.textContent.trim(), flag: li.hasAttribute("data-flag"), plain: li.hasAttribute("data-plain") };
    });
  }

  function base(el) {
    var map = L.map(el, { zoomControl: true, maxZoom: 18, minZoom: 3 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    // Outlines above fills (400), below markers (600); names above markers, never catching a tap.
    map.createPane("outlines").style.zIndex = 450;
    var labels = map.createPane("labels");
    labels.style.zIndex = 650;
    labels.style.pointerEvents = "none";
    L.control.scale({ imperial: false }).addTo(map);
    map.deskLegend = legend(map, el);
    map.deskStatuses = statuses(map.deskLegend);
    return map;
  }

  function pinIcon(cls, text) {
    return L.divIcon({ className: "map-pin " + cls, html: esc(text), iconSize: [28, 28] });
  }

  // A marker for one place: its text inside (a TPS number, a ballot number, a count), a colour class.
  function pin(ll, o) {
    var m = L.marker(ll, { icon: pinIcon(o.cls, o.text), title: o.title || "", status: o.status, count: o.count || 1, riseOnHover: true });
    if (o.popup) m.bindPopup(o.popup);
    return m;
  }

  // Markers that cluster when they would overlap: the cluster shows how many it holds and, as
  // badges, how many of each flagged status (the legend's data-flag items).
  // `radius`: how close (in pixels) markers cluster; by default wide at city zoom, for many TPS.
  function cluster(map, radius) {
    var kinds = map.deskStatuses;
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      chunkedLoading: true,
      chunkProgress: function (done, total) { if (done === total) relabel(map); },
      maxClusterRadius: radius || function (zoom) { return zoom <= 13 ? 70 : zoom === 14 ? 45 : 30; },
      iconCreateFunction: function (c) {
        var counts = {}, total = 0;
        c.getAllChildMarkers().forEach(function (m) {
          var n = m.options.count || 1;
          counts[m.options.status] = (counts[m.options.status] || 0) + n;
          total += n;
        });
        var badges = "", parts = [];
        kinds.forEach(function (s) {
          if (!counts[s.key] || !s.flag) return;
          parts.push(number(counts[s.key]) + " " + s.label);
          badges += '<span class="map-badge status-' + s.key + '">' + number(counts[s.key]) + "</span>";
        });
        var size = total < 100 ? 34 : total < 1000 ? 40 : 46;
        return L.divIcon({
          className: "map-cluster",
          iconSize: [size, size],
          html: '<span class="map-cluster-count" title="' + esc(parts.join("; ")) + '">' + number(total) + "</span>" + badges
        });
      }
    });
    group.on("animationend", function () { relabel(map); });
    map.addLayer(group);
    return group;
  }

  // The names make way for the markers once these are drawn.
  function relabel(map) {
    if (map.deskDeclutter) window.requestAnimationFrame(map.deskDeclutter);
  }

  // Region names and outlines from features of kind "region" (regions/maps.py). `focus`: the
  // code of the page's own region, named first at every zoom. Returns the layers' bounds.
  function regions(map, features, focus) {
    features = (features || []).filter(function (f) { return f.properties && f.properties.kind === "region"; });
    var bounds = L.latLngBounds([]);
    var shapes = features.filter(function (f) { return f.geometry; });
    if (shapes.length) {
      var outlines = L.geoJSON(shapes, {
        pane: "outlines",
        interactive: false,
        style: function (f) {
          var top = f.properties.level <= DISTRICT, mine = f.properties.code === focus;
          return { color: top ? "#343a40" : "#6c757d", weight: top || mine ? 2.5 : 1, dashArray: top || mine ? null : "4 3", fill: false };
        }
      }).addTo(map);
      bounds.extend(outlines.getBounds());
    }
    if (map.deskLegend && !shapes.length) {
      Array.prototype.forEach.call(map.deskLegend.querySelectorAll("[data-when=outlines]"), function (li) { li.remove(); });
    }
    var labels = features.filter(function (f) { return f.properties.label; }).map(function (f) {
      var p = f.properties, ll = [p.label[1], p.label[0]], top = p.level <= DISTRICT, mine = p.code === focus;
      var cls = "map-label " + (top ? "map-label-top" : "map-label-sub") + (mine ? " map-label-focus" : "");
      bounds.extend(ll);
      return {
        marker: L.marker(ll, { pane: "labels", interactive: false, keyboard: false, icon: L.divIcon({ className: cls, html: "<span>" + esc(p.name) + "</span>", iconSize: null }) }).addTo(map),
        top: top,
        mine: mine
      };
    });
    labels.sort(function (a, b) { return (b.mine - a.mine) || (b.top - a.top); });
    var hasTop = labels.some(function (l) { return l.top; }), hasSub = labels.some(function (l) { return !l.top; });

    // Each shown name takes the first spot around its point (SPOTS)
    // that overlaps neither a name already placed (nor the legend) nor a marker; failing that,
    // the first spot clear of names beside its point (over another marker, readable on its
    // halo), else on its point; failing that, it waits for room.
    // Computed in map pixels, so that it holds while a zoom animation is still running.
    function declutter() {
      var zoom = map.getZoom(), placed = [], markers = [], size = map.getSize();
      var view = { left: 0, top: 0, right: size.x, bottom: size.y };
      if (map.deskLegend) { // names keep clear of the legend too
        var frame = map.getContainer().getBoundingClientRect(), r = map.deskLegend.getBoundingClientRect();
        placed.push({ left: r.left - frame.left, right: r.right - frame.left, top: r.top - frame.top, bottom: r.bottom - frame.top });
      }
      // Markers by where they will be (not where a zoom animation has them now), badges included.
      map.eachLayer(function (layer) {
        var node = layer instanceof L.Marker && layer.options.pane !== "labels" && layer.getElement();
        if (!node) return;
        var p = map.latLngToContainerPoint(layer.getLatLng()), w = node.offsetWidth / 2 + 6, h = node.offsetHeight / 2 + 6;
        markers.push({ left: p.x - w, right: p.x + w, top: p.y - h, bottom: p.y + h });
      });
      labels.forEach(function (l) {
        var node = l.marker.getElement();
        if (!node) return;
        var on = l.mine || (l.top ? !hasSub || zoom < KELURAHAN_ZOOM : !hasTop || zoom >= KELURAHAN_ZOOM);
        node.classList.toggle("map-label-off", !on);
        node.classList.remove("map-label-hidden");
        if (!on) return;
        var span = node.firstChild, p = map.latLngToContainerPoint(l.marker.getLatLng());
        var w = span.offsetWidth / 2, h = span.offsetHeight / 2, spot = null, fallback = null;
        SPOTS.forEach(function (d) {
          if (spot) return;
          var dx = d[0] * (w + 26), dy = d[1] * (h + 26); // clear of a cluster on the point
          var box = { left: p.x + dx - w, right: p.x + dx + w, top: p.y + dy - h, bottom: p.y + dy + h, dx: dx, dy: dy };
          if (overlaps(box, placed) || (d[0] || d[1]) && !inside(box, view)) return;
          if (!overlaps(box, markers)) spot = box;
          else if (!fallback || fallback.dx === 0 && fallback.dy === 0) fallback = box; // not on its own marker
        });
        spot = spot || fallback || (l.mine ? { left: p.x - w, right: p.x + w, top: p.y - h, bottom: p.y + h, dx: 0, dy: 0 } : null);
        if (!spot) { node.classList.add("map-label-hidden"); return; }
        span.style.transform = spot.dx || spot.dy ? "translate(calc(-50% + " + spot.dx + "px), calc(-50% + " + spot.dy + "px))" : "";
        placed.push(spot);
      });
    }
    map.on("zoomend moveend", function () { window.requestAnimationFrame(declutter); });
    map.deskDeclutter = declutter;
    return bounds;
  }

  function inside(a, b) {
    return a.left >= b.left && a.right <= b.right && a.top >= b.top && a.bottom <= b.bottom;
  }

  function overlaps(a, boxes) {
    return boxes.some(function (b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; });
  }

  // Fit the data; on a tall map whose width the legend mostly spans (a phone), below the legend.
  function fit(map, preferred, fallback) {
    var b = preferred && preferred.isValid() ? preferred : fallback, top = 24, size = map.getSize();
    var legend = map.deskLegend;
    if (legend && legend.open && size.y >= 400 && legend.offsetWidth > size.x * 0.45) top += legend.offsetHeight;
    if (b && b.isValid()) map.fitBounds(b, { paddingTopLeft: [24, top], paddingBottomRight: [24, 24], maxZoom: 16 });
    else map.setView([-6.595, 106.8], 12);
    if (map.deskDeclutter) window.requestAnimationFrame(map.deskDeclutter);
  }

  function label(map, key) {
    var s = map.deskStatuses.filter(function (x) { return x.key === key; })[0];
    return s && !s.plain ? s.label : "";
  }

  window.deskMap = {
    esc: esc,
    number: number,
    readJson: readJson,
    base: base,
    pin: pin,
    cluster: cluster,
    regions: regions,
    fit: fit,

    // One TPS: its point and a 300 m circle, among the names (and outlines) of its kelurahan.
    single: function (el) {
      if (!el) return;
      var map = base(el);
      var ll = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
      L.circleMarker(ll, { radius: 9, color: "#0d6efd", fillOpacity: 0.8 }).addTo(map).bindPopup(esc(el.dataset.label));
      L.circle(ll, { radius: 300, color: "#6c757d", weight: 1, fill: false, interactive: false }).addTo(map);
      regions(map, readJson(el.dataset.regions), el.dataset.focus);
      map.setView(ll, 16);
      relabel(map);
    },

    // A few places from a json_script ([{lat, lon, text, title, note, status, count}]), clustered
    // only where they touch, with the regions of another (data-regions) and the page's own
    // region (data-focus).
    points: function (el) {
      if (!el) return;
      var items = readJson(el.dataset.points) || [], areas = readJson(el.dataset.regions) || [];
      if (!items.length && !areas.length) { el.classList.add("d-none"); return; }
      var map = base(el), group = cluster(map, 30), bounds = L.latLngBounds([]);
      items.forEach(function (p) {
        var status = p.status || "tps", note = label(map, status);
        group.addLayer(pin([p.lat, p.lon], {
          cls: "status-" + status, text: p.text, title: p.title, status: status, count: p.count,
          popup: "<strong>" + esc(p.title) + "</strong>" + (p.note ? "<br>" + esc(p.note) : "") + (note ? "<br>" + esc(note) : "")
        }));
        bounds.extend([p.lat, p.lon]);
      });
      fit(map, bounds, regions(map, areas, el.dataset.focus));
    },

    // Every TPS of a GeoJSON endpoint (kind "tps", with a status) and its regions (kind "region").
    tps: function (el, status) {
      if (!el) return;
      var map = base(el);
      map.setView([-6.595, 106.8], 12);
      fetch(el.dataset.src, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (geo) {
          var tps = geo.features.filter(function (f) { return f.properties.kind === "tps"; });
          var group = cluster(map), bounds = L.latLngBounds([]);
          var markers = tps.map(function (f) {
            var p = f.properties, ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
            var name = "TPS " + String(p.number).padStart(3, "0") + " " + p.kelurahan, note = label(map, p.status);
            var url = el.dataset.detail.replace("0000000000000", p.code);
            var record = p.can_record && el.dataset.record ? el.dataset.record.replace("0000000000000", p.code) : "";
            bounds.extend(ll);
            return pin(ll, {
              cls: "status-" + p.status, text: p.number, title: name, status: p.status,
              popup: "<strong>" + esc(name) + "</strong>" + (note ? "<br>" + esc(note) : "") + "<br>" + esc(p.address) +
                "<br>DPT " + number(p.dpt) + "<br><a href='" + esc(url) + "'>" + esc(p.code) + "</a>" +
                (record ? "<br><a href='" + esc(record) + "'>" + esc(el.dataset.recordLabel) + "</a>" : "")
            });
          });
          group.addLayers(markers);
          fit(map, bounds, regions(map, geo.features));
          if (status) status.textContent = number(tps.length) + " " + (el.dataset.shown || "");
        })
        .catch(function (err) { if (status) status.textContent = (el.dataset.failed || "Gagal memuat data peta") + " (" + err.message + ")."; });
    }
  };

  // <div data-map="single|points|tps">: drawn from its data- attributes (no inline script).
  Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (el) {
    var kind = el.dataset.map;
    if (kind === "single") window.deskMap.single(el);
    else if (kind === "points") window.deskMap.points(el);
    else if (kind === "tps") window.deskMap.tps(el, document.getElementById(el.dataset.status));
  });
})();
