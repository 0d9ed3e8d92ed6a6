/* The desk page 处置力量: every force in the user's sight from GET /api/v1/forces (all its keyset
 * pages), drawn on the map (a dot coloured by status, grey when its position is stale) and
 * listed (team, status, time of the last position; stale rows greyed). Filters by team and
 * status go to the API; the data is asked for again every config.refreshSeconds, and a position
 * pushed live moves its marker at once. The county's grids are drawn under it. The map keeps
 * every force in view until the user drags or zooms it (or picks a row). */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("forces-config").textContent);
  const filter = document.getElementById("forces-filter");
  const rowsNode = document.getElementById("forces-rows");
  const count = document.getElementById("forces-count");
  const updated = document.getElementById("forces-updated");
  const map = zhiliMap.create(document.getElementById("forces-map"), config, { map: { maxZoom: 18 } });
  const layer = L.layerGroup().addTo(map);
  const markers = {}; // code -> marker
  const PAGE = 200;
  const SIZE = 14;
  let followed = true; // the map keeps every force in view until the user moves it
  let timer = null;

  for (const dot of document.querySelectorAll("[data-status-dot]")) {
    const status = config.statuses[dot.dataset.statusDot];
    if (status) dot.style.background = status.colour;
  }

  function statusOf(force) {
    return config.statuses[force.status] || { label: force.status_label, colour: "#00838f" };
  }

  function colourOf(force) {
    return force.stale ? config.staleFill : statusOf(force).colour;
  }

  function when(iso) {
    if (!iso) return "从未定位";
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  async function fetchAll() {
    const params = new URLSearchParams(new FormData(filter));
    params.set("limit", String(PAGE));
    const forces = [];
    let cursor = "";
    do {
      if (cursor) params.set("cursor", cursor);
      const page = await zhiliMap.getJson(`${config.forcesUrl}?${params}`);
      forces.push(...page.items);
      cursor = page.next_cursor || "";
    } while (cursor);
    return forces;
  }

  function popup(force) {
    const box = document.createElement("div");
    const title = document.createElement("b");
    title.textContent = force.name;
    const line = document.createElement("div");
    line.textContent = `${config.teams[force.team] || force.team} · ${force.status_label}${force.stale ? "（定位过时）" : ""}`;
    const time = document.createElement("div");
    time.textContent = `最近定位 ${when(force.at)}`;
    box.append(title, line, time);
    return box;
  }

  function icon(force) {
    return L.divIcon({
      className: `force-marker${force.stale ? " stale" : ""}`,
      html: `<span style="background:${colourOf(force)}"></span>`,
      iconSize: [SIZE, SIZE],
      popupAnchor: [0, -SIZE / 2],
    });
  }

  function drawMarkers(forces) {
    const seen = new Set();
    for (const force of forces) {
      if (force.lat === null || force.lng === null) continue;
      seen.add(force.code);
      let marker = markers[force.code];
      if (!marker) {
        marker = markers[force.code] = L.marker([force.lat, force.lng], { title: force.name }).addTo(layer);
      } else {
        marker.setLatLng([force.lat, force.lng]);
      }
      marker.setIcon(icon(force));
      marker.bindPopup(() => popup(force));
      const node = marker.getElement();
      if (node) {
        node.dataset.testid = `force-marker-${force.code}`;
        node.dataset.lat = String(force.lat);
        node.dataset.lng = String(force.lng);
        node.dataset.status = force.status;
        node.dataset.stale = String(force.stale);
      }
    }
    for (const code of Object.keys(markers)) {
      if (!seen.has(code)) {
        layer.removeLayer(markers[code]);
        delete markers[code];
      }
    }
    const placed = forces.filter((f) => f.lat !== null && f.lng !== null);
    if (!followed || !placed.length) return;
    const bounds = L.latLngBounds(placed.map((f) => [f.lat, f.lng]));
    if (!map.getBounds().contains(bounds)) map.fitBounds(bounds.pad(0.1), { maxZoom: 15 });
  }

  function cell(text, className) {
    const td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  function row(force) {
    const tr = document.createElement("tr");
    tr.dataset.testid = `force-row-${force.code}`;
    tr.dataset.status = force.status;
    tr.dataset.stale = String(force.stale);
    tr.dataset.lat = force.lat === null ? "" : String(force.lat);
    tr.dataset.lng = force.lng === null ? "" : String(force.lng);
    if (force.stale) tr.classList.add("stale");
    const status = document.createElement("span");
    status.className = "status-label";
    status.style.background = force.stale ? "" : statusOf(force).colour;
    status.textContent = force.status_label;
    const statusCell = cell("");
    statusCell.append(status);
    tr.append(cell(force.name), cell(config.teams[force.team] || force.team), statusCell, cell(when(force.at)));
    tr.addEventListener("click", () => {
      const marker = markers[force.code];
      if (marker) {
        followed = false;
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 15));
        marker.openPopup();
      }
    });
    return tr;
  }

  function order(a, b) {
    // Fresh before stale, then by team and name: the forces one can use come first.
    return Number(a.stale) - Number(b.stale) || a.team.localeCompare(b.team) || a.name.localeCompare(b.name, "zh-CN");
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const forces = (await fetchAll()).sort(order);
      drawMarkers(forces);
      rowsNode.replaceChildren(...forces.map(row));
      const fresh = forces.filter((f) => !f.stale).length;
      count.textContent = `共 ${forces.length} 个力量，其中 ${fresh} 个定位正常`;
      updated.textContent = `更新于 ${when(new Date().toISOString()).slice(6)}`;
      updated.classList.remove("error");
    } catch (err) {
      updated.textContent = `刷新失败：${err.message}`;
      updated.classList.add("error");
    }
    timer = setTimeout(refresh, config.refreshSeconds * 1000);
  }

  // A handheld's report pushed over the page's socket (zhili:live, "forces.position") moves its
  // marker at once; the list follows at the next refresh.
  document.addEventListener("zhili:live", (event) => {
    const fix = event.detail;
    const marker = fix.type === "forces.position" ? markers[fix.code] : null;
    if (!marker) return;
    marker.setLatLng([fix.lat, fix.lng]);
    const node = marker.getElement();
    if (node) {
      node.classList.remove("stale");
      node.dataset.lat = String(fix.lat);
      node.dataset.lng = String(fix.lng);
      node.dataset.stale = "false";
    }
  });

  zhiliMap.outlines(map, config.gridsUrl).catch(() => {});
  filter.addEventListener("change", () => {
    followed = true;
    refresh();
  });
  map.on("dragstart", () => (followed = false));
  map.getContainer().addEventListener("wheel", () => (followed = false), { passive: true });
  refresh();
})();
