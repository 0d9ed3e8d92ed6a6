// The incident's desk page: the map (incident, 1/3/5-minute rings, nearest available forces,
// cameras nearby), one-click 派遣 through the kernel's action path, the note/decide/close
// buttons, and the page's lower half (tasks, dispatches, timeline) fetched again whenever the
// server pushes an `incident.update` of this incident (a handheld's 接收/到场/完成).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("incident-config").textContent);
  const node = document.getElementById("incident-map");
  const map = window.zhiliMap ? window.zhiliMap.create(node, config, { map: { zoomControl: true } }) : null;
  const here = [config.lat, config.lng];
  let forceLayer = null;

  // Points stay WGS84: on a GCJ-02 basemap the map's own CRS moves them for display.
  function place(lat, lng) {
    return [lat, lng];
  }

  if (map) {
    window.zhiliMap.outlines(map, config.gridsUrl).catch(function () {});
    const centre = place(config.lat, config.lng);
    const colours = ["#c62828", "#ef6c00", "#f9a825"];
    config.rings.forEach(function (ring, index) {
      L.circle(centre, {
        radius: ring.radius, color: colours[index % colours.length], weight: 2, fill: false, dashArray: "6 4",
      }).bindTooltip(ring.minutes + " 分钟").addTo(map);
    });
    L.circleMarker(centre, { radius: 9, color: "#fff", weight: 3, fillColor: "#c62828", fillOpacity: 1 })
      .bindTooltip(config.title, { permanent: true, direction: "top", offset: [0, -10] }).addTo(map);
    config.cameras.forEach(function (camera) {
      if (camera.lat === null) return;
      L.circleMarker(place(camera.lat, camera.lng), { radius: 5, color: "#1565c0", fillOpacity: 0.8 })
        .bindTooltip("监控：" + camera.name).addTo(map);
    });
    const widest = config.rings.length ? config.rings[config.rings.length - 1].radius : 1000;
    map.fitBounds(L.latLng(centre).toBounds(widest * 2.2));
    forceLayer = L.layerGroup().addTo(map);
  }

  function minutes(seconds) {
    return seconds < 60 ? seconds + " 秒" : Math.round(seconds / 60) + " 分钟";
  }

  function metres(value) {
    return value < 1000 ? Math.round(value) + " 米" : (value / 1000).toFixed(1) + " 公里";
  }

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function showError(text) {
    const box = document.getElementById("dispatch-error");
    if (box) box.textContent = text || "";
  }

  function dispatch(force, button) {
    button.disabled = true;
    window.ZhiliApi.post(config.actionUrl + "dispatch", { force: force.force })
      .then(function () { showError(""); refresh(); })
      .catch(function (error) { button.disabled = false; showError(error.message); });
  }

  function loadNearest() {
    const rows = document.getElementById("nearest-rows");
    if (!rows || !config.mayDispatch) return;
    window.zhiliMap.getJson(config.nearestUrl + "?limit=5").then(function (found) {
      rows.textContent = "";
      if (forceLayer) forceLayer.clearLayers();
      if (!found.length) {
        const tr = document.createElement("tr");
        cell(tr, "附近没有在岗空闲、定位未过期的力量").colSpan = 5;
        rows.appendChild(tr);
      }
      found.forEach(function (force) {
        const tr = document.createElement("tr");
        tr.dataset.testid = "nearest-" + force.force;
        cell(tr, force.name);
        cell(tr, force.team);
        cell(tr, metres(force.distance_m));
        cell(tr, minutes(force.eta_s));
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button small primary";
        button.textContent = "派遣";
        button.dataset.testid = "dispatch-" + force.force;
        button.addEventListener("click", function () { dispatch(force, button); });
        cell(tr, "").appendChild(button);
        rows.appendChild(tr);
        if (forceLayer && force.lat !== undefined) {
          L.circleMarker(place(force.lat, force.lng), { radius: 6, color: "#2e7d32", fillOpacity: 0.9 })
            .bindTooltip(force.name + " " + metres(force.distance_m)).addTo(forceLayer);
        }
      });
    }).catch(function (error) { showError(error.message); });
  }

  // The lower half of the page again (tasks, dispatches, timeline), from the page itself.
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("incident-body");
        const body = document.getElementById("incident-body");
        if (fresh && body) { body.replaceWith(fresh); bindNotes(); }
      });
    loadNearest();
  }

  function bindNotes() {
    const form = document.querySelector("[data-incident-note]");
    if (!form) return;
    form.querySelectorAll("[data-note-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        const action = button.dataset.noteAction;
        if (action === "close" && !window.confirm("确认结束处置？")) return;
        const note = form.elements.note.value;
        window.ZhiliApi.post(config.actionUrl + action, { note: note })
          .then(function () { if (action === "close") window.location.reload(); else refresh(); })
          .catch(function (error) { window.alert(error.message); });
      });
    });
  }

  document.addEventListener("zhili:live", function (event) {
    const message = event.detail || {};
    if (message.type === "incident.update" && message.number === config.number) refresh();
  });

  // Replay (回放): the dispatched forces' tracks and the timeline's steps from the opening to
  // the end (or now), at ×1 … ×60 real time.
  const replay = { data: null, steps: [], at: 0, timer: null, layer: null, markers: {} };

  function replayTime(fraction) {
    const start = Date.parse(replay.data.start);
    return start + (Date.parse(replay.data.end) - start) * fraction;
  }

  function fixAt(track, t) {
    let found = null;
    for (const fix of track) {
      if (Date.parse(fix[0]) > t) break;
      found = fix;
    }
    return found;
  }

  function drawReplay(fraction) {
    const t = replayTime(fraction);
    document.getElementById("replay-clock").textContent = new Date(t).toLocaleTimeString("zh-CN");
    const past = replay.steps.filter(function (step) { return Date.parse(step.at) <= t; });
    const last = past[past.length - 1];
    document.getElementById("replay-event").textContent = last ? last.label + (last.note ? "：" + last.note : "") : "";
    if (!map) return;
    Object.entries(replay.data.tracks).forEach(function ([code, track]) {
      const fix = fixAt(track, t);
      const marker = replay.markers[code];
      if (!fix) { if (marker) { replay.layer.removeLayer(marker); delete replay.markers[code]; } return; }
      const spot = place(fix[1], fix[2]);
      if (marker) marker.setLatLng(spot);
      else replay.markers[code] = L.circleMarker(spot, { radius: 7, color: "#6a1b9a", fillOpacity: 0.9 })
        .bindTooltip(replay.data.names[code] || code, { permanent: true, direction: "right" }).addTo(replay.layer);
    });
  }

  function stopReplay() {
    clearInterval(replay.timer);
    replay.timer = null;
    document.getElementById("replay-play").textContent = "▶ 回放";
  }

  function startReplay() {
    const slider = document.getElementById("replay-slider");
    const span = Date.parse(replay.data.end) - Date.parse(replay.data.start);
    if (span <= 0) return;
    if (Number(slider.value) >= 1000) slider.value = 0;
    document.getElementById("replay-play").textContent = "❚❚ 暂停";
    const tick = 200;
    replay.timer = setInterval(function () {
      const speed = Number(document.getElementById("replay-speed").value) || 1;
      const next = Number(slider.value) + (tick * speed * 1000) / span;
      slider.value = Math.min(next, 1000);
      drawReplay(slider.value / 1000);
      if (next >= 1000) stopReplay();
    }, tick);
  }

  function loadReplay() {
    return Promise.all([window.zhiliMap.getJson(config.replayUrl), window.zhiliMap.getJson(config.timelineUrl)])
      .then(function ([data, steps]) {
        replay.data = data;
        replay.steps = steps;
        if (map && !replay.layer) replay.layer = L.layerGroup().addTo(map);
      });
  }

  const playButton = document.getElementById("replay-play");
  if (playButton) {
    playButton.addEventListener("click", function () {
      if (replay.timer) return stopReplay();
      (replay.data ? Promise.resolve() : loadReplay()).then(startReplay);
    });
    document.getElementById("replay-slider").addEventListener("input", function (event) {
      (replay.data ? Promise.resolve() : loadReplay()).then(function () { drawReplay(event.target.value / 1000); });
    });
  }

  bindNotes();
  loadNearest();
})();
