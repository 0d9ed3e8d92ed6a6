/* Case pages (workbench, inbox, follow-up, detail): the "select all" box of the workbench and
 * the small map of a case's point. Rules and data come from the server; nothing is decided here. */
(function () {
  "use strict";

  document.addEventListener("change", (event) => {
    const box = event.target.closest("[data-check-all]");
    if (!box) {
      return;
    }
    const table = box.closest("table");
    for (const row of table.querySelectorAll("[data-bulk]")) {
      row.checked = box.checked;
    }
  });

  function drawPointMap() {
    const node = document.getElementById("case-point-map");
    const source = document.getElementById("case-map-config");
    if (!node || !source || node.dataset.ready || !window.zhiliMap) {
      return;
    }
    const config = JSON.parse(source.textContent);
    if (config.lat === null || config.lng === null) {
      return;
    }
    node.dataset.ready = "true";
    const point = [config.lat, config.lng];
    const map = window.zhiliMap
      .create(node, config, { map: { zoomControl: false, attributionControl: false } })
      .setView(point, 15);
    if (config.grid) {
      const grid = L.geoJSON(config.grid, {
        style: { color: "#1565c0", weight: 1, fillOpacity: 0.12 },
      }).addTo(map);
      map.fitBounds(grid.getBounds(), { padding: [12, 12], maxZoom: 16 });
    }
    L.circleMarker(point, { radius: 7, color: "#fff", weight: 2, fillColor: "#c62828", fillOpacity: 1 }).addTo(map);
  }

  drawPointMap();
  document.body.addEventListener("htmx:afterSettle", drawPointMap);
})();
