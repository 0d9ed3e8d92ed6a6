// The report form: category, description, photos (compressed on the phone), GPS position
// with a manual fallback. Submitting always stores the report in the offline queue first,
// then tries to send it: a report is never lost when the network drops mid-way.
import { enqueue } from "./outbox.js";
import { flushNow, showBanner } from "./app.js";

const form = document.querySelector("[data-report-form]");
const result = document.querySelector("[data-report-result]");
const photoBox = form.querySelector("[data-photos]");
const photoInput = form.querySelector("[data-photo-input]");
const locateStatus = form.querySelector("[data-locate-status]");
const MAX_PHOTOS = 9;
const MAX_SIDE = 1600;

let photos = []; // [{name, type, blob, url}]
let position = null; // {lat, lng, accuracy}

// --- position ---------------------------------------------------------------------------

function locate() {
  if (!navigator.geolocation) {
    locateStatus.textContent = "本机不支持定位，请填写位置描述或手动填写经纬度";
    return;
  }
  locateStatus.textContent = "正在获取定位…";
  locateStatus.classList.remove("ok", "bad");
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      position = {
        lat: pos.coords.latitude,
        lng: pos.coords.longitude,
        accuracy: pos.coords.accuracy,
      };
      const accuracy = Number.isFinite(position.accuracy) ? `，精度约 ${Math.round(position.accuracy)} 米` : "";
      locateStatus.textContent = `已定位：${position.lat.toFixed(5)}, ${position.lng.toFixed(5)}${accuracy}`;
      locateStatus.classList.add("ok");
    },
    (err) => {
      position = null;
      const why = err.code === 1 ? "未获得定位权限" : "暂时无法定位";
      locateStatus.textContent = `${why}：请填写位置描述，或展开下方手动填写经纬度`;
      locateStatus.classList.add("bad");
      form.querySelector("[data-manual]").open = true;
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

// --- photos -------------------------------------------------------------------------------

async function compress(file) {
  // Phone photos run to several MB; 1600 px on the long side is plenty to see the scene and
  // sends in seconds on a village's mobile network. Anything that fails keeps the original.
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
    if (blob && blob.size < file.size) {
      return { name: file.name.replace(/\.[^.]*$/, "") + ".jpg", type: "image/jpeg", blob };
    }
  } catch (err) {
    // not an image the browser can decode: the server decides
  }
  return { name: file.name, type: file.type, blob: file };
}

function drawPhotos() {
  for (const old of photoBox.querySelectorAll(".m-photo")) old.remove();
  photos.forEach((photo, index) => {
    const cell = document.createElement("div");
    cell.className = "m-photo";
    const img = document.createElement("img");
    img.src = photo.url;
    img.alt = photo.name;
    const drop = document.createElement("button");
    drop.type = "button";
    drop.textContent = "×";
    drop.setAttribute("aria-label", "删除照片");
    drop.addEventListener("click", () => {
      URL.revokeObjectURL(photo.url);
      photos.splice(index, 1);
      drawPhotos();
    });
    cell.append(img, drop);
    photoBox.insertBefore(cell, photoBox.querySelector(".m-photo-add"));
  });
  photoBox.querySelector(".m-photo-add").hidden = photos.length >= MAX_PHOTOS;
}

photoInput.addEventListener("change", async () => {
  const files = [...photoInput.files].slice(0, MAX_PHOTOS - photos.length);
  photoInput.value = "";
  for (const file of files) {
    const photo = await compress(file);
    photos.push({ ...photo, url: URL.createObjectURL(photo.blob) });
  }
  drawPhotos();
});

// --- submit -------------------------------------------------------------------------------

function clearErrors() {
  for (const el of form.querySelectorAll("[data-error-for]")) el.textContent = "";
}

function fieldError(field, message) {
  const el = form.querySelector(`[data-error-for="${field}"]`) || form.querySelector("[data-error-for=address]");
  el.textContent = message;
}

function validate(fields) {
  clearErrors();
  let ok = true;
  if (!fields.category) ok = !!fieldError("category", "请选择事项分类");
  if (!fields.description) ok = !!fieldError("description", "请填写情况描述");
  if (!fields.lat && !fields.address) ok = !!fieldError("address", "未能定位：请填写位置描述或经纬度");
  if (!!fields.lat !== !!fields.lng) ok = !!fieldError(fields.lat ? "lng" : "lat", "经纬度须同时填写");
  return ok;
}

function collect() {
  const data = new FormData(form);
  const manualLat = String(data.get("lat") || "").trim();
  const manualLng = String(data.get("lng") || "").trim();
  const useManual = manualLat || manualLng;
  const fields = {
    category: String(data.get("category") || ""),
    description: String(data.get("description") || "").trim(),
    address: String(data.get("address") || "").trim(),
    lat: useManual ? manualLat : position ? String(position.lat) : "",
    lng: useManual ? manualLng : position ? String(position.lng) : "",
    urgency: data.get("urgent") ? "urgent" : "",
    reporter_name: String(data.get("reporter_name") || "").trim(),
    reporter_phone: String(data.get("reporter_phone") || "").trim(),
  };
  return fields;
}

function say(html, kind) {
  result.className = `m-result ${kind}`;
  result.replaceChildren();
  for (const line of html) {
    const p = document.createElement(line.href ? "a" : "p");
    p.textContent = line.text;
    if (line.href) {
      p.href = line.href;
      p.className = "m-btn small";
    }
    if (line.testid) p.dataset.testid = line.testid;
    result.append(p);
  }
  result.hidden = false;
  result.scrollIntoView({ behavior: "smooth", block: "start" });
}

function resetForm() {
  form.reset();
  for (const photo of photos) URL.revokeObjectURL(photo.url);
  photos = [];
  drawPhotos();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = collect();
  if (!validate(fields)) return;
  const button = form.querySelector("[type=submit]");
  button.disabled = true;
  try {
    const category = form.querySelector("select[name=category]").selectedOptions[0].textContent;
    const item = await enqueue({
      kind: "report",
      url: "/m/api/reports",
      label: `${category}:${fields.description.slice(0, 20)}`,
      fields,
      files: photos.map(({ name, type, blob }) => ({ name, type, blob })),
    });
    resetForm();
    // Another round (the network coming back) may send it before ours: listen for it too.
    let sentElsewhere = null;
    const onSent = (e) => {
      if (e.detail.item.id === item.id) sentElsewhere = e.detail;
    };
    window.addEventListener("outbox:sent", onSent);
    const outcome = await flushNow();
    window.removeEventListener("outbox:sent", onSent);
    const sent = sentElsewhere || outcome.sent.find((one) => one.item.id === item.id);
    const failed = outcome.failed.find((one) => one.item.id === item.id);
    if (sent) {
      showBanner("");
      say(
        [
          { text: `上报成功，工单编号 ${sent.data.case_no}`, testid: "report-case-no" },
          { text: "查看办理进度", href: sent.data.url },
        ],
        "ok",
      );
    } else if (failed) {
      say([{ text: `上报未被受理：${failed.message}`, testid: "report-failed" }], "bad");
    } else {
      say(
        [{ text: "当前无网络，上报已保存在本机“待发送”中，联网后将自动发送", testid: "report-queued" }],
        "warn",
      );
    }
  } finally {
    button.disabled = false;
  }
});

form.querySelector("[data-locate]").addEventListener("click", locate);
locate();
