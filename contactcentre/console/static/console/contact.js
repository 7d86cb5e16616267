/* The contact workspace: Alt + a letter focuses the field of a frequent action (the page lists them;
   each such field carries data-shortcut="<letter>"), and after htmx swaps in a panel, focus moves to
   what it marked with data-focus (a result count, a message, the code field), so the keyboard and
   a screen reader follow the work. No inline script: the CSP allows none. */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || !/^Key[A-Z]$/.test(event.code)) {
      return;
    }
    var letter = event.code.slice(3).toLowerCase();
    var field = document.querySelector('[data-shortcut="' + letter + '"]');
    if (!field) {
      return;
    }
    event.preventDefault();
    var folded = field.closest("details");
    if (folded) {
      folded.open = true;
    }
    field.focus();
    field.scrollIntoView({ block: "center" });
  });

  document.addEventListener("htmx:afterSettle", function () {
    var marked = document.querySelector("[data-focus]");
    if (marked) {
      marked.removeAttribute("data-focus");
      marked.focus();
    }
  });
})();
