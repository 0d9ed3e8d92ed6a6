// The offline queue (待发送) of 东海网格通: every record the phone makes goes here first, in
// IndexedDB, and leaves only after the server has confirmed it.
//
// Contract:
//   enqueue(item)  item = {kind, url, label, fields?, files?: [{name, type, blob}], json?}
//                  stores it with an id (also the idempotency key the server sees), the
//                  signed-in user and a creation time; resolves with the stored item.
//   flush()        sends the current user's items in creation order, one sender at a time
//                  (a Web Lock across tabs). Consecutive point batches to one URL (a patrol's
//                  track, a handheld's positions) go as one request. A network error stops the round (the rest stay queued); a JSON 4xx
//                  answer marks the item failed (it stays listed, with the reason, until the
//                  user deletes it); 401 stops and asks the user to sign in again.
//                  Resolves with {sent: [{item, data}], failed, offline: boolean}.
//   list(), remove(id), uuid()
// Events on window: "outbox:change" after any change, "outbox:sent" (detail {item, data});
// app.js adds "outbox:flushed" (detail: the round's result) after each flushNow().

const DB_NAME = "zhili-mobile";
const STORE = "outbox";
const MAX_POINTS = 500;

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "id" });
      store.createIndex("created", "created");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function tx(mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const result = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(result.value);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function currentUser() {
  return document.body.dataset.user || "";
}

let counter = 0;

export async function enqueue(item) {
  const stored = {
    error: "",
    ...item,
    id: item.id || uuid(),
    user: currentUser(),
    created: Date.now() * 1000 + (counter++ % 1000),
  };
  await tx("readwrite", (store) => {
    store.put(stored);
    return {};
  });
  changed();
  return stored;
}

export async function list(user = currentUser()) {
  const all = await tx("readonly", (store) => {
    const holder = {};
    const request = store.index("created").getAll();
    request.onsuccess = () => (holder.value = request.result);
    return holder;
  });
  return (all || []).filter((item) => !user || item.user === user);
}

async function put(item) {
  await tx("readwrite", (store) => {
    store.put(item);
    return {};
  });
}

export async function remove(id) {
  await tx("readwrite", (store) => {
    store.delete(id);
    return {};
  });
  changed();
}

function changed() {
  window.dispatchEvent(new CustomEvent("outbox:change"));
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const meta = document.querySelector("meta[name=csrf-token]");
  return meta ? meta.content : "";
}

function requestFor(item, group) {
  // The account that made the record: the server refuses it under another signed-in user
  // (a shared phone, or a page cached before someone else signed in).
  const headers = {
    "X-CSRFToken": csrfToken(),
    "X-Zhili-User": encodeURIComponent(item.user),
    Accept: "application/json",
  };
  if (item.kind === "report") {
    const body = new FormData();
    body.append("key", item.id);
    for (const [name, value] of Object.entries(item.fields || {})) body.append(name, value);
    for (const file of item.files || []) body.append("photos", file.blob, file.name);
    return { method: "POST", headers, body, credentials: "same-origin" };
  }
  let json = item.json || {};
  if (group.length > 1) json = { points: group.flatMap((one) => one.json.points) };
  headers["Content-Type"] = "application/json";
  return { method: "POST", headers, body: JSON.stringify(json), credentials: "same-origin" };
}

// The kinds whose consecutive items to one URL go as one request of their points: a patrol's
// track, and a handheld's positions (处置力量).
export const POINT_KINDS = new Set(["patrol_points", "force_points"]);

// The items sent together with `items[i]`: itself, plus following point batches to its URL.
function groupAt(items, i) {
  const group = [items[i]];
  if (!POINT_KINDS.has(items[i].kind)) return group;
  let count = items[i].json.points.length;
  for (let j = i + 1; j < items.length; j++) {
    const next = items[j];
    if (next.kind !== items[i].kind || next.url !== items[i].url || next.error) break;
    if (count + next.json.points.length > MAX_POINTS) break;
    count += next.json.points.length;
    group.push(next);
  }
  return group;
}

async function sendOne(item, group) {
  let response;
  try {
    response = await fetch(item.url, requestFor(item, group));
  } catch (err) {
    return { outcome: "offline" };
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  if (response.ok) return { outcome: "sent", data: data || {} };
  if (response.status === 401) return { outcome: "signin", message: data && data.detail };
  // A JSON refusal is final (bad input, not allowed); anything else (a 5xx, a proxy's page,
  // a CSRF page after a new login) is worth another try later.
  if (data && data.detail && response.status >= 400 && response.status < 500 && response.status !== 429) {
    const field = data.field ? `(${data.field})` : "";
    return { outcome: "failed", message: `${data.detail}${field}` };
  }
  return { outcome: "retry" };
}

async function flushRound() {
  const result = { sent: [], failed: [], offline: false, signin: false };
  const user = currentUser();
  if (!user) return result;
  if (!navigator.onLine) {
    result.offline = true;
    return result;
  }
  const items = (await list(user)).filter((item) => !item.error);
  for (let i = 0; i < items.length; ) {
    const group = groupAt(items, i);
    const answer = await sendOne(items[i], group);
    if (answer.outcome === "sent") {
      for (const one of group) {
        await remove(one.id);
        result.sent.push({ item: one, data: answer.data });
        window.dispatchEvent(new CustomEvent("outbox:sent", { detail: { item: one, data: answer.data } }));
      }
    } else if (answer.outcome === "failed") {
      for (const one of group) {
        one.error = answer.message;
        await put(one);
        result.failed.push({ item: one, message: answer.message });
      }
      changed();
    } else {
      result.offline = answer.outcome === "offline";
      result.signin = answer.outcome === "signin";
      if (result.signin) result.message = answer.message || "";
      break;
    }
    i += group.length;
  }
  return result;
}

let running = null;

export function flush() {
  // One round at a time in this tab; across tabs, the Web Lock (where the browser has it).
  if (running) return running.then(() => flush());
  const round = navigator.locks ? navigator.locks.request("zhili-outbox", flushRound) : flushRound();
  running = round.finally(() => {
    running = null;
  });
  return running;
}
