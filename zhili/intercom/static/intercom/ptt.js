// The push-to-talk panel (对讲), on the desk page /intercom/ and the handheld /m/.
//
// Joining a group: the platform hands out a seat (the AudioBridge participant id) and a token
// on the room's `allowed` list; the page joins the room muted, with its microphone, and plays
// the room's mix. Talking: while the button (or the space bar) is held the page holds the
// floor (POST …/floor, renewed every third of the hold); the platform unmutes this page's
// seat at the gateway, and mutes it again on release (DELETE …/floor). The page never unmutes
// itself. Every member's page shows who speaks from the `intercom.floor` push.
//
// Individual calls (单呼, intercom/call.js): `window.zhiliIntercom.dial(user)` makes (or finds)
// the call's group and `open`s it: the panel switches to it and joins, which calls the other
// person (the platform pushes `intercom.call` to their pages); `open(group)` is also what their
// 接听 does. The panel never joins a call's group by itself on load: only `?call=<group>` (a
// call answered on a page without the panel) names one to join.
(function () {
  "use strict";

  var panel = document.querySelector("[data-testid=ptt-panel]");
  var source = document.getElementById("intercom-config");
  if (!panel || !source) return;
  var config = JSON.parse(source.textContent);
  var select = panel.querySelector("[data-testid=ptt-group]");
  var button = panel.querySelector("[data-testid=ptt-button]");
  var stateText = panel.querySelector("[data-testid=ptt-state]");
  var speakerText = panel.querySelector("[data-testid=ptt-speaker]");
  var audio = panel.querySelector("[data-testid=ptt-audio]");
  // The browser's microphone refusals, said in Chinese (its own messages are English).
  var MEDIA_ERRORS = {
    NotFoundError: "本机未找到麦克风",
    NotAllowedError: "未获准使用麦克风，请在浏览器中允许本站使用麦克风",
    NotReadableError: "麦克风被其他程序占用",
    SecurityError: "浏览器不允许在此连接上使用麦克风（需要 HTTPS）",
  };
  var current = null; // {group, seat, session, handle, pc, stream, calling}
  var talking = false;
  var renewTimer = null;
  var UNANSWERED_MS = 45000;
  var tokenTimer = null;

  function csrf() {
    var meta = document.querySelector("meta[name=csrf-token]");
    if (meta) return meta.getAttribute("content");
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function call(method, path, body) {
    return fetch(path, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          throw Object.assign(new Error(data.detail || "HTTP " + response.status), {
            code: data.code || String(response.status), status: response.status,
          });
        }
        return data;
      });
    });
  }

  function setState(state, text) {
    panel.setAttribute("data-state", state);
    stateText.textContent = text;
  }

  function showSpeaker(name) {
    panel.setAttribute("data-speaker", name || "");
    speakerText.textContent = name ? "正在讲话：" + name : "无人讲话";
    speakerText.classList.toggle("on", !!name);
  }

  function group(id) {
    for (var i = 0; i < config.groups.length; i++) {
      if (String(config.groups[i].id) === String(id)) return config.groups[i];
    }
    return null;
  }

  function leave() {
    if (!current) return;
    var old = current;
    current = null;
    clearInterval(tokenTimer);
    if (old.pc) old.pc.close();
    if (old.stream) old.stream.getTracks().forEach(function (t) { t.stop(); });
    if (old.session) old.session.close();
    // A join still on its way leaves when its seat comes (see `join`).
    if (old.seat) call("POST", old.group.leave, { seat: old.seat }).catch(function () {});
  }

  // A group not drawn with the page (an individual call made or answered since): its URLs.
  function adopt(found) {
    var have = group(found.id);
    if (have) return have;
    var base = config.groupsUrl + "/" + found.id + "/";
    have = {
      id: found.id, name: found.name, kind: found.kind, speaker: found.speaker || "",
      partner: found.partner || null,
      join: base + "join", leave: base + "leave", floor: base + "floor",
    };
    config.groups.push(have);
    var option = document.createElement("option");
    option.value = String(found.id);
    option.textContent = found.name;
    select.appendChild(option);
    var empty = select.querySelector("option[value='']");
    if (empty) empty.remove();
    var listed = document.querySelector("[data-testid=intercom-groups]");
    if (listed) {
      var item = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "intercom-kind";
      kind.textContent = "单呼";
      item.append(kind, " " + found.name.replace(/^单呼：/, ""));
      listed.appendChild(item);
      var none = listed.querySelector("[data-empty]");
      if (none) none.remove();
    }
    return have;
  }

  // Switch to `found` ({id, name, kind, speaker, partner}) and join it; a page in it already
  // stays.
  function open(found, calling) {
    var target = adopt(found);
    select.value = String(target.id);
    var state = panel.getAttribute("data-state");
    var inIt = current && String(current.group.id) === String(target.id);
    if (!(inIt && (state === "joined" || state === "joining"))) join(target.id, calling);
    // The button in sight (a phone's home page puts the panel below the fold, under its tab bar).
    var box = button.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight - 80) {
      button.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }

  function dial(user) {
    return call("POST", config.directUrl, { user: user }).then(function (found) {
      found.partner = user;
      open(found, true);
      return found;
    }).catch(function (error) {
      setState("failed", "呼叫失败：" + error.message);
      throw error;
    });
  }

  function joinedText(seat) {
    var text = "已接入 " + seat.group.name;
    if (seat.answered) return text + (seat.calling ? " · 对方已接听" : " · 对方已接入");
    if (seat.unanswered) return text + " · 对方未接听，可稍后再呼";
    return seat.calling ? text + " · 正在呼叫对方…" : text;
  }

  // A call not answered within a while says so (the caller stays in it, and may call again).
  function awaitAnswer(seat) {
    setTimeout(function () {
      if (current !== seat || seat.answered) return;
      seat.unanswered = true;
      if (panel.getAttribute("data-state") === "joined") setState("joined", joinedText(seat));
    }, UNANSWERED_MS);
  }

  function join(id, calling) {
    leave();
    var target = group(id);
    button.disabled = true;
    if (!target) { setState("idle", "未接入"); return; }
    setState("joining", "正在接入…");
    showSpeaker(target.speaker);
    var seat = { group: target, calling: !!calling };
    current = seat;
    call("POST", target.join).then(function (joined) {
      if (current !== seat) {
        call("POST", target.leave, { seat: joined.seat }).catch(function () {});
        throw Object.assign(new Error("已切换通话组"), { code: "switched" });
      }
      seat.seat = joined.seat;
      showSpeaker(joined.speaker);
      seat.session = new window.ZhiliJanus.Session(joined.ws_url, joined.janus_token);
      return seat.session.open().then(function () {
        return seat.session.attach("janus.plugin.audiobridge", function (message) {
          if (message.jsep && seat.pc) seat.pc.setRemoteDescription(message.jsep);
        });
      }).then(function (handle) {
        seat.handle = handle;
        return seat.session.request(handle, {
          request: "join", room: joined.room, id: joined.seat, token: joined.token,
          muted: true, display: String(config.me),
        });
      }).then(function () {
        return navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      }).then(function (stream) {
        seat.stream = stream;
        var pc = new RTCPeerConnection({ iceServers: [] });
        seat.pc = pc;
        stream.getTracks().forEach(function (track) { pc.addTrack(track, stream); });
        pc.ontrack = function (event) {
          audio.srcObject = event.streams[0] || new MediaStream([event.track]);
          audio.play().catch(function () {});
        };
        seat.session.trickle(seat.handle, pc);
        return pc.createOffer().then(function (offer) {
          return pc.setLocalDescription(offer).then(function () { return offer; });
        }).then(function (offer) {
          return seat.session.request(seat.handle, { request: "configure", muted: true }, {
            type: offer.type, sdp: offer.sdp,
          });
        }).then(function (answer) {
          if (answer.jsep) return pc.setRemoteDescription(answer.jsep);
        });
      }).then(function () {
        if (current !== seat) return;
        // The gateway's token lives two minutes: a fresh one for the keep-alives.
        tokenTimer = setInterval(function () {
          call("POST", config.tokenUrl).then(function (t) { seat.session.token = t.janus_token; })
            .catch(function () {});
        }, 60000);
        button.disabled = false;
        setState("joined", joinedText(seat));
        if (seat.calling) awaitAnswer(seat);
        document.dispatchEvent(new CustomEvent("intercom:joined", {
          detail: { group: target.id, partner: target.partner || null },
        }));
      });
    }).catch(function (error) {
      if (current !== seat) return;
      setState("failed", "接入失败：" + (MEDIA_ERRORS[error.name] || error.message));
    });
  }

  function take() {
    if (talking || !current || button.disabled) return;
    talking = true;
    panel.setAttribute("data-talk-started", String(Date.now()));
    button.classList.add("pressed");
    var seat = current;
    call("POST", seat.group.floor).then(function (floor) {
      if (!talking) {
        call("DELETE", seat.group.floor).catch(function () {});
        return;
      }
      panel.setAttribute("data-talking", "yes");
      panel.setAttribute("data-floor-at", String(Date.now())); // the bench's split of the delay
      button.querySelector(".ptt-label").textContent = "正在讲话…松开结束";
      showSpeaker(floor.speaker);
      var every = Math.max(1000, (new Date(floor.until) - Date.now()) / 3);
      renewTimer = setInterval(function () {
        call("POST", seat.group.floor).catch(function () {});
      }, every);
    }).catch(function (error) {
      talking = false;
      button.classList.remove("pressed");
      panel.setAttribute("data-refused", error.message);
      stateText.textContent = error.status === 409 ? "话权被占用：" + error.message : error.message;
      // The speaker the server knows (a page whose live socket missed the push catches up).
      if (error.status === 409) refreshSpeaker(seat);
    });
  }

  function refreshSpeaker(seat) {
    call("GET", config.groupsUrl).then(function (groups) {
      groups.forEach(function (found) {
        if (current === seat && String(found.id) === String(seat.group.id)) showSpeaker(found.speaker);
      });
    }).catch(function () {});
  }

  function release() {
    if (!talking) return;
    talking = false;
    clearInterval(renewTimer);
    button.classList.remove("pressed");
    panel.setAttribute("data-talking", "no");
    button.querySelector(".ptt-label").textContent = "按住讲话";
    if (current) call("DELETE", current.group.floor).catch(function () {});
  }

  button.addEventListener("pointerdown", function (event) { event.preventDefault(); take(); });
  ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) {
    button.addEventListener(name, release);
  });
  function typing(target) {
    return target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
  document.addEventListener("keydown", function (event) {
    if (event.code !== "Space" || typing(event.target)) return;
    event.preventDefault();
    if (!event.repeat) take();
  });
  document.addEventListener("keyup", function (event) {
    if (event.code !== "Space" || typing(event.target)) return;
    event.preventDefault();
    release();
  });
  document.addEventListener("zhili:live", function (event) {
    var message = event.detail || {};
    if (message.type === "intercom.answer") {
      // The other person of an individual call came into it.
      if (current && String(current.group.id) === String(message.group)) {
        current.answered = message.caller;
        current.unanswered = false;
        if (panel.getAttribute("data-state") === "joined") setState("joined", joinedText(current));
      }
      return;
    }
    if (message.type !== "intercom.floor") return;
    var known = group(message.group);
    if (known) known.speaker = message.speaker;
    if (current && String(current.group.id) === String(message.group)) showSpeaker(message.speaker);
  });
  window.addEventListener("pagehide", function () { release(); leave(); });
  select.addEventListener("change", function () { join(select.value); });

  // The group joined on load: one named by ?call= (a call answered on another page), else
  // the first that is no individual call (a page must not call someone by being opened).
  function first() {
    var asked = new URLSearchParams(window.location.search).get("call");
    if (asked && group(asked)) {
      var url = new URL(window.location.href);
      url.searchParams.delete("call");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      return asked;
    }
    for (var i = 0; i < config.groups.length; i++) {
      if (config.groups[i].kind !== "direct") return String(config.groups[i].id);
    }
    return "";
  }

  // For intercom/call.js, and for tests and the benchmark (the peer connection's stats).
  window.zhiliIntercom = {
    current: function () { return current; },
    open: function (found) { open(found, false); },
    dial: dial,
  };
  var start = first();
  if (!start && config.groups.length) {
    var pick = document.createElement("option");
    pick.value = "";
    pick.textContent = "请选择通话组";
    select.insertBefore(pick, select.firstChild);
  }
  select.value = start;
  if (start) join(start);
})();
