// A patrol (巡查): start, a GPS point every `data-interval` seconds while the page is open,
// end. Every step goes through the offline queue with its own client id, so a patrol walked
// without network arrives whole, once, when the network returns. The running patrol is kept
// in localStorage, so reloading the page (or reopening the app) carries on recording.
import { enqueue, uuid, currentUser } from "./outbox.js";
import { flushNow, keepScreenOn } from "./app.js";

const panel = document.querySelector("[data-patrol]");
const idle = panel.querySelector("[data-patrol-idle]");
const running = panel.querySelector("[data-patrol-running]");
const statusLine = panel.querySelector("[data-patrol-status]");
const intervalSeconds = Math.max(1, parseInt(panel.dataset.interval, 10) || 30);
const STATE_KEY = `zhili.mobile.patrol.${currentUser()}`;
const R = 6371008.8;

let state = JSON.parse(localStorage.getItem(STATE_KEY) || "null");
let timer = null;
let ticker = null;
let wakeLock = null;

function save() {
  if (state) localStorage.setItem(STATE_KEY, JSON.stringify(state));
  else localStorage.removeItem(STATE_KEY);
}

function metres(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

function draw() {
  idle.hidden = !!state;
  running.hidden = !state;
  if (!state) return;
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(state.startedAt)) / 1000));
  const pad = (n) => String(n).padStart(2, "0");
  panel.querySelector("[data-patrol-elapsed]").textContent =
    `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  panel.querySelector("[data-patrol-distance]").textContent = String(Math.round(state.distance));
  panel.querySelector("[data-patrol-points]").textContent = String(state.seq);
  panel.querySelector("[data-patrol-grid-name]").textContent = `正在巡查：${state.gridName}`;
}

function record() {
  navigator.geolocation.getCurrentPosition(
    async (pos) => {
      if (!state) return;
      const point = {
        id: uuid(),
        seq: state.seq + 1,
        lat: pos.coords.latitude,
        lng: pos.coords.longitude,
        accuracy: Number.isFinite(pos.coords.accuracy) ? pos.coords.accuracy : null,
        at: new Date().toISOString(),
      };
      // The same rule as the server's distance: imprecise fixes do not count.
      if (point.accuracy === null || point.accuracy <= 100) {
        if (state.last) state.distance += metres(state.last, point);
        state.last = { lat: point.lat, lng: point.lng };
      }
      state.seq = point.seq;
      save();
      draw();
      statusLine.textContent = `最近定位 ${new Date().toLocaleTimeString("zh-CN")}`;
      statusLine.classList.remove("bad");
      await enqueue({
        kind: "patrol_points",
        url: `/m/api/patrols/${state.id}/points`,
        label: `巡查轨迹点 #${point.seq}`,
        json: { points: [point] },
      });
      flushNow();
    },
    () => {
      statusLine.textContent = "暂时无法定位，稍后自动重试";
      statusLine.classList.add("bad");
    },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 5000 },
  );
}

async function keepAwake() {
  wakeLock = await keepScreenOn();
}

function track() {
  clearInterval(timer);
  clearInterval(ticker);
  record();
  timer = setInterval(record, intervalSeconds * 1000);
  ticker = setInterval(draw, 1000);
  keepAwake();
  draw();
}

async function start() {
  const select = panel.querySelector("[data-patrol-grid]");
  state = {
    id: uuid(),
    grid: select.value,
    gridName: select.selectedOptions[0].textContent,
    startedAt: new Date().toISOString(),
    seq: 0,
    distance: 0,
    last: null,
  };
  save();
  await enqueue({
    kind: "patrol_start",
    url: "/m/api/patrols",
    label: `开始巡查 ${state.gridName}`,
    json: { id: state.id, grid: state.grid, started_at: state.startedAt },
  });
  flushNow();
  track();
}

async function end() {
  if (!state || !confirm("确定结束本次巡查吗？")) return;
  clearInterval(timer);
  clearInterval(ticker);
  if (wakeLock) wakeLock.release().catch(() => {});
  const ended = state;
  state = null;
  save();
  await enqueue({
    kind: "patrol_end",
    url: `/m/api/patrols/${ended.id}/end`,
    label: `结束巡查 ${ended.gridName}`,
    json: { ended_at: new Date().toISOString(), note: panel.querySelector("[data-patrol-note]").value },
  });
  panel.querySelector("[data-patrol-note]").value = "";
  draw();
  flushNow();
}

// Once an end reaches the server (now, or later when the network returns), show the list
// with the finished patrol's distance and duration.
window.addEventListener("outbox:flushed", (event) => {
  if (!state && event.detail.sent.some((one) => one.item.kind === "patrol_end")) location.reload();
});

const startButton = panel.querySelector("[data-patrol-start]");
if (startButton) startButton.addEventListener("click", start);
panel.querySelector("[data-patrol-end]").addEventListener("click", end);
document.addEventListener("visibilitychange", () => {
  if (state && document.visibilityState === "visible") keepAwake();
});
if (state) track();
draw();
