// A Janus session over one WebSocket, the way the pages speak to the gateway (the live
// player, video/player.js, and the video rooms, rooms/room.js): several plugin handles on one
// session, answers matched to requests by transaction, events routed to their handle by
// sender, keep-alives every 25 s with the token the page's beats renew (`session.token`).
(function () {
  "use strict";

  var counter = 0;

  function Session(url, token) {
    this.url = url;
    this.token = token;
    this.pending = {};
    this.handles = {};
    this.onclose = function () {};
  }

  Session.prototype.open = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      var socket = new WebSocket(self.url, "janus-protocol");
      self.socket = socket;
      socket.onopen = function () { resolve(); };
      socket.onerror = function () { reject(Object.assign(new Error("无法连接视频网关"), { code: "gateway_unreachable" })); };
      socket.onclose = function () { self.onclose(); };
      socket.onmessage = function (message) { self.receive(JSON.parse(message.data)); };
    }).then(function () { return self.send({ janus: "create" }); })
      .then(function (answer) {
        self.session = answer.data.id;
        self.keepalive = setInterval(function () {
          self.send({ janus: "keepalive" }).catch(function () {});
        }, 25000);
      });
  };

  Session.prototype.receive = function (message) {
    var waiting = this.pending[message.transaction];
    if (waiting && (message.janus !== "ack" || waiting.ack)) {
      delete this.pending[message.transaction];
      if (message.janus === "error") {
        waiting.reject(Object.assign(new Error(message.error.reason), { code: "janus_" + message.error.code }));
      } else {
        waiting.resolve(message);
      }
      return;
    }
    if (waiting) return;
    var handle = this.handles[message.sender];
    if (handle) handle(message);
  };

  Session.prototype.send = function (message, handle, ack) {
    var self = this;
    var transaction = "r" + (++counter);
    message.transaction = transaction;
    message.token = this.token;
    if (this.session) message.session_id = this.session;
    if (handle) message.handle_id = handle;
    return new Promise(function (resolve, reject) {
      self.pending[transaction] = { resolve: resolve, reject: reject, ack: !!ack };
      self.socket.send(JSON.stringify(message));
    });
  };

  // A request to the plugin on `handle`: its answer, or an error naming the plugin's code
  // ("videoroom_433": the VideoRoom's unauthorized; "streaming_455": no such mountpoint).
  Session.prototype.request = function (handle, body, jsep) {
    var message = { janus: "message", body: body };
    if (jsep) message.jsep = jsep;
    return this.send(message, handle).then(function (answer) {
      var data = (answer.plugindata || {}).data || {};
      if (data.error_code) {
        var plugin = data.videoroom ? "videoroom" : data.streaming ? "streaming" : "plugin";
        throw Object.assign(new Error(data.error), { code: plugin + "_" + data.error_code });
      }
      return answer;
    });
  };

  // Attach `plugin` (janus.plugin.videoroom, janus.plugin.streaming): its handle id; the
  // handle's events go to `onevent`.
  Session.prototype.attach = function (plugin, onevent) {
    var self = this;
    return this.send({ janus: "attach", plugin: plugin }).then(function (answer) {
      self.handles[answer.data.id] = onevent;
      return answer.data.id;
    });
  };

  Session.prototype.trickle = function (handle, pc) {
    var self = this;
    pc.onicecandidate = function (event) {
      self.send({ janus: "trickle", candidate: event.candidate || { completed: true } }, handle, true)
        .catch(function () {});
    };
  };

  Session.prototype.close = function () {
    clearInterval(this.keepalive);
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      if (this.session) {
        this.socket.send(JSON.stringify({
          janus: "destroy", transaction: "bye", token: this.token, session_id: this.session,
        }));
      }
      this.socket.close();
    }
  };

  window.ZhiliJanus = { Session: Session };
})();
