/*
 * Live updates (实时推送): a WebSocket to /ws/cases/ that tells open pages when a case
 * of the user's unit changed (dispatched, returned, carded, ...), and what else the server
 * pushes to the user's unit or to the user (zhili/core/live.py).
 *
 * Contract for pages:
 *   1. Include it once:   <script src="{% static 'web/live.js' %}" defer></script>
 *   2. On every update it dispatches on `document` a CustomEvent "zhili:case-update" whose
 *      `detail` is the message from the server:
 *        {type: "case.update", case_no, action, label, title, state, card, lead_unit,
 *         dispatch_center, assisting}
 *      (`action` is the transition name, e.g. "dispatch", or an assisting unit's task action,
 *      "assist_reply"; `label` its Chinese verb, "派单"; `assisting` the codes of the case's
 *      assisting units, 协办, a list that may be empty).
 *   3. A region that should re-fetch itself carries [data-live-refresh] and an hx-trigger on
 *      the "zhili:refresh" event, e.g.
 *        <section hx-get="{% url ... %}" hx-trigger="zhili:refresh" hx-swap="outerHTML"
 *                 data-live-refresh>
 *      live.js calls htmx.trigger(el, "zhili:refresh", detail) on each such element
 *      (at most once per 500 ms per element, so a bulk action causes one re-fetch).
 *      data-live-refresh="DH20261126-00042 …" restricts it to those case numbers (a detail
 *      page); an empty value means any update. Put the trigger on the marked element itself
 *      ("zhili:refresh", not "from:body"): htmx events bubble, so a from:body listener would
 *      hear every marked element's event. Other scripts listen for "zhili:case-update".
 *   Any other message (a force's position, a dispatch to a handheld, ...) is dispatched on
 *   `document` as a CustomEvent "zhili:live" whose `detail` is the message; its `type` says
 *   what it is ("forces.position", ...). Only case updates refresh regions.
 *   A message that carries `notice` (text) is also shown as a note for the person: a
 *   warning pushed to its unit and leaders ("warnings.notice", zhili/warnings/notices.py),
 *   which opens `url` (a path on this site) when clicked.
 *   4. A small toast "工单 DH… 已派单" appears top-right and hides itself. A page may turn it
 *      off with <body data-live-toast="off">.
 * The socket reconnects with exponential backoff (1 s … 30 s); a close with code 4401
 * (signed out) or 4403 (no unit) stops it. Updates sent while it was away are not replayed,
 * so when a socket opens again every [data-live-refresh] region re-fetches itself once
 * (detail {type: "reconnect"}).
 */
