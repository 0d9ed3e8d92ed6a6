// A meeting's broadcast (会议直播). On the viewing page: wait until it is live (GET
// /api/v1/rooms/{n}/broadcast every 5 s), play its HLS through hls.js (Safari natively), and
// beat every 15 s (the invited person's attendance); a broadcast that stops is said and
// waited for again. On the host's room page: start and stop, with the state said.
(function () {
  "use strict";

  var POLL_MS = 5000;
  var BEAT_MS = 15000;
  var api = window.ZhiliApi.post; // web/api.js

  function status(number) {
    return fetch("/api/v1/rooms/" + encodeURIComponent(number) + "/broadcast", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw Object.assign(new Error(data.detail || "HTTP " + response.status), { code: data.code });
        return data;
      });
    });
  }

  var SAID = {
    none: "主持人尚未开始直播，请稍候（页面会自动刷新）…",
    starting: "直播正在启动…",
    stopped: "直播已结束。",
    failed: "直播未能启动",
  };

  function Viewer(root) {
    this.root = root;
    this.number = root.dataset.broadcastRoom;
    this.video = root.querySelector("video");
    this.said = root.querySelector("[data-broadcast-said]");
  }

  Viewer.prototype.show = function (state, text) {
    this.root.dataset.state = state;
    this.said.textContent = text;
  };

  Viewer.prototype.wait = function () {
    var self = this;
    clearTimeout(this.timer);
    status(this.number).then(function (data) {
      if (data.state === "live" && data.playlist) {
        self.play(data.playlist);
        return;
      }
      var text = SAID[data.state] || SAID.none;
      if (data.state === "failed" && data.error) text += "：" + data.error;
      self.show("waiting", text);
      self.timer = setTimeout(function () { self.wait(); }, POLL_MS);
    }).catch(function (error) {
      self.show("failed", "无法查询直播：" + error.message);
      self.timer = setTimeout(function () { self.wait(); }, POLL_MS);
    });
  };

  Viewer.prototype.play = function (playlist) {
    var self = this;
    this.show("loading", "正在连接直播…");
    this.video.onplaying = function () { self.show("live", "直播中"); };
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ liveSyncDurationCount: 2, lowLatencyMode: false });
      this.hls = hls;
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (data.fatal) self.stopped("直播中断，正在重新连接…");
      });
      hls.loadSource(playlist);
      hls.attachMedia(this.video);
    } else {
      this.video.src = playlist; // Safari plays HLS itself
    }
    this.video.play().catch(function () {});
    this.beat();
    this.beats = setInterval(function () { self.beat(); }, BEAT_MS);
  };

  Viewer.prototype.beat = function () {
    var self = this;
    api("/api/v1/rooms/" + encodeURIComponent(this.number) + "/broadcast/beat").then(function (heard) {
      self.root.dataset.counted = heard.counted ? "1" : "";
      if (heard.state !== "live") self.stopped(SAID[heard.state] || SAID.none);
    }).catch(function () {});
  };

  Viewer.prototype.stopped = function (text) {
    clearInterval(this.beats);
    if (this.hls) this.hls.destroy();
    this.hls = null;
    this.video.removeAttribute("src");
    this.show("waiting", text);
    var self = this;
    this.timer = setTimeout(function () { self.wait(); }, POLL_MS);
  };

  // The host's buttons beside the room: start, stop, and what the broadcast is doing.
  function HostPanel(root) {
    var self = this;
    this.root = root;
    this.number = root.dataset.broadcastRoom;
    this.start = root.querySelector("[data-broadcast-start]");
    this.stop = root.querySelector("[data-broadcast-stop]");
    this.said = root.querySelector("[data-broadcast-state]");
    this.start.addEventListener("click", function () { self.act("start"); });
    this.stop.addEventListener("click", function () { self.act("stop"); });
    this.refresh();
  }

  HostPanel.prototype.render = function (data) {
    var running = data.state === "starting" || data.state === "live";
    this.root.dataset.state = data.state;
    this.start.hidden = running;
    this.stop.hidden = !running;
    var text = { none: "未直播", starting: "直播启动中…", live: "直播中", stopped: "直播已停止", failed: "直播失败" }[data.state];
    this.said.textContent = text + (data.state === "failed" && data.error ? "：" + data.error : "");
    clearTimeout(this.timer);
    var self = this;
    if (running) this.timer = setTimeout(function () { self.refresh(); }, 3000);
  };

  HostPanel.prototype.refresh = function () {
    var self = this;
    return status(this.number).then(function (data) { self.render(data); }).catch(function () {});
  };

  HostPanel.prototype.act = function (action) {
    var self = this;
    api("/api/v1/rooms/" + encodeURIComponent(this.number) + "/broadcast", { action: action })
      .then(function (data) { self.render(data); })
      .catch(function (error) { self.said.textContent = error.message; });
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-broadcast-viewer]").forEach(function (root) {
      var viewer = new Viewer(root);
      root.zhiliViewer = viewer;
      viewer.wait();
    });
    document.querySelectorAll("[data-broadcast-host]").forEach(function (root) {
      root.zhiliBroadcast = new HostPanel(root);
    });
  });
})();
