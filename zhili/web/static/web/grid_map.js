/* Grid map: draws the grids of the user's scope (GET /api/v1/grids) on a Leaflet canvas,
 * shows a grid's details on click, filters by township and locates a point in a grid.
 * Configuration comes from the page (json_script "grid-map-config"); no business rules here. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("grid-map-config").textContent);
  const FALLBACK_COLOUR = "#78909c";
  const els = {
    map: document.getElementById("grid-map"),
    count: document.getElementById("grid-count"),
    filter: document.getElementById("township-filter"),
    demoNote: document.getElementById("demo-note"),
    panel: document.getElementById("grid-panel"),
    locateForm: document.getElementById("locate-form"),
    locatePick: document.getElementById("locate-pick"),
    locateResult: document.getElementById("locate-result"),
  };

  // Donghai county: the view before any grid is loaded.
  const map = zhiliMap.create(els.map, config, { map: { preferCanvas: true, zoomControl: true } });
  const renderer = L.canvas({ padding: 0.5, tolerance: 3 });

  let allFeatures = [];
  let layer = null;
  let selected = null;
  let pickMode = false;
  let marker = null;

  function colourOf(feature) {
    const township = feature.properties.township;
    return (township && config.townshipColours[township.code]) || FALLBACK_COLOUR;
  }

  function baseStyle(feature) {
    const colour = colourOf(feature);
    return { renderer, color: colour, weight: 1, opacity: 0.9, fillColor: colour, fillOpacity: 0.35 };
  }

  const SELECTED_STYLE = { color: "#0b2a55", weight: 3, fillOpacity: 0.6 };

  function setText(field, value) {
    const node = els.panel.querySelector(`[data-field="${field}"]`);
    node.textContent = value === null || value === undefined || value === "" ? "—" : value;
  }

  function showGrid(feature) {
    const p = feature.properties;
    els.panel.querySelector('[data-role="placeholder"]').hidden = true;
    els.panel.querySelector('[data-role="details"]').hidden = false;
    setText("name", p.name);
    setText("code", p.code);
    setText("village", p.village ? p.village.name : "");
    setText("township", p.township ? p.township.name : "");
    setText("leader", p.leader);
    setText("workers", (p.workers || []).join("、"));
    setText("area", p.area_km2 > 0 ? `${p.area_km2.toFixed(2)} 平方公里` : "");
  }

  function select(gridLayer) {
    if (selected && layer && layer.hasLayer(selected)) {
      layer.resetStyle(selected);
    }
    selected = gridLayer;
    gridLayer.setStyle(SELECTED_STYLE);
    gridLayer.bringToFront();
    showGrid(gridLayer.feature);
  }

  function draw() {
    const township = els.filter.value;
    const features = township
      ? allFeatures.filter((f) => f.properties.township && f.properties.township.code === township)
      : allFeatures;
    if (layer) {
      layer.remove();
    }
    selected = null;
    layer = L.geoJSON({ type: "FeatureCollection", features }, {
      style: baseStyle,
      onEachFeature(feature, gridLayer) {
        gridLayer.on("click", (event) => {
          if (pickMode) {
            return; // the map's click handler locates the point
          }
          L.DomEvent.stopPropagation(event);
          select(gridLayer);
        });
        gridLayer.bindTooltip(feature.properties.name, { sticky: true, direction: "top" });
      },
    }).addTo(map);
    els.count.textContent = township
      ? `本乡镇共 ${features.length} 个网格（可见范围共 ${allFeatures.length} 个）`
      : `共 ${features.length} 个网格`;
    if (features.length) {
      map.fitBounds(layer.getBounds(), { padding: [16, 16] });
    }
  }

  function load() {
    zhiliMap.getJson(config.gridsUrl)
      .then((collection) => {
        allFeatures = collection.features || [];
        els.demoNote.hidden = !allFeatures.some((f) => f.properties.is_demo);
        if (config.initialTownship) {
          els.filter.value = config.initialTownship;
        }
        draw();
        els.map.dataset.loaded = "true";
        if (!allFeatures.length) {
          els.count.textContent = "您的管辖范围内暂无网格";
        }
      })
      .catch(() => {
        els.count.textContent = "网格数据加载失败，请刷新页面重试";
        els.count.classList.add("form-error");
      });
  }

  // --- locate --------------------------------------------------------------------------------

  function showLocateResult(lines, isError) {
    els.locateResult.replaceChildren();
    els.locateResult.classList.toggle("form-error", Boolean(isError));
    for (const line of lines) {
      const div = document.createElement("div");
      div.textContent = line;
      els.locateResult.appendChild(div);
    }
  }

  function locate(lat, lng) {
    const url = `${config.locateUrl}?lat=${encodeURIComponent(lat)}&lng=${encodeURIComponent(lng)}`;
    showLocateResult(["正在定位…"], false);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json().then((body) => ({ status: response.status, body })))
      .then(({ status, body }) => {
        if (status !== 200) {
          showLocateResult([body.detail || "定位失败"], true);
          return;
        }
        const point = [Number(lat), Number(lng)];
        if (marker) {
          marker.setLatLng(point);
        } else {
          marker = L.circleMarker(point, { renderer, radius: 6, color: "#c62828", fillOpacity: 1 }).addTo(map);
        }
        showLocateResult([
          `网格：${body.grid.name}（${body.grid.code}）`,
          `村（社区）：${body.village.name}`,
          `乡镇：${body.township.name}`,
        ], false);
        if (layer) {
          layer.eachLayer((gridLayer) => {
            if (gridLayer.feature.properties.code === body.grid.code) {
              select(gridLayer);
            }
          });
        }
      })
      .catch(() => showLocateResult(["定位请求失败，请稍后重试"], true));
  }

  function setPickMode(on) {
    pickMode = on;
    els.locatePick.setAttribute("aria-pressed", String(on));
    els.locatePick.classList.toggle("active", on);
    els.locatePick.textContent = on ? "点选中…（再次点击取消）" : "在地图上点选";
    els.map.classList.toggle("picking", on);
  }

  els.locateForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const lat = els.locateForm.elements.lat.value.trim();
    const lng = els.locateForm.elements.lng.value.trim();
    if (!lat || !lng) {
      showLocateResult(["请输入纬度和经度"], true);
      return;
    }
    locate(lat, lng);
  });
  els.locatePick.addEventListener("click", () => setPickMode(!pickMode));
  map.on("click", (event) => {
    if (!pickMode) {
      return;
    }
    els.locateForm.elements.lat.value = event.latlng.lat.toFixed(6);
    els.locateForm.elements.lng.value = event.latlng.lng.toFixed(6);
    locate(event.latlng.lat, event.latlng.lng);
  });
  els.filter.addEventListener("change", draw);

  // For tests and the browser console: the map, and selecting a grid by code.
  window.zhiliGridMap = {
    map,
    get layer() {
      return layer;
    },
    find(code) {
      let found = null;
      if (layer) {
        layer.eachLayer((gridLayer) => {
          if (gridLayer.feature.properties.code === code) {
            found = gridLayer;
          }
        });
      }
      return found;
    },
  };

  load();
})();
