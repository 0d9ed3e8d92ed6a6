// The camera page's 录像回放: a day's recordings on the device (GET .../recordings) drawn as
// spans on a 24-hour bar; a click on a span plays from that moment to the span's end in the
// panel's own player (ZhiliPlayer.playback, video/player.js), with its controls: pause and
// resume, the speed, and a bar to drag to another moment (POST .../playback-control). Times
// are the platform's local time (Beijing), read and written as plain "YYYY-MM-DDTHH:MM:SS"
// whatever the browser's zone.
(function () {
  "use strict";

  var DAY_S = 86400;
  var api = window.ZhiliApi.post; // web/api.js

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // "YYYY-MM-DD" + seconds into the day → "YYYY-MM-DDTHH:MM:SS" (past midnight: the next day).
  function at(day, seconds) {
    var date = new Date(day + "T00:00:00Z");
    date.setUTCSeconds(seconds);
    return date.toISOString().slice(0, 19);
  }

  // An answer's time ("2026-11-25T10:00:00+08:00") as seconds into `day` (the wall clock).
  function offset(day, text) {
    var base = Date.parse(day + "T00:00:00Z");
    return (Date.parse(text.slice(0, 19) + "Z") - base) / 1000;
  }

  // The controls of the span playing: the position runs on from the platform's last answer
  // (where it was, at what speed, paused or not) until the next one.
  function Controls(panel) {
    var self = this;
    this.panel = panel;
    this.root = panel.root.querySelector("[data-playback-controls]");
    this.toggle = this.root.querySelector("[data-playback-toggle]");
    this.scale = this.root.querySelector("[data-playback-scale]");
    this.seek = this.root.querySelector("[data-playback-seek]");
    this.position = this.root.querySelector("[data-playback-position]");
    this.toggle.addEventListener("click", function () {
      self.send({ action: self.head.paused ? "resume" : "pause" });
    });
    this.scale.addEventListener("change", function () {
      self.send({ action: "speed", scale: Number(self.scale.value) });
    });
    this.seek.addEventListener("input", function () {
      self.dragging = true;
      self.show(Number(self.seek.value));
    });
    this.seek.addEventListener("change", function () {
      self.dragging = false;
      self.send({ action: "seek", position: Number(self.seek.value) });
    });
    setInterval(function () { self.tick(); }, 500);
  }

  // A span of `seconds` from `from` seconds into `day` began playing in view `view`.
  Controls.prototype.start = function (view, day, from, seconds) {
    this.view = view;
    this.day = day;
    this.from = from;
    this.length = seconds;
    this.head = { position: 0, scale: 1, paused: false, since: Date.now() };
    this.seek.max = String(Math.max(0, seconds - 1));
    this.scale.value = "1";
    this.toggle.textContent = "暂停";
    this.root.dataset.state = "playing";
    this.root.hidden = false;
    this.tick();
  };

  Controls.prototype.stop = function () {
    this.view = null;
    this.root.hidden = true;
  };

  Controls.prototype.now = function () {
    var head = this.head;
    if (head.paused) return head.position;
    return Math.min(this.length, head.position + (Date.now() - head.since) / 1000 * head.scale);
  };

  Controls.prototype.tick = function () {
    if (!this.view || this.dragging) return;
    var position = this.now();
    this.seek.value = String(Math.floor(position));
    this.show(position);
  };

  Controls.prototype.show = function (position) {
    var clock = function (seconds) { return at(this.day, this.from + seconds).slice(11, 19); }.bind(this);
    this.position.textContent = clock(Math.floor(position)) + " / " + clock(this.length);
  };

  Controls.prototype.send = function (body) {
    var self = this;
    if (!this.view) return Promise.resolve();
    this.root.dataset.state = "busy";
    return api("/api/v1/camera-views/" + this.view + "/playback-control", body).then(function (head) {
      self.head = { position: head.position, scale: head.scale, paused: head.paused, since: Date.now() };
      self.toggle.textContent = head.paused ? "继续" : "暂停";
      self.scale.value = String(head.scale);
      self.root.dataset.state = head.paused ? "paused" : "playing";
      self.root.dataset.scale = String(head.scale);
      self.tick();
    }).catch(function (error) {
      self.root.dataset.state = "failed";
      self.panel.said.textContent = "回放控制失败：" + error.message;
    });
  };

  function Panel(root) {
    this.root = root;
    this.code = root.dataset.playback;
    this.day = root.querySelector("input[name=day]");
    this.bar = root.querySelector("[data-timeline]");
    this.said = root.querySelector("[data-playback-said]");
    this.tile = root.querySelector("[data-player]");
    this.controls = new Controls(this);
  }

  Panel.prototype.load = function () {
    var self = this;
    var day = this.day.value;
    var asked = (this.asked = (this.asked || 0) + 1); // an earlier day's late answer is dropped
    this.bar.querySelectorAll(".rec-span").forEach(function (span) { span.remove(); });
    this.root.dataset.state = "loading";
    this.said.textContent = "正在向设备检索录像…";
    var query = "?start=" + at(day, 0) + "&end=" + at(day, DAY_S);
    return fetch("/api/v1/cameras/" + encodeURIComponent(this.code) + "/recordings" + query, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw data;
        return data;
      });
    }).then(function (data) {
      if (asked !== self.asked) return;
      self.draw(day, data.items);
      self.root.dataset.state = "loaded";
      self.said.textContent = data.count
        ? "共 " + data.count + " 段录像，点击时间条上的录像段从该时刻开始回放"
        : "当天没有录像";
    }).catch(function (error) {
      if (asked !== self.asked) return;
      self.root.dataset.state = "failed";
      self.said.textContent = "检索失败：" + (error.detail || error.message || "网络错误");
    });
  };

  Panel.prototype.draw = function (day, items) {
    var self = this;
    items.forEach(function (item) {
      var from = Math.max(0, offset(day, item.start));
      var to = Math.min(DAY_S, offset(day, item.end));
      if (to <= from) return;
      var span = document.createElement("button");
      span.type = "button";
      span.className = "rec-span";
      span.dataset.from = String(from);
      span.dataset.to = String(to);
      span.dataset.testid = "rec-span";
      span.title = item.start.slice(11, 19) + " – " + item.end.slice(11, 19);
      span.style.left = (100 * from / DAY_S) + "%";
      span.style.width = (100 * (to - from) / DAY_S) + "%";
      span.addEventListener("click", function (event) { self.clicked(span, event); });
      self.bar.appendChild(span);
    });
  };

  // The moment under the pointer, to the end of its span.
  Panel.prototype.clicked = function (span, event) {
    var box = span.getBoundingClientRect();
    var from = Number(span.dataset.from), to = Number(span.dataset.to);
    var share = box.width ? (event.clientX - box.left) / box.width : 0;
    var moment = Math.min(to - 1, Math.floor(from + share * (to - from)));
    var day = this.day.value;
    this.said.textContent = "回放 " + at(day, moment).replace("T", " ") + " 起";
    // In sight: the browser holds back a muted autoplay video that is off the screen.
    this.tile.scrollIntoView({ block: "nearest" });
    var player = this.tile.zhiliPlayer;
    var controls = this.controls;
    controls.stop();
    player.playback(this.code, at(day, moment), at(day, to)).then(function () {
      if (player.live && player.live.quality === "playback" && player.tile.dataset.state !== "failed") {
        controls.start(player.live.view_id, day, moment, to - moment);
      }
    });
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-playback]").forEach(function (root) {
      var panel = new Panel(root);
      root.querySelector("[data-playback-form]").addEventListener("submit", function (event) {
        event.preventDefault();
        panel.load();
      });
      panel.load();
    });
  });
})();
