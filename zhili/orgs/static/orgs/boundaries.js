/* The page 区划边界: draws the townships' boundaries of the user's scope
 * (GET /api/v1/orgs/boundaries?level=township), official ones solid and schematic ones dashed,
 * and on request the villages' too. Configuration comes from the page (json_script
 * "boundary-map-config"); no business rules here. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("boundary-map-config").textContent);
  const node = document.getElementById("boundary-map");
  const toggle = document.getElementById("show-villages");
  const map = zhiliMap.create(node, config, { map: { preferCanvas: true, zoomControl: true } });
  const renderer = L.canvas({ padding: 0.5, tolerance: 3 });
  const LABELS = { official: "正式边界", schematic: "示意边界" };

  function style(weight) {
    return (feature) => {
      const official = feature.properties.source === "official";
      return {
        renderer,
        color: official ? "#1565c0" : "#8d6e63",
        weight,
        opacity: 0.9,
        dashArray: official ? null : "5 4",
        fillColor: official ? "#1565c0" : "#a1887f",
        fillOpacity: weight > 1 ? 0.08 : 0,
      };
    };
  }

  function layerOf(collection, weight) {
    return L.geoJSON(collection, {
      style: style(weight),
      onEachFeature(feature, layer) {
        const p = feature.properties;
        layer.bindTooltip(`${p.name}（${p.code}）· ${LABELS[p.source] || p.source}`, { sticky: true });
      },
    });
  }

  const url = (level) => `${config.boundariesUrl}?level=${level}`;
  let townships = null;
  let villages = null;

  zhiliMap.getJson(url("township"))
    .then((collection) => {
      townships = layerOf(collection, 2).addTo(map);
      if (collection.features.length) {
        map.fitBounds(townships.getBounds(), { padding: [12, 12] });
      }
      node.dataset.loaded = "true";
      node.dataset.count = String(collection.features.length);
    })
    .catch((error) => {
      node.dataset.loaded = "error";
      node.title = `边界加载失败：${error.message}`;
    });

  toggle.addEventListener("change", () => {
    if (!toggle.checked) {
      if (villages) villages.remove();
      return;
    }
    if (villages) {
      villages.addTo(map);
      if (townships) townships.bringToFront();
      return;
    }
    zhiliMap.getJson(url("village")).then((collection) => {
      villages = layerOf(collection, 1).addTo(map);
      if (townships) townships.bringToFront();
      node.dataset.villages = String(collection.features.length);
    });
  });

  // For tests and the browser console.
  window.zhiliBoundaryMap = { map, get townships() { return townships; }, get villages() { return villages; } };
})();
