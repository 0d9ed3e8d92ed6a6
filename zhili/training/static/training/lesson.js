// The lesson page's player (网上培训): it tells the platform what it has played.
//
// Every BEAT_MS while playing, and at play, pause, end and when the page is hidden, it posts
// the video element's `played` ranges (cumulative since the page opened) and its position to
// the lesson's /watch endpoint (zhili/training/watching.py merges and bounds them), then shows
// the answer: the share watched and whether the lesson is done. Faster than 1× is held at 1×.
(function () {
  "use strict";

  var BEAT_MS = 10000;
  var video = document.querySelector("video[data-beat-url]");
  if (!video) return;
  var url = video.getAttribute("data-beat-url");
  var status = document.querySelector("[data-testid=my-status]");
  var timer = null;
  var sending = false;

  function ranges() {
    var out = [];
    for (var i = 0; i < video.played.length; i++) {
      out.push([video.played.start(i), video.played.end(i)]);
    }
    return out;
  }

  function show(answer) {
    if (!status) return;
    status.querySelector("[data-role=percent]").textContent = answer.percent;
    status.querySelector("[data-role=watched]").textContent = Math.round(answer.watched_s);
    status.querySelector("[data-role=bar]").style.width = answer.percent + "%";
    status.querySelector("[data-role=state]").textContent = answer.done
      ? "本课时已完成" : answer.watched ? "已看满，请刷新页面参加测验" : "未看满";
    status.setAttribute("data-percent", answer.percent);
  }

  function beat() {
    if (sending) return;
    sending = true;
    window.ZhiliApi.post(url, { played: ranges(), position: video.currentTime || 0 })
      .then(show)
      .catch(function (error) { console.warn("watch beat refused:", error.message); })
      .then(function () { sending = false; });
  }

  var start = parseFloat(video.getAttribute("data-position") || "0");
  video.addEventListener("loadedmetadata", function () {
    if (start > 0 && start < video.duration - 1) video.currentTime = start;
  }, { once: true });
  video.addEventListener("ratechange", function () {
    if (video.playbackRate > 1) video.playbackRate = 1;
  });
  video.addEventListener("play", function () {
    beat();
    if (!timer) timer = setInterval(beat, BEAT_MS);
  });
  ["pause", "ended"].forEach(function (name) {
    video.addEventListener(name, function () {
      clearInterval(timer);
      timer = null;
      beat();
    });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") beat();
  });
})();
