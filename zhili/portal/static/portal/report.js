/* The citizen's report form: pick the place on a map (township outlines drawn from the
 * public outlines JSON, tiles when the platform has a tile server), optionally from the
 * phone's position; at most N photos; one submission per tap. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("report-map-config").textContent);
  const form = document.getElementById("report-form");
  const mapNode = document.getElementById("report-map");
  const label = document.getElementById("point-label");
  const photos = document.getElementById("id_photos");
  const photosNote = document.getElementById("photos-note");
  const photosCount = document.getElementById("photos-count");
  const submit = document.getElementById("report-submit");

  const map = zhiliMap.create(mapNode, config, { map: {}, markNoTiles: false });
  const picker = zhiliMap.pointPicker(map, {
    radius: 8,
    onChange: (latlng, text) => {
      label.textContent = latlng ? `已选位置 ${text}` : "未在地图上选点";
    },
  });

  const locate = document.getElementById("point-locate");
  if (!navigator.geolocation) {
    locate.hidden = true;
  }
  locate.addEventListener("click", () => {
    label.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const here = L.latLng(position.coords.latitude, position.coords.longitude);
        picker.set(here);
        map.setView(here, 16);
      },
      () => { label.textContent = "无法获取您的位置，请在地图上点选或填写地址"; },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });
  if (picker.initial) {
    picker.set(picker.initial);
    map.setView(picker.initial, 14);
  }

  zhiliMap.features(config.outlinesUrl)
    .then((features) => {
      if (features.length) {
        const layer = L.geoJSON({ type: "FeatureCollection", features }, {
          style: { color: "#c62828", weight: 1, opacity: 0.5, fillColor: "#ffcdd2", fillOpacity: 0.08 },
          interactive: false,
          onEachFeature: (feature, shape) => {
            if (feature.properties.name) {
              shape.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "township-label" });
            }
          },
        }).addTo(map);
        if (!picker.placed()) {
          map.fitBounds(layer.getBounds(), { padding: [4, 4], animate: false });
        }
      }
      mapNode.dataset.loaded = "true";
    })
    .catch(() => { mapNode.dataset.loaded = "error"; });

  photos.addEventListener("change", () => {
    const max = Number(photos.dataset.max);
    if (photos.files.length > max) {
      photos.value = "";
      photosNote.textContent = `最多选择${max}张照片，请重新选择`;
    }
    photosCount.textContent = photos.files.length ? `已选择 ${photos.files.length} 张` : "未选择";
  });

  // Township names only when zoomed in enough to read them.
  function labels() {
    mapNode.classList.toggle("hide-labels", map.getZoom() < 11);
  }
  map.on("zoomend", labels);
  labels();

  form.addEventListener("submit", () => {
    // One case per tap: a second tap while the first is on its way would be refused anyway.
    window.setTimeout(() => { submit.disabled = true; submit.textContent = "正在提交…"; }, 0);
  });

  // For tests and the console.
  window.zhiliReportMap = { map, setPoint: (a, b) => picker.set(L.latLng(a, b)) };
})();
