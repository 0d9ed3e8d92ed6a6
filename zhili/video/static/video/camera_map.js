/* The camera map: every placed camera in the user's sight, from the page's one compact JSON
 * ([code, name, kind, status, lat, lng] rows), clustered by leaflet.markercluster. A marker's
 * colour is its kind; an offline camera is grey inside a ring of that colour. A cluster shows its
 * count inside a ring whose green share is the share of its cameras online. A click on
 * a camera opens a popup that plays it when online, with a link to its single view (单画面). Kind and status filters work on the loaded
 * rows. Configuration comes from the page (json_script "camera-map-config"). */
(function () {
  "use strict";

  const started = performance.now();
  const config = JSON.parse(document.getElementById("camera-map-config").textContent);
  const mapNode = document.getElementById("camera-map");
  const count = document.getElementById("camera-map-count");
  const filter = document.getElementById("camera-map-filter");
  const summary = document.getElementById("camera-map-summary");
  const CODE = 0, NAME = 1, KIND = 2, STATUS = 3, LAT = 4, LNG = 5;
  const MARKER_SIZE = 14;

  const icons = {};
  let entries = []; // {row, marker}
  let unplaced = 0;
  let drawing = null; // {done}: what to do once the clusters are in
  const timing = {};

  // The clusters need the map's deepest zoom, which a tile layer gives when there is one.
  const map = zhiliMap.create(mapNode, config, { map: { preferCanvas: true, maxZoom: 18 } });
  // All markers in one go: a few thousand take a few hundred milliseconds, and chunked loading
  // would add a pause after every 200 ms of work (chunkDelay) to the time until drawn.
  const clusters = L.markerClusterGroup({
    chunkedLoading: false,
    chunkProgress: onChunk,
    showCoverageOnHover: false,
    maxClusterRadius: 56,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon,
  }).addTo(map);

  function kindOf(row) {
    return config.kinds[row[KIND]] || { label: row[KIND], colour: "#607d8b" };
  }

  function iconFor(kind, status) {
    const key = `${kind}:${status}`;
    if (!icons[key]) {
      const colour = (config.kinds[kind] || {}).colour || "#607d8b";
      const online = status === "online";
      const style = online
        ? `background:${colour};border-color:#fff`
        : `background:${config.offlineFill};border-color:${colour}`;
      icons[key] = L.divIcon({
        className: `camera-marker ${online ? "online" : "offline"}`,
        html: `<span style="${style}"></span>`,
        iconSize: [MARKER_SIZE, MARKER_SIZE],
        popupAnchor: [0, -MARKER_SIZE / 2],
      });
    }
    return icons[key];
  }

  // A cluster: its count on a dark disc, in a ring whose green share is the share online.
  function clusterIcon(cluster) {
    const children = cluster.getAllChildMarkers();
    let online = 0;
    for (const marker of children) {
      if (marker.options.status === "online") {
        online += 1;
      }
    }
    const n = children.length;
    const share = Math.round((online / n) * 100);
    const size = n < 100 ? 36 : n < 1000 ? 42 : 48;
    const ring = `background:conic-gradient(#43a047 0 ${share}%, #9e9e9e ${share}% 100%)`;
    return L.divIcon({
      html: `<span class="ring" style="${ring}" title="在线 ${online} / 共 ${n}"><span class="count">${n}</span></span>`,
      className: "camera-cluster",
      iconSize: [size, size],
    });
  }

  function popupContent(row) {
    const box = document.createElement("div");
    box.className = "camera-popup";
    box.dataset.testid = "camera-popup";
    const name = document.createElement("strong");
    name.textContent = row[NAME];
    const kind = document.createElement("div");
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.style.background = kindOf(row).colour;
    kind.append(dot, `${kindOf(row).label} · ${config.statuses[row[STATUS]] || row[STATUS]}`);
    const code = document.createElement("div");
    code.className = "mono muted small";
    code.textContent = row[CODE];
    const play = document.createElement("a");
    play.className = "button primary small";
    play.href = config.detailUrl.replace("CODE", row[CODE]);
    play.textContent = "单画面";
    play.dataset.testid = "popup-play";
    box.append(name, kind, code);
    if (row[STATUS] === "online" && window.ZhiliPlayer) {
      // An online camera plays in the popup at once (its sub stream), until the popup closes.
      const tile = document.createElement("div");
      tile.className = "player popup-player";
      tile.dataset.testid = "popup-player";
      tile.innerHTML = '<video muted autoplay playsinline></video><div class="player-state" data-player-state></div>';
      box.append(tile);
    }
    box.append(play);
    return box;
  }

  function playIn(marker, row) {
    marker.on("popupopen", (event) => {
      const tile = event.popup.getElement().querySelector(".popup-player");
      if (!tile) return;
      marker.player = new window.ZhiliPlayer(tile);
      marker.player.play(row[CODE], "sub");
    });
    marker.on("popupclose", () => {
      if (marker.player) marker.player.stop();
      marker.player = null;
    });
  }

  function makeMarker(row) {
    const marker = L.marker([row[LAT], row[LNG]], {
      icon: iconFor(row[KIND], row[STATUS]),
      title: row[NAME],
      status: row[STATUS],
      keyboard: false,
    });
    marker.bindPopup(() => popupContent(row), { minWidth: 180, maxWidth: 340 });
    playIn(marker, row);
    return marker;
  }

  function chosen(name) {
    return new Set(Array.from(filter.querySelectorAll(`input[name=${name}]:checked`), (i) => i.value));
  }

  // markercluster reports progress after adding, chunked or not: the last report ends a draw.
  function onChunk(processed, total) {
    if (drawing && processed >= total) {
      const finish = drawing.done;
      drawing = null;
      finish();
    }
  }

  function draw(done) {
    const kinds = chosen("kind");
    const statuses = chosen("status");
    const shown = entries.filter((e) => kinds.has(e.row[KIND]) && statuses.has(e.row[STATUS]));
    clusters.clearLayers();
    drawing = { done: () => after(shown, done) };
    clusters.addLayers(shown.map((e) => e.marker));
    if (!shown.length) {
      onChunk(0, 0);
    }
  }

  function after(shown, done) {
    const online = shown.filter((e) => e.row[STATUS] === "online").length;
    count.textContent = `地图上 ${shown.length} 个点位（在线 ${online}）` +
      (unplaced ? `，另有 ${unplaced} 个未标注位置` : "");
    if (done) {
      done();
    }
  }

  function summarise() {
    const byKind = {};
    for (const { row } of entries) {
      const tally = byKind[row[KIND]] || (byKind[row[KIND]] = { online: 0, total: 0 });
      tally.total += 1;
      tally.online += row[STATUS] === "online" ? 1 : 0;
    }
    summary.replaceChildren();
    for (const [code, kind] of Object.entries(config.kinds)) {
      const tally = byKind[code] || { online: 0, total: 0 };
      const row = document.createElement("div");
      const dt = document.createElement("dt");
      dt.textContent = kind.label;
      const dd = document.createElement("dd");
      dd.textContent = `在线 ${tally.online} / 共 ${tally.total}`;
      row.append(dt, dd);
      summary.append(row);
    }
  }

  function load() {
    zhiliMap.getJson(config.pointsUrl)
      .then((body) => {
        timing.fetched = performance.now() - started;
        unplaced = body.unplaced || 0;
        entries = body.cameras.map((row) => ({ row, marker: makeMarker(row) }));
        summarise();
        draw(() => {
          if (entries.length) {
            const bounds = L.latLngBounds(entries.map((e) => [e.row[LAT], e.row[LNG]]));
            map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16, animate: false });
          } else {
            count.textContent = "您的可见范围内暂无已标注位置的监控点位";
          }
          // The clusters are drawn once the browser has painted the frame after adding them.
          requestAnimationFrame(() => requestAnimationFrame(() => {
            timing.drawn = performance.now() - started;
            timing.fromNavigation = performance.now();
            mapNode.dataset.loaded = "true";
          }));
        });
      })
      .catch(() => {
        count.textContent = "监控点位加载失败，请刷新页面重试";
        count.classList.add("form-error");
      });
  }

  filter.addEventListener("change", () => draw());
  filter.addEventListener("submit", (event) => event.preventDefault());

  // For tests, the benchmark and the browser console.
  window.zhiliCameraMap = {
    map,
    clusters,
    timing,
    markerOf(code) {
      const entry = entries.find((e) => e.row[CODE] === code);
      return entry ? entry.marker : null;
    },
  };

  load();
})();
