// The camera page's 录像回放: a day's recordings on the device (GET .../recordings) drawn as
// spans on a 24-hour bar; a click on a span plays from that moment to the span's end in the
// panel's own player (ZhiliPlayer.playback, video/player.js). Times are the platform's local
// time (Beijing), read and written as plain "YYYY-MM-DDTHH:MM:SS" whatever the browser's zone.
(function () {
  "use strict";

  var DAY_S = 86400;

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

  function Panel(root) {
    this.root = root;
    this.code = root.dataset.playback;
    this.day = root.querySelector("input[name=day]");
    this.bar = root.querySelector("[data-timeline]");
    this.said = root.querySelector("[data-playback-said]");
    this.tile = root.querySelector("[data-player]");
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
    this.tile.zhiliPlayer.playback(this.code, at(day, moment), at(day, to));
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
