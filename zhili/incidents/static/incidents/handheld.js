// The handheld's dispatches (派遣通知) on the phone app: a dispatch pushed over the page's
// socket (web/live.js → "zhili:live", type incident.dispatch) shows as a card with a short
// beep (WebAudio, no sound file); 接收 / 到场 / 完成 post the answer with the phone's current
// position through the app's offline queue, so an answer tapped without network is kept.
import { enqueue } from "../mobile/outbox.js";
import { flushNow } from "../mobile/app.js";
import { beep } from "../web/beep.js";

// The phone shows its own cards; web/live.js's desk toasts of case updates stay off here.
document.body.dataset.liveToast = "off";

const box = document.querySelector("[data-incident-dispatches]");
const ANSWERS = [
  ["accept", "接收"],
  ["arrive", "到场"],
  ["finish", "完成"],
];
const cards = new Map();

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve({});
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: pos.coords.latitude, lng: pos.coords.longitude }),
      () => resolve({}),
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 15000 },
    );
  });
}

function drawStage(card, stage) {
  const index = ANSWERS.findIndex(([code]) => code === stage);
  card.querySelectorAll("[data-answer]").forEach((button, i) => {
    button.disabled = i <= index;
  });
  const text = index >= 0 ? `已${ANSWERS[index][1]}` : "待接收";
  card.querySelector("[data-stage]").textContent = text;
}

async function answer(message, code, label, card) {
  drawStage(card, code);
  const where = await position();
  await enqueue({
    kind: "incident_answer",
    url: message.answer_url,
    label: `派遣${label}：${message.title}`,
    json: { answer: code, ...where },
  });
  flushNow();
  if (code === "finish") {
    setTimeout(() => {
      card.remove();
      cards.delete(message.dispatch);
    }, 1500);
  }
}

function show(message, fresh) {
  if (!box || cards.has(message.dispatch)) return;
  const card = document.createElement("article");
  card.className = "m-dispatch";
  card.dataset.testid = `dispatch-card-${message.number}`;
  const title = document.createElement("h3");
  title.textContent = `派遣：${message.title}`;
  const meta = document.createElement("div");
  meta.className = "m-dispatch-meta";
  const distance = message.distance_m === null ? "" : ` · 距您约 ${message.distance_m} 米`;
  meta.textContent = `${message.number} · ${message.category} · ${message.level_label}${distance}`;
  const buttons = document.createElement("div");
  buttons.className = "m-dispatch-buttons";
  for (const [code, label] of ANSWERS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `m-btn big ${code === "accept" ? "primary" : ""}`;
    button.textContent = label;
    button.dataset.answer = code;
    button.dataset.testid = `answer-${code}`;
    button.addEventListener("click", () => answer(message, code, label, card));
    buttons.appendChild(button);
  }
  const stage = document.createElement("div");
  stage.className = "m-dispatch-stage";
  stage.dataset.stage = "";
  stage.dataset.testid = "dispatch-stage";
  card.append(title, meta, buttons, stage);
  box.prepend(card);
  cards.set(message.dispatch, card);
  drawStage(card, message.stage || "");
  if (fresh) beep();
}

document.addEventListener("zhili:live", (event) => {
  const message = event.detail || {};
  if (message.type === "incident.dispatch") show(message, true);
});

// The dispatches given before this page opened and not yet finished.
fetch("/api/v1/incidents/dispatches/mine", { credentials: "same-origin", headers: { Accept: "application/json" } })
  .then((response) => (response.ok ? response.json() : []))
  .then((found) => found.forEach((message) => show(message, false)))
  .catch(() => {});
