// The live player: one <video> fed by Janus's Streaming plugin over WebSocket and WebRTC.
// The platform decides who may watch and mints the token (POST /api/v1/cameras/{code}/live);
// this file only speaks Janus's protocol, keeps the platform told the viewer is there, and
// shows a clear state instead of a black tile forever (离线 / 拉流超时 / 网关未运行).
(function () {
  "use strict";

  var FRAME_TIMEOUT_MS = 8000; // no frame by then: 拉流超时
  var BEAT_MS = 15000; // the platform closes a view it has not heard from in 45 s
  var counter = 0;

  function csrfToken() {
    // The page's CSRF token, given to htmx on <body> (web/base.html).
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function api(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
      keepalive: true,
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.message || data.detail || ("HTTP " + response.status));
          error.code = data.code || String(response.status);
          throw error;
        }
        return data;
      });
    });
  }

  // A Janus session over one WebSocket: requests matched to answers by transaction.
  function JanusSocket(url, token) {
    this.url = url;
    this.token = token;
    this.pending = {};
    this.onevent = function () {};
  }

  JanusSocket.prototype.open = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      var socket = new WebSocket(self.url, "janus-protocol");
      self.socket = socket;
      socket.onopen = function () { resolve(); };
      socket.onerror = function () { reject(new Error("gateway_unreachable")); };
      socket.onclose = function () { self.onevent({ janus: "closed" }); };
      socket.onmessage = function (message) { self.receive(JSON.parse(message.data)); };
    });
  };

  JanusSocket.prototype.receive = function (message) {
    var waiting = this.pending[message.transaction];
    if (waiting && message.janus !== "ack") {
      delete this.pending[message.transaction];
      if (message.janus === "error") waiting.reject(new Error(message.error.reason));
      else waiting.resolve(message);
      return;
    }
    if (!waiting) this.onevent(message);
  };

  JanusSocket.prototype.send = function (message) {
    var self = this;
    var transaction = "t" + (++counter);
    message.transaction = transaction;
    message.token = this.token;
    if (this.session) message.session_id = this.session;
    if (this.handle && message.janus !== "create" && message.janus !== "attach") {
      message.handle_id = this.handle;
    }
    return new Promise(function (resolve, reject) {
      self.pending[transaction] = { resolve: resolve, reject: reject };
      self.socket.send(JSON.stringify(message));
    });
  };

  JanusSocket.prototype.close = function () {
    if (this.keepalive) clearInterval(this.keepalive);
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      if (this.session) {
        this.socket.send(JSON.stringify({
          janus: "destroy", transaction: "bye", token: this.token, session_id: this.session,
        }));
      }
      this.socket.close();
    }
  };

  // One tile: a camera playing in a <video>, with its state written on it.
  function Player(tile) {
    this.tile = tile;
    this.video = tile.querySelector("video");
    this.state = tile.querySelector("[data-player-state]");
  }

  Player.prototype.show = function (text, kind) {
    this.tile.dataset.state = kind;
    if (this.state) {
      this.state.textContent = text;
      this.state.hidden = kind === "playing";
    }
  };

  Player.prototype.play = function (code, quality) {
    var self = this;
    this.stop();
    this.code = code;
    this.tile.dataset.camera = code;
    this.show("正在连接…", "opening");
    var started = performance.now();
    return api("/api/v1/cameras/" + encodeURIComponent(code) + "/live", { quality: quality })
      .then(function (live) {
        self.live = live;
        self.beat = setInterval(function () { self.heartbeat(); }, BEAT_MS);
        return self.watch(live, started);
      })
      .catch(function (error) { self.fail(error); });
  };

  Player.prototype.watch = function (live, started) {
    var self = this;
    var janus = new JanusSocket(live.gateway, live.token);
    this.janus = janus;
    var pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    pc.ontrack = function (event) {
      if (!self.video.srcObject) self.video.srcObject = new MediaStream();
      self.video.srcObject.addTrack(event.track);
    };
    pc.onicecandidate = function (event) {
      janus.send({ janus: "trickle", candidate: event.candidate || { completed: true } })
        .catch(function () {});
    };
    this.video.onplaying = function () {
      clearTimeout(self.timer);
      self.tile.dataset.firstFrameMs = String(Math.round(performance.now() - started));
      self.show("", "playing");
    };
    this.timer = setTimeout(function () {
      self.fail({ code: "stream_timeout", message: FRAME_TIMEOUT_MS / 1000 + " 秒内未收到画面" });
    }, FRAME_TIMEOUT_MS);
    janus.onevent = function (message) { self.janusEvent(message); };
    return janus.open()
      .then(function () { return janus.send({ janus: "create" }); })
      .then(function (answer) {
        janus.session = answer.data.id;
        janus.keepalive = setInterval(function () {
          janus.send({ janus: "keepalive" }).catch(function () {});
        }, 25000);
        return janus.send({ janus: "attach", plugin: "janus.plugin.streaming" });
      })
      .then(function (answer) {
        janus.handle = answer.data.id;
        return janus.send({ janus: "message", body: { request: "watch", id: live.stream_id } });
      })
      .then(function (answer) { return self.answerOffer(answer); });
  };

  Player.prototype.answerOffer = function (message) {
    var self = this;
    var data = (message.plugindata || {}).data || {};
    if (data.error) throw Object.assign(new Error(data.error), { code: "stream_refused" });
    if (!message.jsep) return null; // the offer comes as an event
    return this.pc.setRemoteDescription(message.jsep)
      .then(function () { return self.pc.createAnswer(); })
      .then(function (answer) { return self.pc.setLocalDescription(answer).then(function () { return answer; }); })
      .then(function (answer) {
        return self.janus.send({ janus: "message", body: { request: "start" }, jsep: answer });
      });
  };

  Player.prototype.janusEvent = function (message) {
    var self = this;
    if (message.janus === "event" && message.jsep) {
      this.answerOffer(message).catch(function (error) { self.fail(error); });
    } else if (message.janus === "hangup" || message.janus === "closed") {
      if (this.tile.dataset.state === "playing") {
        this.fail({ code: "stream_ended", message: message.reason || "网关连接关闭" });
      }
    }
  };

  var MESSAGES = {
    camera_offline: "离线",
    stream_ended: "视频已中断",
    gateway_unavailable: "视频网关未运行",
    gateway_unreachable: "无法连接视频网关",
    stream_timeout: "拉流超时",
  };

  Player.prototype.fail = function (error) {
    var code = error.code || error.message;
    var title = MESSAGES[code] || "无法播放";
    var detail = error.message && error.message !== code ? "：" + error.message : "";
    this.teardown();
    this.show(title + detail, "failed");
    this.tile.dataset.error = code;
  };

  Player.prototype.heartbeat = function () {
    if (!this.live) return;
    var self = this;
    api("/api/v1/camera-views/" + this.live.view_id + "/beat").then(function (fresh) {
      // Janus checks the token on every request, keep-alives included.
      if (self.janus) self.janus.token = fresh.token;
    }).catch(function (error) {
      if (error.code === "view_closed") self.fail({ code: "view_closed", message: "观看已结束" });
    });
  };

  Player.prototype.teardown = function () {
    clearTimeout(this.timer);
    clearInterval(this.beat);
    if (this.janus) this.janus.close();
    if (this.pc) this.pc.close();
    if (this.video) this.video.srcObject = null;
    this.janus = this.pc = null;
  };

  Player.prototype.stop = function () {
    var live = this.live;
    this.teardown();
    this.live = null;
    if (live) api("/api/v1/camera-views/" + live.view_id + "/stop").catch(function () {});
  };

  window.ZhiliPlayer = Player;

  // Every tile on the page starts itself when it names a camera; leaving the page stops them.
  document.addEventListener("DOMContentLoaded", function () {
    var players = [];
    document.querySelectorAll("[data-player]").forEach(function (tile) {
      var player = new Player(tile);
      tile.zhiliPlayer = player;
      players.push(player);
      if (tile.dataset.autoplay) player.play(tile.dataset.autoplay, tile.dataset.quality || "main");
    });
    window.addEventListener("pagehide", function () {
      players.forEach(function (player) { player.stop(); });
    });
  });
})();
