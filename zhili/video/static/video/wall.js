// The video wall: 1, 4, 9 or 16 tiles of sub streams, the list of chosen cameras, the patrol
// (轮巡: every N seconds the tiles move on to the next cameras) and the layout form. Playing is
// player.js's (window.ZhiliPlayer); saving is the page's form (walls.py checks it).
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var wall = document.getElementById("wall");
    if (!wall) return;
    var chosen = JSON.parse(document.getElementById("wall-cameras").textContent);
    var template = document.getElementById("tile-template");
    var tilesSelect = document.getElementById("wall-tiles");
    var patrolSelect = document.getElementById("wall-patrol");
    var players = [];
    var selected = 0;
    var offset = 0;
    var patrol = null;

    function tileCount() { return parseInt(tilesSelect.value, 10); }

    function build() {
      players.forEach(function (player) { player.stop(); });
      wall.innerHTML = "";
      players = [];
      wall.dataset.layout = String(tileCount());
      for (var i = 0; i < tileCount(); i++) {
        var tile = template.content.firstElementChild.cloneNode(true);
        tile.dataset.index = String(i);
        tile.dataset.testid = "tile-" + i;
        tile.setAttribute("data-testid", "tile-" + i);
        tile.addEventListener("click", select.bind(null, i));
        wall.appendChild(tile);
        players.push(new window.ZhiliPlayer(tile));
      }
      select(Math.min(selected, tileCount() - 1));
      show();
    }

    function select(index) {
      selected = index;
      players.forEach(function (player, i) { player.tile.classList.toggle("selected", i === index); });
    }

    // The cameras on the tiles now: the list from `offset`, wrapping while it patrols.
    function show() {
      var n = tileCount();
      players.forEach(function (player, i) {
        var camera = null;
        if (chosen.length) {
          var at = chosen.length > n ? (offset + i) % chosen.length : i;
          camera = i < chosen.length ? chosen[at] : null;
        }
        var label = player.tile.querySelector(".player-label");
        if (!camera) {
          player.stop();
          player.code = null;
          player.tile.removeAttribute("data-camera");
          player.show("空闲：选中后在左侧点选点位", "idle");
          if (label) label.textContent = "";
          return;
        }
        if (label) label.textContent = camera.name;
        if (player.code !== camera.code || player.tile.dataset.state === "failed") {
          player.play(camera.code, "sub");
        }
      });
      document.getElementById("wall-codes").value = chosen.map(function (c) { return c.code; }).join(",");
      renderChosen();
    }

    function renderChosen() {
      var list = document.getElementById("wall-chosen");
      list.innerHTML = "";
      chosen.forEach(function (camera, i) {
        var item = document.createElement("li");
        item.textContent = camera.name + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link-button";
        remove.textContent = "移除";
        remove.addEventListener("click", function () { chosen.splice(i, 1); show(); });
        item.appendChild(remove);
        list.appendChild(item);
      });
      document.getElementById("wall-count").textContent = "（" + chosen.length + " 个）";
    }

    // A picked camera goes on the selected tile (the list's place shown there), or at the end.
    function pick(camera) {
      if (chosen.some(function (c) { return c.code === camera.code; })) return;
      var at = selected < chosen.length ? selected : chosen.length;
      if (selected < chosen.length) chosen[at] = camera;
      else chosen.push(camera);
      select(Math.min(chosen.length, tileCount() - 1));
      show();
    }

    function restartPatrol() {
      clearInterval(patrol);
      var seconds = parseInt(patrolSelect.value, 10);
      wall.dataset.patrol = String(seconds);
      if (!seconds) return;
      patrol = setInterval(function () {
        if (chosen.length <= tileCount()) return;
        offset = (offset + tileCount()) % chosen.length;
        wall.dataset.offset = String(offset);
        show();
      }, seconds * 1000);
    }

    var search = document.getElementById("wall-search");
    var results = document.getElementById("wall-results");
    var pending = null;
    function find() {
      var query = "/api/v1/cameras?limit=30&status=online&q=" + encodeURIComponent(search.value.trim());
      fetch(query, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (page) {
          results.innerHTML = "";
          (page.items || []).forEach(function (camera) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "link-button";
            button.textContent = camera.name;
            button.title = camera.code + " · " + camera.owner.name;
            button.dataset.code = camera.code;
            button.addEventListener("click", function () { pick(camera); });
            item.appendChild(button);
            results.appendChild(item);
          });
          if (!results.children.length) results.innerHTML = "<li class=\"muted\">没有在线点位</li>";
        });
    }
    search.addEventListener("input", function () { clearTimeout(pending); pending = setTimeout(find, 250); });

    tilesSelect.addEventListener("change", function () { offset = 0; build(); restartPatrol(); });
    patrolSelect.addEventListener("change", restartPatrol);
    document.querySelectorAll("[data-navigate]").forEach(function (select) {
      select.addEventListener("change", function () { window.location.search = select.value; });
    });
    window.addEventListener("pagehide", function () {
      players.forEach(function (player) { player.stop(); });
    });
    build();
    restartPatrol();
    find();
  });
})();
