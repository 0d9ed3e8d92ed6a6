/* What every map of the platform does the same way (web/_leaflet.html loads it after Leaflet):
 * window.zhiliMap.create(node, config, options) makes the map over Donghai county with the tile
 * server of the page's config (config.tileUrl, config.tileAttribution; without one the node is
 * marked "no-tiles" unless options.markNoTiles is false), options.map being Leaflet's map options;
 * zhiliMap.features(url) gives the features of a GeoJSON endpoint (none when it answers an error);
 * zhiliMap.pointPicker(map, options) keeps the point clicked on the map in the form's #id_lat and
 * #id_lng, drawn as a red dot of options.radius, cleared by #point-clear, and calls
 * options.onChange(latlng, text) after each change. */
(function () {
  "use strict";
  if (!window.L) return;

  const DONGHAI = [34.54, 118.75];
  const JSON_REQUEST = { credentials: "same-origin", headers: { Accept: "application/json" } };

  function create(node, config, options) {
    const settings = options || {};
    const map = L.map(node, settings.map || { preferCanvas: true }).setView(DONGHAI, 10);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "", maxZoom: 19 }).addTo(map);
    } else if (settings.markNoTiles !== false) {
      node.classList.add("no-tiles");
    }
    map.attributionControl.setPrefix(false);
    return map;
  }

  function features(url) {
    return fetch(url, JSON_REQUEST)
      .then((response) => (response.ok ? response.json() : { features: [] }))
      .then((collection) => collection.features || []);
  }

  function pointPicker(map, options) {
    const lat = document.getElementById("id_lat");
    const lng = document.getElementById("id_lng");
    let marker = null;

    function draw(latlng) {
      if (marker) {
        marker.remove();
        marker = null;
      }
      if (latlng) {
        marker = L.circleMarker(latlng, { radius: options.radius, color: "#fff", weight: 2, fillColor: "#c62828", fillOpacity: 1 }).addTo(map);
      }
    }

    function set(latlng) {
      lat.value = latlng ? latlng.lat.toFixed(6) : "";
      lng.value = latlng ? latlng.lng.toFixed(6) : "";
      draw(latlng);
      options.onChange(latlng, `${lat.value}, ${lng.value}`);
    }

    map.on("click", (event) => set(event.latlng));
    document.getElementById("point-clear").addEventListener("click", () => set(null));
    return {
      set,
      draw,
      initial: lat.value && lng.value ? L.latLng(Number(lat.value), Number(lng.value)) : null,
      placed: () => marker !== null,
    };
  }

  window.zhiliMap = { create, features, pointPicker };
})();
