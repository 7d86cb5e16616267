// The idle session's warning (templates/partials/session_expiry.html). The server ends a session
// data-session-idle-seconds after its last request; this page knows how long it has left, opens the
// dialog data-session-warning-seconds before that, and once the time is up sends the page to sign in.
// "Ingelogd blijven" posts the dialog's form (its CSRF token with it), which saves the session anew.
(function () {
  "use strict";
  const dialog = document.getElementById("sessie-waarschuwing");
  if (!dialog) {
    return;
  }
  const seconds = (name) => Number(dialog.dataset[name]) * 1000;
  const idle = seconds("sessionIdleSeconds");
  const warning = seconds("sessionWarningSeconds");
  let deadline = Date.now() + seconds("sessionSecondsLeft");
  let warned = false;

  function lastsAtLeast(milliseconds) {
    if (Date.now() + milliseconds > deadline) {
      deadline = Date.now() + milliseconds;
      warned = false;
    }
  }

  // Any htmx request also keeps the session: the server refreshes it at most once a refresh interval.
  document.body.addEventListener("htmx:afterRequest", function () {
    lastsAtLeast(idle - seconds("sessionRefreshSeconds"));
  });

  const form = dialog.querySelector("form");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 204) {
          window.location.assign(dialog.dataset.sessionExpiredUrl);
          return;
        }
        lastsAtLeast(idle);
        dialog.close();
      })
      .catch(function () {
        // Not reached the server: the dialog stays open, the button can be pressed again.
      });
  });

  window.setInterval(function () {
    const left = deadline - Date.now();
    if (left <= 0) {
      window.location.assign(dialog.dataset.sessionExpiredUrl);
    } else if (left <= warning && !warned) {
      warned = true;
      dialog.showModal();
    }
  }, 1000);
})();
