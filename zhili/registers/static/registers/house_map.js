/* The houses map (房屋地图): the grids of the user's sight (GET /api/v1/grids) under the
 * placed houses (the page's points endpoint: [id, address, let, open hazards, lat, lng] rows).
 * A house's colour says let or not; a red ring, unfixed hazards. With a grid chosen, the map
 * frames that grid and draws it darker. Configuration comes from the page (json_script
 * "house-map-config"); no business rules here. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("house-map-config").textContent);
  const mapNode = document.getElementById("house-map");
  const count = document.getElementById("house-map-count");
  const ID = 0, ADDRESS = 1, LET = 2, HAZARDS = 3, LAT = 4, LNG = 5;
  const GRID_STYLE = { color: "#78909c", weight: 1, opacity: 0.8, fillColor: "#90a4ae", fillOpacity: 0.12 };
  const CHOSEN_STYLE = { color: "#0b2a55", weight: 2.5, opacity: 1, fillColor: "#1565c0", fillOpacity: 0.08 };

  const map = zhiliMap.create(mapNode, config, { map: { preferCanvas: true, maxZoom: 19 } });
  const renderer = L.canvas({ padding: 0.5, tolerance: 4 });
  const houses = L.layerGroup().addTo(map);
  let grids = null;

  function houseStyle(row) {
    return {
      renderer,
      radius: 6,
      weight: row[HAZARDS] > 0 ? 3 : 1,
      color: row[HAZARDS] > 0 ? "#c62828" : "#ffffff",
      fillColor: row[LET] ? "#ef6c00" : "#1565c0",
      fillOpacity: 0.95,
    };
  }

  function popup(row) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = `${config.houseUrl}${row[ID]}/`;
    link.textContent = row[ADDRESS];
    const facts = document.createElement("div");
    facts.className = "muted small";
    const hazards = row[HAZARDS] > 0 ? `，未整改隐患 ${row[HAZARDS]} 处` : "";
    facts.textContent = (row[LET] ? "出租房屋" : "未出租") + hazards;
    box.append(link, facts);
    return box;
  }

  function drawGrids(features) {
    grids = L.geoJSON({ type: "FeatureCollection", features }, {
      style: (f) => (f.properties.code === config.grid ? CHOSEN_STYLE : GRID_STYLE),
      onEachFeature(feature, layer) {
        layer.bindTooltip(feature.properties.name, { sticky: true, direction: "top" });
      },
    }).addTo(map);
    grids.bringToBack();
  }

  function drawHouses(rows) {
    const points = [];
    for (const row of rows) {
      const marker = L.circleMarker([row[LAT], row[LNG]], houseStyle(row));
      marker.options.houseId = row[ID];
      marker.bindPopup(() => popup(row));
      houses.addLayer(marker);
      points.push([row[LAT], row[LNG]]);
    }
    return points;
  }

  function frame(points) {
    let chosen = null;
    if (grids && config.grid) {
      grids.eachLayer((layer) => {
        if (layer.feature.properties.code === config.grid) chosen = layer;
      });
    }
    if (chosen) {
      map.fitBounds(chosen.getBounds(), { padding: [24, 24] });
    } else if (points.length) {
      map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16 });
    } else if (grids && grids.getLayers().length) {
      map.fitBounds(grids.getBounds(), { padding: [16, 16] });
    }
  }

  const query = config.grid ? `?grid=${encodeURIComponent(config.grid)}` : "";
  Promise.all([
    zhiliMap.features(config.gridsUrl),
    zhiliMap.getJson(config.pointsUrl + query),
  ])
    .then(([features, answer]) => {
      drawGrids(features);
      const rows = answer.houses || [];
      frame(drawHouses(rows));
      const let_ = rows.filter((row) => row[LET]).length;
      const more = rows.length >= config.max ? `（仅显示最新 ${config.max} 处）` : "";
      count.textContent = rows.length
        ? `地图上共 ${rows.length} 处房屋，其中出租房屋 ${let_} 处${more}`
        : "所选范围内暂无标注位置的房屋";
      mapNode.dataset.loaded = "true";
    })
    .catch((error) => {
      count.textContent = `房屋加载失败：${error.message}`;
      count.classList.add("form-error");
    });

  // For tests and the browser console.
  window.zhiliHouseMap = {
    map,
    houses,
    get grids() {
      return grids;
    },
  };
})();
