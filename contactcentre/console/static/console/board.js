// The supervisors' board, kept live: each "board.snapshot" from /ws/board/ has the shape the page was
// rendered from (contactcentre/firstline/board.py); an element with data-board="a.b.c" shows that
// place, a tbody with data-board-rows="a.b" one row per item, cloned from its row template, each
// data-field cell the item's field. Figures are formatted as the server formats them (console
// templatetags "board"). Only significant changes are announced (more escalations past their deadline,
// callers waiting again, the connection lost or back), not every refresh. After a drop it reconnects
// with a growing pause (1 s doubling up to 30 s); a refusal (signed out, no permission) is final.
(function () {
  "use strict";
  var REFUSED = [4401, 4403];
  var board = document.getElementById("board");
  var connection = document.getElementById("board-connection");
  var announcer = document.getElementById("board-announcer");
  var stateLabels = JSON.parse(board.dataset.stateLabels);
  var timeZone = board.dataset.timeZone;
  var delay = 1000;
  var lost = false;
  var pending = [];

  function at(data, path) {
    return path.split(".").reduce(function (value, key) {
      return value === null || value === undefined ? undefined : value[key];
    }, data);
  }

  function parts(iso, options) {
    var found = {};
    new Intl.DateTimeFormat("nl-NL", Object.assign({ timeZone: timeZone, hourCycle: "h23" }, options))
      .formatToParts(new Date(iso))
      .forEach(function (part) { found[part.type] = part.value; });
    return found;
  }

  var FORMATS = {
    duration: function (seconds) {
      if (seconds === null || seconds === undefined) return "\u2013";
      var rest = seconds % 60;
      return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
    },
    time: function (iso) {
      var p = parts(iso, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      return p.hour + ":" + p.minute + ":" + p.second;
    },
    deadline: function (iso) {
      var p = parts(iso, { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
      return p.day + "-" + p.month + "-" + p.year + " " + p.hour + ":" + p.minute;
    },
    state: function (code) { return stateLabels[code] || code; },
  };

  function show(element, value) {
    var format = FORMATS[element.dataset.format];
    element.textContent = format ? format(value) : value === null || value === undefined ? "" : String(value);
    if (element.dataset.format === "time") element.setAttribute("datetime", value);
  }

  function drawRows(tbody, rows, snapshotAt) {
    var template = document.getElementById(tbody.dataset.rowTemplate);
    var fresh = document.createDocumentFragment();
    rows.forEach(function (row) {
      var copy = template.content.cloneNode(true);
      copy.querySelectorAll("[data-field]").forEach(function (cell) { show(cell, row[cell.dataset.field]); });
      copy.querySelectorAll("[data-late]").forEach(function (mark) {
        mark.hidden = new Date(row.resolution_due) > new Date(snapshotAt);
      });
      fresh.appendChild(copy);
    });
    if (!rows.length) {
      var empty = document.createElement("tr");
      var cell = document.createElement("td");
      cell.colSpan = template.content.querySelectorAll("th, td").length;
      cell.textContent = tbody.dataset.emptyText;
      empty.appendChild(cell);
      fresh.appendChild(empty);
    }
    tbody.replaceChildren(fresh);
  }

  function shown(path) {
    var element = board.querySelector('[data-board="' + path + '"]');
    return element ? parseInt(element.textContent, 10) || 0 : 0;
  }

  // What happens together is said together (the connection back and the callers waiting, say), once.
  function announce(key, number) {
    if (!pending.length) {
      window.setTimeout(function () {
        announcer.textContent = pending.join(" ");
        pending = [];
      }, 100);
    }
    pending.push(announcer.dataset[key].replace("{n}", number));
  }

  function fill(data) {
    var overdue = at(data, "escalations.past_deadline");
    var callers = at(data, "calls.waiting");
    if (overdue > shown("escalations.past_deadline")) announce("textOverdue", overdue);
    if (callers > 0 && shown("calls.waiting") === 0) announce("textCalls", callers);
    board.querySelectorAll("[data-board]").forEach(function (element) {
      show(element, at(data, element.dataset.board));
    });
    board.querySelectorAll("[data-board-rows]").forEach(function (tbody) {
      drawRows(tbody, at(data, tbody.dataset.boardRows) || [], data.at);
    });
  }

  function state(name) {
    connection.dataset.state = name;
    connection.textContent = connection.dataset["text" + name.charAt(0).toUpperCase() + name.slice(1)];
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + board.dataset.socketPath);
    socket.onopen = function () {
      delay = 1000;
      state("live");
      if (lost) announce("textBack");
      lost = false;
    };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.event === "board.snapshot") fill(event.data);
    };
    socket.onclose = function (closed) {
      if (!lost) announce("textLost");
      lost = true;
      if (REFUSED.indexOf(closed.code) !== -1) {
        state("closed");
        return;
      }
      state("lost");
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
