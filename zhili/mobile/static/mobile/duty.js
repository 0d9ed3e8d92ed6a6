// The handheld of a force (处置力量): loaded on every page of the app for a user linked to a
// force. On duty (any status but `offline`) it takes a position every `data-report-seconds`
// seconds and puts it in the offline queue (kind force_points, one UUID per point, so a batch
// resent after a lost answer lands once); the queue sends consecutive batches together. The
// duty card of the home page (mobile/_duty.html) switches duty on and off and sets the status
// with one tap; each status goes through the queue too, so a tap without network is kept.
import { enqueue, list, uuid } from "./outbox.js";
import { flushNow, keepScreenOn } from "./app.js";

const body = document.body;
const code = body.dataset.force;
const intervalSeconds = Math.max(1, parseInt(body.dataset.reportSeconds, 10) || 15);
const card = document.querySelector("[data-duty]");
const labelsNode = document.getElementById("duty-labels");
const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
const OFFLINE = "offline";
const IDLE = "idle";
const STATE_KEY = `zhili.mobile.duty.${body.dataset.user}`;
const STATUS_URL = `/api/v1/forces/${encodeURIComponent(code)}/status`;

let status = body.dataset.forceStatus || OFFLINE;
let timer = null;
let wakeLock = null;

function part(name) {
  return card ? card.querySelector(`[data-duty-${name}]`) : null;
}

function line(text, bad = false) {
  const node = part("line");
  if (!node) return;
  node.textContent = text;
  node.classList.toggle("bad", bad);
}

function draw() {
  if (!card) return;
  const on = status !== OFFLINE;
  const badge = part("status");
  badge.textContent = labels[status] || status;
  badge.dataset.status = status;
  badge.classList.toggle("on", on);
  const toggle = part("switch");
  toggle.textContent = on ? "下岗" : "上岗";
  toggle.classList.toggle("danger", on);
  toggle.classList.toggle("primary", !on);
  toggle.setAttribute("aria-pressed", String(on));
  part("statuses").hidden = !on;
  for (const button of card.querySelectorAll("[data-duty-set]")) {
    button.classList.toggle("active", button.dataset.dutySet === status);
  }
}

function record() {
  navigator.geolocation.getCurrentPosition(
    async (pos) => {
      if (status === OFFLINE) return;
      const point = {
        id: uuid(),
        lat: pos.coords.latitude,
        lng: pos.coords.longitude,
        accuracy: Number.isFinite(pos.coords.accuracy) ? pos.coords.accuracy : null,
        at: new Date().toISOString(),
      };
      const accuracy = point.accuracy === null ? "" : `，精度 ${Math.round(point.accuracy)} 米`;
      line(`最近定位 ${new Date().toLocaleTimeString("zh-CN")}${accuracy}`);
      await enqueue({
        kind: "force_points",
        url: "/api/v1/forces/positions",
        label: "位置上报",
        json: { points: [point] },
      });
      flushNow();
    },
    () => line("暂时无法定位，稍后自动重试（请允许本应用使用位置信息）", true),
    // A cached fix at most half a report interval old: a report never repeats the last one's place.
    { enableHighAccuracy: true, timeout: 20000, maximumAge: Math.min(5000, intervalSeconds * 500) },
  );
}

async function keepAwake() {
  wakeLock = await keepScreenOn();
}

function track() {
  clearInterval(timer);
  if (status === OFFLINE) {
    timer = null;
    if (wakeLock) wakeLock.release().catch(() => {});
    wakeLock = null;
    return;
  }
  record();
  timer = setInterval(record, intervalSeconds * 1000);
  keepAwake();
}

async function setStatus(next) {
  const wasOn = status !== OFFLINE;
  status = next;
  localStorage.setItem(STATE_KEY, JSON.stringify({ code, status }));
  draw();
  await enqueue({
    kind: "force_status",
    url: STATUS_URL,
    label: `状态：${labels[next] || next}`,
    json: { status: next },
  });
  if (wasOn !== (next !== OFFLINE)) track();
  if (next === OFFLINE) line("已下岗，不再上报位置。");
  flushNow();
}

// A status tapped on this phone and not yet confirmed (still in the queue) wins over the one
// the page was drawn with; otherwise the server's is the truth.
async function restore() {
  const pending = (await list()).some((item) => item.kind === "force_status" && item.url === STATUS_URL);
  const saved = JSON.parse(localStorage.getItem(STATE_KEY) || "null");
  if (pending && saved && saved.code === code) status = saved.status;
  else localStorage.removeItem(STATE_KEY);
}

window.addEventListener("outbox:sent", (event) => {
  const { item, data } = event.detail;
  if (item.kind === "force_status" && item.url === STATUS_URL && data.status_label) {
    labels[data.status] = data.status_label;
  }
  if (item.kind === "force_points" && data.accepted !== undefined && status !== OFFLINE) {
    const node = part("line");
    if (node && !node.textContent.includes("已上报")) node.textContent += " · 已上报";
  }
});

if (card) {
  part("switch").addEventListener("click", () => setStatus(status === OFFLINE ? IDLE : OFFLINE));
  for (const button of card.querySelectorAll("[data-duty-set]")) {
    button.addEventListener("click", () => setStatus(button.dataset.dutySet));
  }
}
document.addEventListener("visibilitychange", () => {
  if (status !== OFFLINE && document.visibilityState === "visible") keepAwake();
});

if (code) {
  await restore();
  draw();
  track();
}
