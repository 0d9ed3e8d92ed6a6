// The video room: Janus's VideoRoom plugin over WebSocket and WebRTC (the style of
// video/player.js). The platform decides who may sit in the room and mints the tokens (the
// staff's POST /api/v1/rooms/{number}/join, or the outside party's page after the code); this
// file publishes the camera and microphone, subscribes to every other participant, keeps the
// platform told the page is there (beats, for the attendance), and gives the host the buttons.
// A silent supervisor's page (静默督导, data-watch-api) publishes nothing: it lists the room's
// publishers every few seconds and subscribes to them, so no participant's page shows it.
(function () {
  "use strict";

  var BEAT_MS = 15000; // the platform closes an attendance it has not heard from in 45 s
  var WAIT_MS = 5000; // a room not opened yet: ask again
  var LIST_MS = 3000; // a supervisor's page asks who publishes (subscribers are not told)
  var api = window.ZhiliApi.post; // web/api.js
  var VIDEOROOM = "janus.plugin.videoroom";

  var MESSAGES = {
    gateway_unavailable: "视频网关未运行，请联系工作人员",
    gateway_unreachable: "无法连接视频网关",
    room_ended: "会议已结束",
    kicked: "您已被主持人移出会议室",
    not_invited: "您未受邀参加该会议室",
    camera: "无法打开摄像头或麦克风",
  };

  function Room(element) {
    this.element = element;
    this.number = element.dataset.room;
    this.grid = element.querySelector("[data-room-grid]");
    this.stateText = element.querySelector("[data-room-state]");
    this.host = !!element.dataset.host;
    this.watching = !!element.dataset.watchApi;
    this.feeds = {};
  }

  Room.prototype.show = function (text, state) {
    this.element.dataset.state = state;
    this.stateText.textContent = text;
  };

  Room.prototype.start = function () {
    var self = this;
    this.show("正在进入会议室…", "connecting");
    if (this.watching) return this.startWatching();
    return this.seat()
      .then(function (ticket) {
        self.ticket = ticket;
        return navigator.mediaDevices.getUserMedia({
          audio: true, video: { width: 320, height: 180, frameRate: 15 },
        }).catch(function (error) {
          throw Object.assign(new Error(error.message), { code: "camera" });
        });
      })
      .then(function (media) {
        self.media = media;
        self.element.querySelector(".me video").srcObject = media;
        self.beat = setInterval(function () { self.heartbeat(); }, BEAT_MS);
        return self.connect();
      })
      .catch(function (error) {
        if (error.code === "room_not_open") {
          self.show("会议尚未开始，请等待主持人进入…", "waiting");
          self.retry = setTimeout(function () { self.start(); }, WAIT_MS);
          return;
        }
        self.fail(error);
      });
  };

  Room.prototype.startWatching = function () {
    var self = this;
    return api(this.element.dataset.watchApi)
      .then(function (ticket) {
        self.ticket = ticket;
        self.beat = setInterval(function () { self.heartbeat(); }, BEAT_MS);
        var janus = new window.ZhiliJanus.Session(ticket.gateway, ticket.token); // web/janus.js
        self.janus = janus;
        janus.onclose = function () {
          if (self.element.dataset.state === "watching") self.fail({ code: "gateway_unreachable" });
        };
        return janus.open()
          .then(function () { return janus.attach(VIDEOROOM, function (message) { self.publisherEvent(message); }); })
          .then(function (handle) {
            self.handle = handle;
            self.show("静默督导中", "watching");
            self.poller = setInterval(function () { self.listPublishers(); }, LIST_MS);
            return self.listPublishers();
          });
      })
      .catch(function (error) { self.fail(error); });
  };

  // Who publishes now: new ones subscribed to, gone ones dropped.
  Room.prototype.listPublishers = function () {
    var self = this;
    if (!this.janus) return null;
    return this.janus.request(this.handle, { request: "listparticipants", room: this.ticket.room })
      .then(function (answer) {
        var publishers = (answer.plugindata.data.participants || []).filter(function (p) { return p.publisher; });
        var now = {};
        publishers.forEach(function (p) { now[p.id] = true; self.subscribe(p); });
        Object.keys(self.feeds).forEach(function (feed) { if (!now[feed]) self.drop(feed); });
        self.element.dataset.publishers = String(publishers.length);
      })
      .catch(function (error) {
        if (error.code === "videoroom_426") self.finish("会议已结束", "ended"); // no such room
      });
  };

  // The seat: the outside party's page carries it; a staff member asks the API.
  Room.prototype.seat = function () {
    var holder = this.element.dataset.ticket && document.getElementById(this.element.dataset.ticket);
    if (holder && !this.usedEmbedded) {
      this.usedEmbedded = true;
      return Promise.resolve(JSON.parse(holder.textContent));
    }
    return api(this.element.dataset.joinApi);
  };

  Room.prototype.connect = function () {
    var self = this;
    var ticket = this.ticket;
    var janus = new window.ZhiliJanus.Session(ticket.gateway, ticket.token); // web/janus.js
    this.janus = janus;
    janus.onclose = function () {
      if (self.element.dataset.state === "joined") self.fail({ code: "gateway_unreachable" });
    };
    return janus.open()
      .then(function () { return janus.attach(VIDEOROOM, function (message) { self.publisherEvent(message); }); })
      .then(function (handle) {
        self.handle = handle;
        return janus.request(handle, {
          request: "join", ptype: "publisher", room: ticket.room, id: ticket.feed,
          display: ticket.display, token: ticket.room_token,
        });
      })
      .then(function (answer) {
        self.show("已进入会议室", "joined");
        var status = document.querySelector("[data-testid=room-status]");
        if (status) status.textContent = "进行中";
        self.heartbeat(); // at once: the attendance opens even without Janus's event handler
        self.element.dataset.feed = String(ticket.feed);
        var data = answer.plugindata.data;
        (data.publishers || []).forEach(function (p) { self.subscribe(p); });
        return self.publish();
      });
  };

  Room.prototype.publish = function () {
    var self = this;
    var pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    this.janus.trickle(this.handle, pc);
    // Audio first: its mid is "0", the one the host's mute (Janus `moderate`) names.
    this.media.getAudioTracks().forEach(function (track) { pc.addTrack(track, self.media); });
    this.media.getVideoTracks().forEach(function (track) { pc.addTrack(track, self.media); });
    return pc.createOffer()
      .then(function (offer) { return pc.setLocalDescription(offer).then(function () { return offer; }); })
      .then(function (offer) {
        return self.janus.request(self.handle, { request: "publish", audio: true, video: true }, offer);
      })
      .then(function (answer) {
        if (answer.jsep) return pc.setRemoteDescription(answer.jsep);
        return null;
      });
  };

  Room.prototype.publisherEvent = function (message) {
    var self = this;
    var data = (message.plugindata || {}).data || {};
    if (message.janus === "event" && message.jsep && this.pc && !this.pc.remoteDescription) {
      this.pc.setRemoteDescription(message.jsep).catch(function (error) { self.fail(error); });
    }
    if (data.videoroom === "destroyed") {
      this.finish("会议已结束", "ended");
      return;
    }
    if (data.videoroom !== "event") return;
    (data.publishers || []).forEach(function (p) { self.subscribe(p); });
    var gone = data.unpublished || data.leaving || data.kicked;
    if (gone === "ok") {
      this.finish(data.reason === "kicked" ? MESSAGES.kicked : "您已离开会议室", data.reason === "kicked" ? "kicked" : "left");
    } else if (gone) {
      this.drop(gone);
    }
  };

  Room.prototype.tile = function (feed, display) {
    var tile = this.feeds[feed];
    if (tile) return tile;
    tile = document.createElement("figure");
    tile.className = "room-tile";
    tile.dataset.feed = String(feed);
    tile.dataset.testid = "tile-" + feed;
    tile.setAttribute("data-testid", "tile-" + feed);
    tile.dataset.state = "opening";
    var video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    var caption = document.createElement("figcaption");
    caption.textContent = display || "参会人";
    tile.appendChild(video);
    tile.appendChild(caption);
    var started = performance.now();
    video.onplaying = function () {
      if (tile.dataset.state !== "playing") {
        tile.dataset.firstFrameMs = String(Math.round(performance.now() - started));
      }
      tile.dataset.state = "playing";
    };
    if (this.host) this.hostButtons(tile, feed);
    this.grid.appendChild(tile);
    this.feeds[feed] = tile;
    return tile;
  };

  Room.prototype.hostButtons = function (tile, feed) {
    var self = this;
    var bar = document.createElement("div");
    bar.className = "room-tile-actions";
    [["mute", "静音"], ["unmute", "取消静音"], ["kick", "移出"]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.textContent = pair[1];
      button.setAttribute("data-testid", pair[0] + "-" + feed);
      button.addEventListener("click", function () {
        if (pair[0] === "kick" && !window.confirm("确定将该参会人移出会议室？")) return;
        api("/api/v1/rooms/" + self.number + "/moderate", { participant: feed, action: pair[0] })
          .then(function () { tile.dataset.moderated = pair[0]; })
          .catch(function (error) { self.stateText.textContent = error.message; });
      });
      bar.appendChild(button);
    });
    tile.appendChild(bar);
  };

  Room.prototype.subscribe = function (publisher) {
    var self = this;
    if (this.feeds[publisher.id] || publisher.id === this.ticket.feed || !this.janus) return;
    var tile = this.tile(publisher.id, publisher.display);
    var janus = this.janus;
    var pc = new RTCPeerConnection({ iceServers: [] });
    tile.pc = pc;
    pc.ontrack = function (event) {
      var video = tile.querySelector("video");
      if (!video.srcObject) video.srcObject = new MediaStream();
      video.srcObject.addTrack(event.track);
      video.play().catch(function () {
        video.muted = true; // the browser refused sound without a click: picture at least
        video.play().catch(function () {});
      });
    };
    var handle;
    janus.attach(VIDEOROOM, function (message) {
      if (message.janus === "event" && message.jsep) self.answer(tile, handle, message.jsep).catch(function () {});
    })
      .then(function (id) {
        handle = id;
        tile.handle = id;
        janus.trickle(id, pc);
        return janus.request(id, {
          request: "join", ptype: "subscriber", room: self.ticket.room,
          streams: [{ feed: publisher.id }], token: self.ticket.room_token,
        });
      })
      .then(function (answer) { if (answer.jsep) return self.answer(tile, handle, answer.jsep); return null; })
      .catch(function (error) {
        tile.dataset.state = "failed";
        tile.dataset.error = error.code || error.message;
      });
  };

  // Janus may renegotiate a subscription (a feed unpublished, moderated) while an answer is on
  // its way: offers are answered one after another, never interleaved, and an offer that
  // comes to a closed connection (the tile dropped) is let go. A refused answer marks the tile.
  Room.prototype.answer = function (tile, handle, offer) {
    var pc = tile.pc;
    var janus = this.janus;
    var turn = (tile.negotiating || Promise.resolve()).then(function () {
      if (pc.signalingState === "closed") return null;
      return pc.setRemoteDescription(offer)
        .then(function () { return pc.createAnswer(); })
        .then(function (answer) { return pc.setLocalDescription(answer).then(function () { return answer; }); })
        .then(function (answer) { return janus.request(handle, { request: "start" }, answer); });
    });
    tile.negotiating = turn.catch(function (error) {
      if (pc.signalingState !== "closed") tile.dataset.error = error.code || error.message;
    });
    return turn;
  };

  Room.prototype.drop = function (feed) {
    var tile = this.feeds[feed];
    if (!tile) return;
    if (tile.pc) tile.pc.close();
    if (tile.handle && this.janus) this.janus.send({ janus: "detach" }, tile.handle).catch(function () {});
    tile.remove();
    delete this.feeds[feed];
  };

  // The heartbeat: over the seat's socket (/ws/rooms/seat/, zhili/rooms/consumers.py) once it
  // is open, else over HTTP (a silent watch always: its beat is the watcher's session's).
  Room.prototype.heartbeat = function () {
    var self = this;
    if (!this.ticket) return;
    if (!this.watching && !this.socket && !this.noSocket) this.openSocket();
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ seat: this.ticket.seat }));
      return;
    }
    var path = this.watching ? "/api/v1/rooms/watch/beat" : "/api/v1/rooms/beat";
    api(path, { seat: this.ticket.seat }).then(function (fresh) {
      self.beaten(fresh);
    }).catch(function (error) { self.refused(error); });
  };

  Room.prototype.beaten = function (fresh) {
    if (this.janus) this.janus.token = fresh.token; // Janus checks it on every request
    this.recording(fresh.recording);
  };

  Room.prototype.refused = function (error) {
    if (error.code === "kicked" || error.code === "room_ended") {
      this.finish(MESSAGES[error.code], error.code === "kicked" ? "kicked" : "ended");
    }
  };

  Room.prototype.openSocket = function () {
    var self = this;
    if (!window.WebSocket) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = (this.socket = new WebSocket(scheme + location.host + "/ws/rooms/seat/"));
    var opened = false;
    socket.onopen = function () {
      opened = true;
      self.element.dataset.beatOver = "socket";
      if (self.ticket) socket.send(JSON.stringify({ seat: self.ticket.seat }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "beat") self.beaten(message);
      else if (message.type === "refused") self.refused(message);
    };
    socket.onclose = function () {
      if (self.socket === socket) self.socket = null; // the next beat goes by HTTP, then retries
      if (!opened) self.noSocket = true; // a server without sockets: HTTP from now on
      self.element.dataset.beatOver = "http";
    };
  };

  // Recording (录音录像): every page shows whether the room records; a party says yes or no
  // (a no while recording stops it); the host starts and stops it, told by name who has not
  // agreed yet (the API's 409).
  Room.prototype.recording = function (on) {
    this.element.dataset.recording = on ? "1" : "";
    var badge = this.element.querySelector("[data-rec-badge]");
    if (badge) badge.hidden = !on;
    var start = this.element.querySelector("[data-record-start]");
    var stop = this.element.querySelector("[data-record-stop]");
    if (start) start.hidden = !!on;
    if (stop) stop.hidden = !on;
  };

  Room.prototype.consent = function (yes) {
    var self = this;
    var box = this.element.querySelector("[data-consent]");
    if (!this.ticket) return;
    api("/api/v1/rooms/consent", { seat: this.ticket.seat, consent: yes }).then(function () {
      box.dataset.answer = yes ? "yes" : "no";
      box.querySelector("[data-consent-text]").textContent = yes
        ? "您已同意录音录像（已记录）。"
        : "您不同意录音录像（已记录），会议不会被录制。";
      if (!yes) self.recording(false);
    }).catch(function (error) {
      box.querySelector("[data-consent-text]").textContent = error.message;
    });
  };

  Room.prototype.record = function (action) {
    var self = this;
    var message = this.element.querySelector("[data-rec-message]");
    message.textContent = "";
    api("/api/v1/rooms/" + this.number + "/recording", { action: action }).then(function () {
      self.recording(action === "start");
    }).catch(function (error) {
      message.textContent = error.message;
    });
  };

  Room.prototype.teardown = function () {
    var self = this;
    clearInterval(this.beat);
    clearInterval(this.poller);
    clearTimeout(this.retry);
    if (this.socket) {
      var socket = this.socket;
      this.socket = null;
      socket.close();
    }
    Object.keys(this.feeds).forEach(function (feed) { self.drop(feed); });
    if (this.janus) this.janus.close();
    if (this.pc) this.pc.close();
    if (this.media) this.media.getTracks().forEach(function (track) { track.stop(); });
    this.janus = this.pc = null;
  };

  Room.prototype.finish = function (text, state) {
    this.teardown();
    this.show(text, state);
  };

  Room.prototype.fail = function (error) {
    var code = error.code || error.message;
    var detail = error.message && error.message !== code ? "：" + error.message : "";
    this.teardown();
    this.element.dataset.error = code;
    this.show((MESSAGES[code] || "无法进入会议室") + detail, "failed");
  };

  Room.prototype.leave = function () {
    var seat = this.ticket && this.ticket.seat;
    this.teardown();
    var path = this.watching ? "/api/v1/rooms/watch/leave" : "/api/v1/rooms/leave";
    if (seat) api(path, { seat: seat }).catch(function () {});
  };

  Room.prototype.end = function () {
    var self = this;
    if (!window.confirm("结束会议后全体参会人将退出，确定结束？")) return;
    api("/api/v1/rooms/" + this.number + "/end").then(function () {
      self.finish("会议已结束", "ended");
    }).catch(function (error) { self.stateText.textContent = error.message; });
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-room]").forEach(function (element) {
      var room = new Room(element);
      element.zhiliRoom = room;
      var end = element.querySelector("[data-end-room]");
      if (end) end.addEventListener("click", function () { room.end(); });
      [["[data-consent-yes]", function () { room.consent(true); }],
        ["[data-consent-no]", function () { room.consent(false); }],
        ["[data-record-start]", function () { room.record("start"); }],
        ["[data-record-stop]", function () { room.record("stop"); }]].forEach(function (pair) {
        var button = element.querySelector(pair[0]);
        if (button) button.addEventListener("click", pair[1]);
      });
      window.addEventListener("pagehide", function () { room.leave(); });
      room.start();
    });
  });
})();
