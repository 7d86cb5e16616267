// The waiting-room display: shows each call ("ticket.called": number and desk) as it arrives over the
// office's websocket, and reconnects after a drop with a growing pause (1 s doubling up to 30 s).
(function () {
  "use strict";
  var EARLIER_ROWS = 7;
  var display = document.getElementById("display");
  var latest = document.getElementById("latest-call");
  var earlier = document.getElementById("earlier-calls");
  var template = document.getElementById("latest-template");
  var offline = document.getElementById("offline-text");
  var delay = 1000;

  function current() {
    var number = latest.querySelector(".number");
    var desk = latest.querySelector(".desk");
    return number && desk ? { number: number.textContent, desk: desk.textContent } : null;
  }

  function show(call) {
    var previous = current();
    if (previous && !(previous.number === call.number && previous.desk === call.desk)) {
      var row = document.createElement("tr");
      [previous.number, previous.desk].forEach(function (text) {
        var cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      });
      earlier.insertBefore(row, earlier.firstChild);
      while (earlier.children.length > EARLIER_ROWS) earlier.removeChild(earlier.lastChild);
    }
    var fresh = template.content.cloneNode(true);
    fresh.querySelector(".number").textContent = call.number;
    fresh.querySelector(".desk").textContent = call.desk;
    latest.replaceChildren(fresh);
    latest.classList.remove("flash");
    void latest.offsetWidth; // restart the highlight animation
    latest.classList.add("flash");
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + display.dataset.socketPath);
    socket.onopen = function () {
      delay = 1000;
      offline.hidden = true;
    };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.event === "ticket.called") show(event.data);
    };
    socket.onclose = function (closed) {
      offline.hidden = false;
      if (closed.code === 4403) return; // the link was revoked: reconnecting cannot help
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
