// PTZ buttons on the single view: pressed, the camera turns or zooms; released, it stops
// (POST /api/v1/cameras/{code}/ptz). A refusal is written under the buttons. The commands of
// a panel go one after another: a stop never overtakes the move it ends (an ONVIF camera's
// move is a few requests to the camera, a quick release could otherwise arrive first).
(function () {
  "use strict";

  function send(panel, command) {
    var previous = panel._ptzQueue || Promise.resolve();
    panel._ptzQueue = previous.then(function () { return post(panel, command); }, function () { return post(panel, command); });
    return panel._ptzQueue;
  }

  function post(panel, command) {
    var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    var speed = parseInt(panel.querySelector("[name=speed]").value, 10);
    return fetch("/api/v1/cameras/" + encodeURIComponent(panel.dataset.ptz) + "/ptz", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ command: command, speed: speed }),
    }).then(function (response) {
      var said = panel.querySelector("[data-ptz-said]");
      if (response.ok) {
        said.textContent = command === "stop" ? "" : "云台动作中…";
        panel.dataset.last = command;
        return;
      }
      return response.json().then(function (error) { said.textContent = error.detail || "云台控制失败"; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-ptz]").forEach(function (panel) {
      panel.querySelectorAll("[data-command]").forEach(function (button) {
        var moving = false;
        function start(event) {
          event.preventDefault();
          moving = true;
          send(panel, button.dataset.command);
        }
        function stop() {
          if (!moving) return;
          moving = false;
          send(panel, "stop");
        }
        button.addEventListener("pointerdown", start);
        button.addEventListener("pointerup", stop);
        button.addEventListener("pointerleave", stop);
      });
    });
  });
})();