(function () {
  "use strict";

  var MIN_DELAY = 1000;
  var MAX_DELAY = 30000;
  var REFRESH_GAP = 500;
  var TOAST_MS = 4000;
  var NOTICE_MS = 15000; // a notice asks for someone's attention: it stays longer
  var FINAL_CODES = [4401, 4403];

  var delay = MIN_DELAY;
  var socket = null;
  var leaving = false;
  var everOpen = false;

  function url() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + "/ws/cases/";
  }

  function wanted(el, caseNo) {
    if (caseNo === undefined) return true; // a reconnect: every region may be stale
    var only = (el.getAttribute("data-live-refresh") || "").trim();
    return !only || only.split(/\s+/).indexOf(caseNo) !== -1;
  }

  function refresh(detail) {
    if (!window.htmx) return;
    document.querySelectorAll("[data-live-refresh]").forEach(function (el) {
      if (!wanted(el, detail.case_no) || el._zhiliRefreshPending) return;
      el._zhiliRefreshPending = true;
      window.setTimeout(function () {
        el._zhiliRefreshPending = false;
        if (el.isConnected) window.htmx.trigger(el, "zhili:refresh", detail);
      }, REFRESH_GAP);
    });
  }

  function toastBox() {
    var box = document.getElementById("zhili-live-toasts");
    if (box) return box;
    box = document.createElement("div");
    box.id = "zhili-live-toasts";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    box.style.cssText =
      "position:fixed;top:12px;right:12px;z-index:2000;display:flex;flex-direction:column;" +
      "gap:6px;pointer-events:none;max-width:320px";
    document.body.appendChild(box);
    return box;
  }

  function toast(detail) {
    if (!document.body || document.body.getAttribute("data-live-toast") === "off") return;
    var box = toastBox();
    var item = document.createElement("div");
    item.className = "zhili-live-toast";
    item.setAttribute("data-testid", "live-toast");
    item.style.cssText =
      "background:rgba(31,41,55,.92);color:#fff;padding:8px 12px;border-radius:6px;" +
      "font-size:13px;line-height:1.4;box-shadow:0 2px 8px rgba(0,0,0,.2);" +
      "transition:opacity .3s;opacity:1";
    // textContent, never innerHTML: the title comes from a citizen.
    item.textContent = "工单 " + detail.case_no + " 已" + (detail.label || detail.action);
    if (detail.title) item.title = detail.title;
    box.appendChild(item);
    while (box.children.length > 3) box.removeChild(box.firstChild);
    window.setTimeout(function () {
      item.style.opacity = "0";
      window.setTimeout(function () { item.remove(); }, 400);
    }, TOAST_MS);
  }

  function notice(detail) {
    if (!document.body) return;
    var box = toastBox();
    var item = document.createElement("a");
    item.className = "zhili-live-toast zhili-live-notice";
    item.setAttribute("data-testid", "live-notice");
    item.setAttribute("role", "alert");
    // Only a path on this site: a message's url is never followed elsewhere.
    var url = typeof detail.url === "string" && /^\/(?!\/)/.test(detail.url) ? detail.url : "";
    if (url) item.href = url;
    item.style.cssText =
      "display:block;pointer-events:auto;text-decoration:none;background:rgba(153,27,27,.95);" +
      "color:#fff;padding:10px 12px;border-radius:6px;font-size:13px;line-height:1.4;" +
      "box-shadow:0 2px 8px rgba(0,0,0,.25);transition:opacity .3s;opacity:1";
    item.textContent = String(detail.notice); // textContent: a title may come from a citizen
    box.appendChild(item);
    while (box.children.length > 3) box.removeChild(box.firstChild);
    window.setTimeout(function () {
      item.style.opacity = "0";
      window.setTimeout(function () { item.remove(); }, 400);
    }, NOTICE_MS);
  }

  function onMessage(event) {
    var detail;
    try {
      detail = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (!detail || !detail.type) return;
    if (detail.type !== "case.update") {
      document.dispatchEvent(new CustomEvent("zhili:live", { detail: detail }));
      if (typeof detail.notice === "string" && detail.notice) notice(detail);
      return;
    }
    document.dispatchEvent(new CustomEvent("zhili:case-update", { detail: detail }));
    refresh(detail);
    toast(detail);
  }

  function connect() {
    try {
      socket = new WebSocket(url());
    } catch (e) {
      schedule();
      return;
    }
    socket.addEventListener("open", function () {
      delay = MIN_DELAY;
      if (everOpen) refresh({ type: "reconnect" });
      everOpen = true;
    });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function (event) {
      socket = null;
      if (!leaving && FINAL_CODES.indexOf(event.code) === -1) schedule();
    });
  }

  function schedule() {
    // Jitter spreads the reconnects of many consoles after a server restart.
    var wait = delay * (0.75 + Math.random() * 0.5);
    delay = Math.min(delay * 2, MAX_DELAY);
    window.setTimeout(connect, wait);
  }

  window.addEventListener("pagehide", function () {
    leaving = true;
    if (socket) socket.close(1000);
  });
  window.addEventListener("pageshow", function (event) {
    // Back from the back-forward cache: the socket was closed on the way out.
    if (!event.persisted) return;
    leaving = false;
    delay = MIN_DELAY;
    if (!socket) connect();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connect);
  } else {
    connect();
  }
})();
