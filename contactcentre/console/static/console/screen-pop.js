/* The live screen pop on an agent's staff pages: listens on /ws/agent/ and, when a contact is put through
   ("contact.connected"), shows an alert with a link to that contact's workspace. Reconnects with
   exponential backoff (1 s doubling to 30 s, with jitter) while the page is open; stops when the server
   says the session or the permission is gone (4401, 4403). The markup and its text come from the page
   (#screen-pop-template), so the script holds no text of its own. */
(function () {
  "use strict";
  var NOT_SIGNED_IN = 4401;
  var NOT_ALLOWED = 4403;
  var FIRST_DELAY = 1000;
  var MAX_DELAY = 30000;

  function start() {
    var region = document.getElementById("screen-pops");
    var template = document.getElementById("screen-pop-template");
    if (!region || !template || !("WebSocket" in window)) return;
    var delay = FIRST_DELAY;

    function contactUrl(id) {
      // The page gives the URL of contact 0; swap in this contact's id.
      return region.dataset.contactUrl.replace(/\/0\/$/, "/" + encodeURIComponent(id) + "/");
    }

    function show(data) {
      var id = parseInt(data && data.contact_moment, 10);
      if (!id) return;
      var pop = template.content.firstElementChild.cloneNode(true);
      pop.dataset.contact = String(id);
      pop.querySelector("[data-pop-open]").href = contactUrl(id);
      pop.querySelector("[data-pop-close]").addEventListener("click", function () {
        pop.remove();
      });
      region.prepend(pop);
    }

    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + region.dataset.socketPath);
      socket.addEventListener("open", function () {
        delay = FIRST_DELAY;
        region.dataset.live = "true";
      });
      socket.addEventListener("message", function (message) {
        var event;
        try {
          event = JSON.parse(message.data);
        } catch (error) {
          return;
        }
        if (event.event === "contact.connected") show(event.data);
      });
      socket.addEventListener("close", function (closed) {
        region.dataset.live = "false";
        if (closed.code === NOT_SIGNED_IN || closed.code === NOT_ALLOWED) return;
        var wait = delay * (0.8 + Math.random() * 0.4);
        delay = Math.min(delay * 2, MAX_DELAY);
        window.setTimeout(connect, wait);
      });
    }

    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
