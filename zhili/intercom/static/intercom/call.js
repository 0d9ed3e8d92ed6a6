// Individual calls (单呼) on the desk page /intercom/ and on every page of the handheld /m/.
//
// The list of people one may call (intercom/_callees.html, beside the push-to-talk panel):
// searched by name, team or force code and filtered by team on the page itself; its 单呼 asks
// the panel (intercom/ptt.js, `window.zhiliIntercom.dial`) to make the call's group, switch to
// it and join, which calls the other person. The person the panel is in a call with is marked
// 通话中.
//
// A call coming in: the `intercom.call` push on the page's one socket (web/live.js →
// "zhili:live") shows "某某 呼叫您（单呼）" with the dispatches' beep (web/beep.js), 接听 and
// 忽略. 接听 switches the panel to the call's group and joins it; a page without the panel
// opens the one with it (`data-answer-url`, ?call=<group>).
import { beep } from "../web/beep.js";

const list = document.querySelector("[data-callees]");
const box = document.querySelector("[data-intercom-calls]");
const prompts = new Map(); // group id → its prompt

function panel() {
  return window.zhiliIntercom || null;
}

function filterList() {
  const search = list.querySelector("[data-callee-search]");
  const team = list.querySelector("[data-callee-team]");
  const words = (search ? search.value : "").trim().toLowerCase().split(/\s+/).filter(Boolean);
  const only = team ? team.value : "";
  const rows = list.querySelectorAll("[data-callee]");
  let shown = 0;
  for (const row of rows) {
    const text = row.dataset.search.toLowerCase();
    const hit = (!only || row.dataset.team === only) && words.every((word) => text.includes(word));
    row.hidden = !hit;
    if (hit) shown += 1;
  }
  const none = list.querySelector("[data-callee-none]");
  if (none) none.hidden = shown > 0 || rows.length === 0;
}

function dial(button) {
  const here = panel();
  if (!here || button.disabled) return;
  button.disabled = true;
  button.textContent = "呼叫中…";
  here.dial(Number(button.dataset.callUser)).catch(() => {}).finally(() => {
    button.disabled = false;
    button.textContent = button.closest("[data-callee]").classList.contains("in-call") ? "通话中" : "单呼";
  });
}

if (list) {
  list.addEventListener("input", filterList);
  list.addEventListener("change", filterList);
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-call-user]");
    if (button) dial(button);
  });
}

function dismiss(group) {
  const prompt = prompts.get(String(group));
  if (!prompt) return;
  prompts.delete(String(group));
  prompt.remove();
}

function answer(message) {
  dismiss(message.group);
  const here = panel();
  if (here) {
    here.open({
      id: message.group,
      name: message.group_name,
      kind: message.kind,
      speaker: message.speaker,
      partner: message.caller_id,
    });
  } else {
    window.location.assign(`${box.dataset.answerUrl}?call=${encodeURIComponent(message.group)}`);
  }
}

function button(label, kind, testid, action) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = `ptt-call-${kind}`;
  node.textContent = label;
  node.dataset.testid = testid;
  node.addEventListener("click", action);
  return node;
}

const PHONE = "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.6a1 1 0 0 1-.25 1z";

function show(message) {
  if (!box || prompts.has(String(message.group))) return;
  const here = panel();
  const now = here && here.current();
  if (now && String(now.group.id) === String(message.group)) return; // in the call already
  const prompt = document.createElement("article");
  prompt.className = "ptt-call-prompt";
  prompt.dataset.testid = "intercom-call";
  prompt.dataset.group = String(message.group);
  prompt.setAttribute("role", "alertdialog");
  const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  icon.classList.add("ptt-call-icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", PHONE);
  icon.appendChild(path);
  const text = document.createElement("div");
  text.className = "ptt-call-text";
  const title = document.createElement("strong");
  title.dataset.testid = "intercom-call-title";
  // textContent, never innerHTML: a name is typed by people.
  title.textContent = `${message.caller} 呼叫您（单呼）`;
  const meta = document.createElement("span");
  const at = new Date().toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" });
  meta.textContent = `${at} · 接听后按住讲话`;
  text.append(title, meta);
  const buttons = document.createElement("div");
  buttons.className = "ptt-call-buttons";
  buttons.append(
    button("忽略", "ignore", "intercom-call-ignore", () => dismiss(message.group)),
    button("接听", "answer", "intercom-call-answer", () => answer(message)),
  );
  prompt.append(icon, text, buttons);
  box.prepend(prompt);
  prompts.set(String(message.group), prompt);
  beep();
}

document.addEventListener("zhili:live", (event) => {
  const message = event.detail || {};
  if (message.type === "intercom.call") show(message);
});
// The panel joined a group: a call in it is answered (whichever way it was joined), and the
// list marks the person of an individual call as 通话中.
function markInCall(partner) {
  if (!list) return;
  for (const row of list.querySelectorAll("[data-callee]")) {
    const button = row.querySelector("[data-call-user]");
    const inCall = partner !== null && button.dataset.callUser === String(partner);
    row.classList.toggle("in-call", inCall);
    button.textContent = inCall ? "通话中" : "单呼";
  }
}

document.addEventListener("intercom:joined", (event) => {
  dismiss(event.detail.group);
  markInCall(event.detail.partner);
});
