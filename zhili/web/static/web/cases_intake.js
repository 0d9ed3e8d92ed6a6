/* The intake form (坐席受理): pick a category from the search results, pick the place on a map
 * (grids drawn lightly from /api/v1/grids), and ask the server for the routing preview
 * (event "zhili:preview") whenever the category, the point, the urgency or the place the
 * address names changes. The address's place (#address-match, asked again on event
 * "zhili:point") lists the grids of the village it names in data-grids: they are outlined
 * and framed on the map, for the operator to click the right one. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("intake-map-config").textContent);
  const form = document.getElementById("intake-form");
  const pointLabel = document.getElementById("point-label");
  const mapNode = document.getElementById("intake-map");

  function preview() {
    document.body.dispatchEvent(new CustomEvent("zhili:preview"));
  }

  // --- category -------------------------------------------------------------------------------
  form.addEventListener("click", (event) => {
    const option = event.target.closest("[data-category-code]");
    if (!option) {
      return;
    }
    document.getElementById("id_category").value = option.dataset.categoryCode;
    document.getElementById("category-label").textContent = option.dataset.categoryName;
    const urgency = document.getElementById("id_urgency");
    if (urgency) {
      urgency.value = option.dataset.urgency || "";
    }
    const title = document.getElementById("id_title");
    if (title && !title.value) {
      title.placeholder = `如：${option.dataset.categoryName.split(" › ").pop()}`;
    }
    document.getElementById("category-options").replaceChildren();
    preview();
  });
  form.addEventListener("change", (event) => {
    if (event.target.id === "id_urgency") {
      preview();
    }
  });

  // --- map ------------------------------------------------------------------------------------
  const map = zhiliMap.create(mapNode, config);
  const renderer = L.canvas({ padding: 0.5 });
  const picker = zhiliMap.pointPicker(map, {
    radius: 7,
    onChange: (latlng, text) => {
      pointLabel.textContent = latlng ? text : "未选点";
      document.body.dispatchEvent(new CustomEvent("zhili:point"));
      preview();
    },
  });
  if (picker.initial) {
    picker.draw(picker.initial);
  }

  // --- the place the address names ----------------------------------------------------------
  const gridLayers = new Map(); // grid code -> its polygon layer
  let highlighted = [];
  const plain = { color: "#1565c0", weight: 0.6, opacity: 0.6, fillColor: "#90caf9", fillOpacity: 0.08 };
  const picked = { color: "#e65100", weight: 2.5, opacity: 1, fillColor: "#ffb74d", fillOpacity: 0.25 };

  function highlightGrids(codes) {
    highlighted.forEach((layer) => layer.setStyle(plain));
    highlighted = codes.map((code) => gridLayers.get(code)).filter(Boolean);
    highlighted.forEach((layer) => layer.setStyle(picked));
    if (highlighted.length && !picker.placed()) {
      map.fitBounds(L.featureGroup(highlighted).getBounds(), { padding: [24, 24], maxZoom: 15 });
    }
  }

  function matchedGrids() {
    const node = document.querySelector("#address-match [data-grids]");
    return node ? node.dataset.grids.split(/\s+/).filter(Boolean) : [];
  }

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id === "address-match") {
      highlightGrids(matchedGrids());
      preview();
    }
  });

  zhiliMap.features(config.gridsUrl)
    .then((features) => {
      if (!features.length) {
        return;
      }
      const layer = L.geoJSON({ type: "FeatureCollection", features }, {
        style: { renderer, ...plain },
        interactive: false,
        onEachFeature: (feature, polygon) => gridLayers.set(feature.properties.code, polygon),
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      highlightGrids(matchedGrids());
      mapNode.dataset.loaded = "true";
    })
    .catch(() => {
      mapNode.dataset.loaded = "error";
    });

  // For tests and the console.
  window.zhiliIntakeMap = { map, setPoint: (a, b) => picker.set(L.latLng(a, b)) };
})();
