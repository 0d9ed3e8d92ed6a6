/* The case map: the latest matching cases in scope (at most a few thousand, from the page's
 * JSON endpoint), grouped on a pixel grid at each zoom so that a county's year stays readable.
 * A group takes the colour of its most serious case: red card, yellow card, then by state. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("case-map-config").textContent);
  const mapNode = document.getElementById("case-map");
  const count = document.getElementById("case-map-count");
  const filter = document.getElementById("case-map-filter");
  const panel = document.getElementById("case-map-panel");
  const CELL = 56; // pixels per cluster cell

  const STATE_COLOURS = {
    registered: "#6b7280", returned: "#6b7280",
    dispatched: "#1565c0", acknowledged: "#1565c0", in_progress: "#1565c0",
    replied: "#0d9488", closed: "#2e7d32", rated: "#2e7d32",
    suspended: "#b0bec5", merged: "#b0bec5",
  };
  const CARD_COLOURS = { red: "#c62828", yellow: "#f59e0b" };
  const SEVERITY = { red: 3, yellow: 2 };

  const map = zhiliMap.create(mapNode, config);
  const renderer = L.canvas({ padding: 0.5 });
  const markers = L.layerGroup().addTo(map);
  let points = [];
  let labels = { states: {}, cards: {} };
  let detailUrl = "";

  function colourOf(p) {
    return CARD_COLOURS[p[3]] || STATE_COLOURS[p[2]] || "#6b7280";
  }

  function severity(p) {
    return SEVERITY[p[3]] || (p[2] === "registered" || p[2] === "returned" ? 1 : 0);
  }

  function show(p) {
    panel.querySelector('[data-role="placeholder"]').hidden = true;
    const box = panel.querySelector('[data-role="details"]');
    box.replaceChildren();
    const link = document.createElement("a");
    link.href = detailUrl.replace("CASE_NO", p[4]);
    link.className = "mono";
    link.textContent = p[4];
    const title = document.createElement("div");
    title.textContent = p[5];
    const state = document.createElement("div");
    state.className = "muted";
    state.textContent = [labels.states[p[2]], labels.cards[p[3]]].filter(Boolean).join(" · ");
    box.append(link, title, state);
  }

  function draw() {
    markers.clearLayers();
    const cells = new Map();
    for (const p of points) {
      const at = map.project([p[0], p[1]]);
      const key = `${Math.floor(at.x / CELL)}:${Math.floor(at.y / CELL)}`;
      const cell = cells.get(key) || { items: [], lat: 0, lng: 0, worst: null };
      cell.items.push(p);
      cell.lat += p[0];
      cell.lng += p[1];
      if (!cell.worst || severity(p) > severity(cell.worst)) {
        cell.worst = p;
      }
      cells.set(key, cell);
    }
    for (const cell of cells.values()) {
      const n = cell.items.length;
      const centre = [cell.lat / n, cell.lng / n];
      const colour = colourOf(cell.worst);
      if (n === 1) {
        const p = cell.items[0];
        L.circleMarker(centre, { renderer, radius: 6, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.95 })
          .bindTooltip(`${p[4]} ${p[5]}`)
          .on("click", () => show(p))
          .addTo(markers);
        continue;
      }
      const size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
      const icon = L.divIcon({
        className: "case-cluster",
        html: `<span style="background:${colour};width:${size}px;height:${size}px;line-height:${size}px">${n}</span>`,
        iconSize: [size, size],
      });
      L.marker(centre, { icon, title: `${n} 件` })
        .on("click", () => map.setView(centre, Math.min(map.getZoom() + 2, 18)))
        .addTo(markers);
    }
  }

  function load() {
    const query = new URLSearchParams(new FormData(filter)).toString();
    count.textContent = "正在加载事件…";
    zhiliMap.getJson(`${config.pointsUrl}?${query}`)
      .then((body) => {
        points = body.points;
        labels = { states: body.states, cards: body.cards };
        detailUrl = body.detailUrl;
        count.textContent = body.capped
          ? `显示最近的 ${body.count} 件（已达上限，请缩小筛选范围）`
          : `共 ${body.count} 件有位置的事件`;
        draw();
        mapNode.dataset.loaded = "true";
      })
      .catch((error) => {
        count.textContent = `事件加载失败：${error.message}`;
      });
  }

  function fitGrids() {
    zhiliMap.outlines(map, config.gridsUrl, { renderer })
      .then((layer) => {
        if (layer) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      })
      .catch(() => {});
  }

  map.on("zoomend", draw);
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  filter.addEventListener("change", load);
  window.zhiliCaseMap = { map, get points() { return points; } };
  fitGrids();
  load();
})();
