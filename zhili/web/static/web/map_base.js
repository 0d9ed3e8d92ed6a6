/* What every map of the platform does the same way (web/_leaflet.html loads it after Leaflet):
 * window.zhiliMap.create(node, config, options) makes the map over Donghai county with the tile
 * server of the page's config (config.tileUrl, config.tileAttribution; without one the node is
 * marked "no-tiles" unless options.markNoTiles is false), options.map being Leaflet's map options;
 * config.tileCrs "gcj02" draws the platform's WGS84 points on an offset national basemap (GCJ-02);
 * zhiliMap.features(url) gives the features of a GeoJSON endpoint (none when it answers an error);
 * zhiliMap.outlines(map, url, style) draws a GeoJSON endpoint's areas (the grids) as the map's
 * quiet background, under everything and not clickable, and gives the layer (null when there
 * are none): the county's shape where no tile server is configured;
 * zhiliMap.getJson(url) gives a JSON endpoint's answer, or rejects with an Error carrying the
 * answer's `detail` (or its HTTP status) when it answers an error;
 * zhiliMap.pointPicker(map, options) keeps the point clicked on the map in the form's #id_lat and
 * #id_lng, drawn as a red dot of options.radius, cleared by #point-clear, and calls
 * options.onChange(latlng, text) after each change. */
(function () {
  "use strict";
  if (!window.L) return;

  const DONGHAI = [34.54, 118.75];
  const JSON_REQUEST = { credentials: "same-origin", headers: { Accept: "application/json" } };

  // GCJ-02, the offset coordinates of China's national basemaps: points stay WGS84 everywhere in
  // the platform; on such a basemap they are moved for display and clicks are moved back.
  // The published transform (Krasovsky ellipsoid), outside China no offset.
  const KRASOVSKY_A = 6378245.0;
  const KRASOVSKY_EE = 0.006693421622965943;

  function inChina(lat, lng) {
    return lng > 72.004 && lng < 137.8347 && lat > 0.8293 && lat < 55.8271;
  }

  function waves(x, y, a, b) {
    return (
      ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3 +
      ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3 +
      ((a * Math.sin((y / 12) * Math.PI) + b * Math.sin((y / 30) * Math.PI)) * 2) / 3
    );
  }

  function toGcj(lat, lng) {
    if (!inChina(lat, lng)) return [lat, lng];
    const x = lng - 105;
    const y = lat - 35;
    let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    dLat += waves(x, y, 160, 320);
    let dLng = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dLng += waves(x, x, 150, 300);
    const rad = (lat / 180) * Math.PI;
    const magic = 1 - KRASOVSKY_EE * Math.sin(rad) * Math.sin(rad);
    const root = Math.sqrt(magic);
    dLat = (dLat * 180) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * root)) * Math.PI);
    dLng = (dLng * 180) / ((KRASOVSKY_A / root) * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }

  function fromGcj(lat, lng) {
    let wgs = [lat, lng];
    for (let i = 0; i < 6; i += 1) {
      const shifted = toGcj(wgs[0], wgs[1]);
      wgs = [wgs[0] + lat - shifted[0], wgs[1] + lng - shifted[1]];
    }
    return wgs;
  }

  const MERCATOR = L.Projection.SphericalMercator;
  const GCJ02 = L.extend({}, L.CRS.EPSG3857, {
    code: "GCJ02",
    projection: {
      bounds: MERCATOR.bounds,
      project: (latlng) => MERCATOR.project(L.latLng(toGcj(latlng.lat, latlng.lng))),
      unproject: (point) => {
        const shown = MERCATOR.unproject(point);
        return L.latLng(fromGcj(shown.lat, shown.lng));
      },
    },
  });

  function create(node, config, options) {
    const settings = options || {};
    const crs = config.tileCrs === "gcj02" ? GCJ02 : L.CRS.EPSG3857;
    const mapOptions = Object.assign({}, settings.map || { preferCanvas: true }, { crs });
    const map = L.map(node, mapOptions).setView(DONGHAI, 10);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "", maxZoom: 19 }).addTo(map);
    } else if (settings.markNoTiles !== false) {
      node.classList.add("no-tiles");
    }
    if (map.attributionControl) map.attributionControl.setPrefix(false);
    return map;
  }

  function features(url) {
    return fetch(url, JSON_REQUEST)
      .then((response) => (response.ok ? response.json() : { features: [] }))
      .then((collection) => collection.features || []);
  }

  const OUTLINE = { color: "#90a4ae", weight: 0.5, opacity: 0.6, fillOpacity: 0.03 };

  function outlines(map, url, style) {
    return features(url).then((found) => {
      if (!found.length) return null;
      const layer = L.geoJSON({ type: "FeatureCollection", features: found }, {
        style: Object.assign({}, OUTLINE, style || {}),
        interactive: false,
      }).addTo(map);
      layer.bringToBack();
      return layer;
    });
  }

  function getJson(url) {
    return fetch(url, JSON_REQUEST).then((response) =>
      response
        .json()
        .catch(() => ({}))
        .then((body) => {
          if (!response.ok) {
            throw new Error(body.detail || `HTTP ${response.status}`);
          }
          return body;
        }),
    );
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

  window.zhiliMap = { create, features, outlines, getJson, pointPicker, toGcj, fromGcj };
})();
