// The live player: one <video> fed by Janus's Streaming plugin over WebSocket and WebRTC.
// The platform decides who may watch and mints the token (POST /api/v1/cameras/{code}/live);
// this file only speaks Janus's protocol, keeps the platform told the viewer is there, and
// shows a clear state instead of a black tile forever (离线 / 拉流超时 / 网关未运行).
(function () {
  "use strict";

  var FRAME_TIMEOUT_MS = 8000; // no frame by then: 拉流超时
  var BEAT_MS = 15000; // the platform closes a view it has not heard from in 45 s
  var api = window.ZhiliApi.post; // web/api.js

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
    return this.open(code, "live", { quality: quality });
  };

  // A GB/T 28181 camera's recording between start and end (naive local times, the platform's
  // zone): its own stream, beaten and stopped like live.
  Player.prototype.playback = function (code, start, end) {
    this.tile.dataset.span = start + "/" + end;
    return this.open(code, "playback", { start: start, end: end });
  };

  Player.prototype.open = function (code, what, body) {
    var self = this;
    this.stop();
    this.code = code;
    this.tile.dataset.camera = code;
    this.show("正在连接…", "opening");
    var started = performance.now();
    return api("/api/v1/cameras/" + encodeURIComponent(code) + "/" + what, body)
      .then(function (live) {
        self.live = live;
        self.beat = setInterval(function () { self.heartbeat(); }, BEAT_MS);
        return self.watch(live, started);
      })
      .catch(function (error) { self.fail(error); });
  };

  Player.prototype.watch = function (live, started) {
    var self = this;
    var janus = new window.ZhiliJanus.Session(live.gateway, live.token); // web/janus.js
    this.janus = janus;
    var pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    pc.ontrack = function (event) {
      if (!self.video.srcObject) self.video.srcObject = new MediaStream();
      self.video.srcObject.addTrack(event.track);
    };
    this.video.onplaying = function () {
      clearTimeout(self.timer);
      self.tile.dataset.firstFrameMs = String(Math.round(performance.now() - started));
      self.show("", "playing");
    };
    this.timer = setTimeout(function () {
      self.fail({ code: "stream_timeout", message: FRAME_TIMEOUT_MS / 1000 + " 秒内未收到画面" });
    }, FRAME_TIMEOUT_MS);
    janus.onclose = function () { self.janusEvent({ janus: "closed" }); };
    return janus.open()
      .then(function () {
        return janus.attach("janus.plugin.streaming", function (message) { self.janusEvent(message); });
      })
      .then(function (handle) {
        self.handle = handle;
        janus.trickle(handle, pc);
        return janus.send({ janus: "message", body: { request: "watch", id: live.stream_id } }, handle);
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
        return self.janus.send({ janus: "message", body: { request: "start" }, jsep: answer }, self.handle);
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
    camera_unreachable: "摄像机无法连接",
    onvif_auth_failed: "摄像机拒绝登录",
    record_timeout: "设备未答复录像检索",
    playback_unsupported: "该点位不支持设备录像回放",
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
