/* The big screen (大屏): draws itself from the screen's summary and layers
 * (GET /api/v1/screen/summary, /layers), asks again every config.refreshSeconds, re-reads the
 * figures after a case update (at most once per config.refreshSeconds / 3), and moves a force's
 * marker on each "forces.position" message of the page's socket (web/live.js, "zhili:live").
 * It runs for days: every chart, layer and list is made once and refilled in place; nothing is
 * appended without the old content being replaced, and the force markers are one per force. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("screen-config").textContent);
  const query = `?org=${encodeURIComponent(config.org)}`;
  const SOURCE_COLOURS = ["#4fc3f7", "#ef5350", "#9ccc65", "#ffb74d"];
  const STATUS_COLOURS = {
    idle: "#66bb6a", dispatched: "#ffa726", en_route: "#42a5f5",
    on_scene: "#ab47bc", handling: "#ef5350", offline: "#9e9e9e",
  };
  const TEXT = "#cfe8ff";
  const AXIS = { axisLine: { lineStyle: { color: "#3a5a7a" } }, axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: "#1d3450" } } };

  // Autosubmit of the chooser (no inline handlers: CSP).
  document.querySelectorAll("[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  const clock = document.getElementById("screen-clock");
  function tick() {
    clock.textContent = new Date().toLocaleString("zh-CN", { hour12: false });
  }
  tick();
  setInterval(tick, 1000);

  function text(node, value) {
    node.textContent = value === null || value === undefined ? "—" : String(value);
  }
  function percent(rate) {
    return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
  }
  // Replace a list's rows by `items` (built by `make`), or one "none" row.
  function fill(node, items, make, none) {
    const rows = items.length ? items.map(make) : [none()];
    node.replaceChildren(...rows);
  }
  function row(...cells) {
    const li = document.createElement("li");
    cells.forEach((cell) => {
      const span = document.createElement("span");
      if (cell.className) span.className = cell.className;
      span.textContent = cell.text;
      li.appendChild(span);
    });
    return li;
  }
  function noneRow(message) {
    return () => row({ text: message, className: "muted" });
  }

  const trends = echarts.init(document.getElementById("chart-trends"), null, { renderer: "canvas" });
  const hot = echarts.init(document.getElementById("chart-hot"), null, { renderer: "canvas" });
  window.addEventListener("resize", () => { trends.resize(); hot.resize(); });

  function drawTrends(data) {
    trends.setOption({
      animation: false,
      color: SOURCE_COLOURS,
      grid: { left: 40, right: 12, top: 30, bottom: 24 },
      legend: { top: 0, textStyle: { color: TEXT } },
      tooltip: { trigger: "axis" },
      xAxis: Object.assign({ type: "category", data: data.days.map((d) => d.slice(5)) }, AXIS),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: data.series.map((s) => ({ name: s.label, type: "line", smooth: true, symbol: "none", data: s.values })),
    });
  }

  function drawHot(items) {
    const ordered = items.slice().reverse();
    hot.setOption({
      animation: false,
      grid: { left: 110, right: 70, top: 8, bottom: 20 },
      tooltip: { trigger: "axis" },
      xAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      yAxis: Object.assign({ type: "category", data: ordered.map((c) => c.category) }, AXIS),
      series: [{
        type: "bar",
        data: ordered.map((c) => c.this_week),
        itemStyle: { color: "#29b6f6" },
        label: {
          show: true, position: "right", color: TEXT,
          formatter: (p) => {
            const change = ordered[p.dataIndex].change;
            if (change === null) return `${p.value} 新增`;
            return `${p.value} ${change >= 0 ? "↑" : "↓"}${Math.abs(change * 100).toFixed(0)}%`;
          },
        },
      }],
    }, { replaceMerge: ["series", "yAxis"] });
  }

  function drawSummary(data) {
    Object.entries(data.kpi).forEach(([key, value]) => {
      const node = document.querySelector(`[data-kpi="${key}"]`);
      if (node) text(node, value);
    });
    drawTrends(data.trends);
    drawHot(data.hot_categories);
    fill(document.getElementById("warnings"), data.warnings, (w) =>
      row({ text: w.card_label, className: `card-${w.card}` }, { text: w.case_no }, { text: w.title }),
      noneRow("暂无红黄牌预警"));
    fill(document.getElementById("ranking"), data.ranking, (u) => {
      const tr = document.createElement("tr");
      [u.name, u.closed, percent(u.closed_on_time_rate), percent(u.satisfaction_rate)].forEach((v) => {
        const td = document.createElement("td");
        td.textContent = String(v);
        tr.appendChild(td);
      });
      return tr;
    }, () => {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = 4;
      td.className = "muted";
      td.textContent = "近30日暂无办结";
      tr.appendChild(td);
      return tr;
    });
    const panels = data.panels || {};
    if (panels.disputes_petitions) {
      text(document.getElementById("disputes"), panels.disputes_petitions.disputes);
      text(document.getElementById("petitions"), panels.disputes_petitions.petitions);
    }
    if (panels.early_warnings && panels.early_warnings.levels) {
      const w = panels.early_warnings;
      const counts = w.levels.map((l) => `${l.label.slice(0, 2)} ${l.count}`).join(" · ");
      const rows = [row({ text: "未答复预警" }, { text: counts, className: "warning-counts" })];
      w.newest.forEach((n) => rows.push(row({ text: n.label, className: `warning-${n.level}` }, { text: n.unit }, { text: n.title })));
      document.getElementById("warnings").prepend(...rows);
    }
    if (panels.reception) {
      const r = panels.reception;
      const rows = r.leaders.map((l) => row({ text: l.leader }, { text: l.place }, { text: l.hours }));
      rows.push(row({ text: "今日已接待" }, { text: `${r.received} 批次` }));
      document.getElementById("reception").replaceChildren(...rows);
      if (!r.leaders.length) document.getElementById("reception").prepend(noneRow("今日无领导接访安排")());
    }
    if (panels.forces) {
      const f = panels.forces;
      const rows = f.statuses.map((s) => row({ text: s.label }, { text: `${s.count} 人` }));
      rows.unshift(row({ text: "力量总数" }, { text: `${f.total} 人` }), row({ text: "定位超时" }, { text: `${f.stale} 人`, className: "muted" }));
      document.getElementById("forces").replaceChildren(...rows);
    }
    if (panels.video) drawVideo(panels.video);
    document.getElementById("screen").dataset.loaded = data.generated_at;
  }

  // The video tiles (2 on one screen, 4 on the wall): a slot whose camera changed, or whose
  // stream failed, opens again on the next read; the others keep playing untouched.
  const players = Array.from(document.querySelectorAll(".video-slot .player"), (tile) => new window.ZhiliPlayer(tile));
  function drawVideo(video) {
    const tiles = (video.tiles || []).slice(0, players.length);
    const screenNode = document.getElementById("screen");
    const hidden = !tiles.length;
    if (screenNode.classList.contains("no-video") !== hidden) {
      screenNode.classList.toggle("no-video", hidden);
      document.querySelector("[data-panel=video]").hidden = hidden;
      map.invalidateSize();
    }
    players.forEach((player, i) => {
      const tile = tiles[i];
      const label = player.tile.querySelector(".player-label");
      if (!tile) {
        if (player.code) { player.stop(); player.code = null; }
        player.show("暂无更多在线点位", "idle");
        label.textContent = "";
        return;
      }
      label.textContent = `${tile.name} · ${tile.reason}`;
      if (player.code !== tile.code || player.tile.dataset.state === "failed") player.play(tile.code, "sub");
    });
  }

  // The map and its layers: made once, refilled on each read.
  const map = window.zhiliMap.create(document.getElementById("screen-map"), config, { map: { preferCanvas: true, zoomControl: false } });
  const layers = {
    heat: L.layerGroup().addTo(map),
    red_cards: L.layerGroup().addTo(map),
    cameras: L.layerGroup().addTo(map),
    forces: L.layerGroup().addTo(map),
    incidents: L.layerGroup().addTo(map),
  };
  L.control.layers(null, {
    "案件热力（近7日）": layers.heat,
    "红牌案件": layers.red_cards,
    "监控点位": layers.cameras,
    "处置力量": layers.forces,
    "指挥事件": layers.incidents,
  }, { collapsed: false }).addTo(map);
  // The areas: the units one level down with their names (区划边界, 示意 until the official
  // file is uploaded), and on a township's or a village's screen its grids under them.
  const drawGrids = () => window.zhiliMap.outlines(map, config.gridsUrl, { color: "#2b6a99", weight: 0.6, fillColor: "#0d47a1", fillOpacity: 0.12 });
  window.zhiliMap.outlines(map, config.boundariesUrl, { color: "#4fc3f7", weight: 1.6, fillColor: "#0d47a1", fillOpacity: 0.1 })
    .then((boundaries) => Promise.all([config.gridsUnderAreas || !boundaries ? drawGrids() : null, boundaries]))
    .then(([grids, boundaries]) => {
      const outline = boundaries || grids;
      if (outline) map.fitBounds(outline.getBounds(), { padding: [10, 10] });
      if (!boundaries) return;
      boundaries.bringToBack(); // above the grids, under every point
      if (grids) grids.bringToBack();
      let schematic = false;
      boundaries.eachLayer((area) => {
        const p = area.feature.properties;
        schematic = schematic || p.source === "schematic";
        area.bindTooltip(p.name, { permanent: true, direction: "center", className: "area-label" });
      });
      document.getElementById("screen-map").dataset.areas = String(boundaries.getLayers().length);
      document.getElementById("areas-note").hidden = !schematic;
    }).catch((error) => console.warn("区划边界读取失败", error.message));

  const forceMarkers = new Map(); // force code -> circle marker, one per force
  function forceStyle(status, stale) {
    const colour = stale ? "#9e9e9e" : STATUS_COLOURS[status] || "#26c6da";
    return { radius: 6, color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 0.95 };
  }
  function placeForce(f) {
    let marker = forceMarkers.get(f.code);
    if (!marker) {
      marker = L.circleMarker([f.lat, f.lng], forceStyle(f.status, f.stale)).addTo(layers.forces);
      marker.bindTooltip(f.label || f.code);
      forceMarkers.set(f.code, marker);
    } else {
      marker.setLatLng([f.lat, f.lng]);
      marker.setStyle(forceStyle(f.status, f.stale));
      if (f.label) marker.setTooltipContent(f.label);
    }
    document.getElementById("screen-map").dataset.lastForce = `${f.code}@${f.lat.toFixed(5)},${f.lng.toFixed(5)}`;
  }
  function drawLayers(data) {
    layers.heat.clearLayers();
    data.heat.forEach((p) => L.circleMarker([p.lat, p.lng], { radius: 9, stroke: false, fillColor: "#ff7043", fillOpacity: 0.22, interactive: false }).addTo(layers.heat));
    layers.red_cards.clearLayers();
    data.red_cards.forEach((c) => L.circleMarker([c.lat, c.lng], { radius: 7, color: "#fff", weight: 1, fillColor: "#e53935", fillOpacity: 1 }).bindTooltip(c.label).addTo(layers.red_cards));
    layers.cameras.clearLayers();
    data.cameras.forEach((c) => L.circleMarker([c.lat, c.lng], { radius: 4, color: "#80deea", weight: 1, fillColor: "#006064", fillOpacity: 1 }).bindTooltip(c.label).addTo(layers.cameras));
    layers.incidents.clearLayers();
    (data.incidents || []).forEach((i) => L.circleMarker([i.lat, i.lng], { radius: 11, color: "#ffeb3b", weight: 3, fillColor: "#d50000", fillOpacity: 0.85 }).bindTooltip(i.label).addTo(layers.incidents));
    const seen = new Set();
    data.forces.forEach((f) => { seen.add(f.code); placeForce(f); });
    forceMarkers.forEach((marker, code) => {
      if (!seen.has(code)) { layers.forces.removeLayer(marker); forceMarkers.delete(code); }
    });
    const counts = Object.entries(data).map(([k, v]) => `${k}:${v.length}`).join(" ");
    document.getElementById("screen-map").dataset.layers = counts;
  }

  function readSummary() {
    return window.zhiliMap.getJson(config.summaryUrl + query).then(drawSummary).catch((error) => console.warn("大屏数据读取失败", error.message));
  }
  function readLayers() {
    return window.zhiliMap.getJson(config.layersUrl + query).then(drawLayers).catch((error) => console.warn("大屏图层读取失败", error.message));
  }

  readSummary();
  readLayers();
  const every = Math.max(5, config.refreshSeconds) * 1000;
  setInterval(readSummary, every);
  setInterval(readLayers, every * 2);

  // A case update re-reads the figures, at most once per a third of the refresh period.
  let pending = null;
  let lastRead = 0;
  document.addEventListener("zhili:case-update", () => {
    if (pending) return;
    const wait = Math.max(0, lastRead + every / 3 - Date.now());
    pending = setTimeout(() => { pending = null; lastRead = Date.now(); readSummary(); }, wait);
  });
  // An incident opened, dispatched to or closed re-reads the layers, throttled the same way.
  let layersPending = null;
  document.addEventListener("zhili:live", (event) => {
    if ((event.detail || {}).type !== "incident.update" || layersPending) return;
    // The layers, and the summary whose video tiles turn to the incident's cameras.
    layersPending = setTimeout(() => { layersPending = null; readLayers(); readSummary(); }, every / 3);
  });
  document.addEventListener("zhili:live", (event) => {
    const message = event.detail || {};
    if (message.type !== "forces.position" || typeof message.lat !== "number") return;
    const known = forceMarkers.get(message.code);
    placeForce({
      code: message.code,
      lat: message.lat,
      lng: message.lng,
      status: message.status,
      stale: false,
      label: known ? null : message.code,
    });
  });
})();
