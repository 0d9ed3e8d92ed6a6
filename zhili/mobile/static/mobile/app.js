// Every page of 东海网格通: the service worker, the network badge, the 待发送 list and its
// flushing (on every page load and whenever the network comes back).
import { POINT_KINDS, flush, list, remove } from "./outbox.js";

const banner = document.querySelector("[data-testid=banner]");
const netBadge = document.querySelector("[data-testid=net-status]");

export function showBanner(text, kind = "info") {
  if (!banner) return;
  banner.textContent = text;
  banner.className = `m-banner ${kind}`;
  banner.hidden = !text;
}

function showNetwork() {
  const online = navigator.onLine;
  netBadge.textContent = online ? "在线" : "离线";
  netBadge.classList.toggle("off", !online);
}

const KIND_LABELS = {
  report: "事件上报",
  patrol_start: "开始巡查",
  patrol_points: "巡查轨迹",
  patrol_end: "结束巡查",
  force_points: "位置上报",
  force_status: "状态变更",
};
const POINTS_TITLE = { patrol_points: "巡查轨迹", force_points: "位置上报" };

function timeLabel(created) {
  const d = new Date(created / 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// One row per record; the points of one patrol (one a minute or so), or of the handheld's
// positions, share a row.
function groups(items) {
  const out = [];
  for (const item of items) {
    const last = out[out.length - 1];
    const same = last && POINT_KINDS.has(item.kind) && last[0].kind === item.kind;
    if (same && last[0].url === item.url && !!last[0].error === !!item.error) last.push(item);
    else out.push([item]);
  }
  return out;
}

function row(group) {
  const item = group[0];
  const li = document.createElement("li");
  li.className = `m-row${item.error ? " failed" : ""}`;
  li.dataset.testid = `outbox-item-${item.id}`;
  const text = document.createElement("div");
  const title = document.createElement("div");
  const points = group.reduce((n, one) => n + (one.json && one.json.points ? one.json.points.length : 0), 0);
  title.textContent = POINTS_TITLE[item.kind] ? `${POINTS_TITLE[item.kind]} ${points} 个点` : item.label || item.kind;
  const meta = document.createElement("div");
  meta.className = "m-hint";
  const photos = item.files && item.files.length ? ` · ${item.files.length}张照片` : "";
  meta.textContent = `${KIND_LABELS[item.kind] || ""} · ${timeLabel(item.created)}${photos}`;
  text.append(title, meta);
  const state = document.createElement("div");
  state.className = "m-row-side";
  const badge = document.createElement("span");
  badge.className = `m-badge ${item.error ? "card-red" : "pending"}`;
  badge.textContent = item.error ? "发送失败" : "待发送";
  state.append(badge);
  if (item.error) {
    const reason = document.createElement("div");
    reason.className = "m-error";
    reason.textContent = item.error;
    text.append(reason);
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "m-btn small ghost";
    drop.textContent = "删除";
    drop.addEventListener("click", async () => {
      if (!confirm("删除后这条记录将不再发送，确定删除吗？")) return;
      for (const one of group) await remove(one.id);
    });
    state.append(drop);
  }
  li.append(text, state);
  return li;
}

export async function renderOutbox() {
  const items = await list();
  for (const box of document.querySelectorAll("[data-outbox]")) {
    box.hidden = items.length === 0;
    const rows = groups(items);
    box.querySelector("[data-outbox-count]").textContent = String(rows.length);
    box.querySelector("[data-outbox-list]").replaceChildren(...rows.map(row));
  }
  return items;
}

// Keep the screen on while recording positions (a patrol, a handheld on duty): the page's
// timers stop when the phone locks. Resolves with the lock, or null where there is none.
export async function keepScreenOn() {
  try {
    if ("wakeLock" in navigator) return await navigator.wakeLock.request("screen");
  } catch (err) {
    // refused (battery saver, page hidden): record while the screen is on
  }
  return null;
}

export async function flushNow() {
  const result = await flush();
  if (result.signin) {
    showBanner(result.message || "登录已过期，请重新登录后自动发送待发送记录", "warn");
  } else if (result.sent.length) {
    showBanner(`已发送 ${result.sent.length} 条待发送记录`, "ok");
  }
  await renderOutbox();
  window.dispatchEvent(new CustomEvent("outbox:flushed", { detail: result }));
  return result;
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register(document.body.dataset.sw, { scope: "/m/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // Keep the signed-in shell pages for offline use (the worker caches them at install
      // only when nobody is signed in yet, so ask again from a signed-in page).
      if (navigator.onLine && document.body.dataset.user && registration.active) {
        registration.active.postMessage({ type: "warm" });
      }
    })
    .catch(() => {});
}

function onLogout() {
  const form = document.querySelector("[data-logout]");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const pending = (await list()).length;
    if (pending && !confirm(`还有 ${pending} 条记录未发送，将在您下次登录后发送。确定退出吗？`)) return;
    if ("caches" in window) {
      for (const name of await caches.keys()) if (name.startsWith("zhili-mobile-pages")) await caches.delete(name);
    }
    form.submit();
  });
}

window.addEventListener("online", () => {
  showNetwork();
  showBanner("网络已恢复，正在发送待发送记录…");
  flushNow();
});
window.addEventListener("offline", () => {
  showNetwork();
  showBanner("当前无网络：上报和巡查记录将保存在本机，联网后自动发送", "warn");
});
window.addEventListener("outbox:change", () => renderOutbox());
for (const button of document.querySelectorAll("[data-outbox-flush]")) {
  button.addEventListener("click", () => flushNow());
}

showNetwork();
if (!navigator.onLine) showBanner("当前无网络：上报和巡查记录将保存在本机，联网后自动发送", "warn");
onLogout();
registerServiceWorker();
renderOutbox().then(() => flushNow());
