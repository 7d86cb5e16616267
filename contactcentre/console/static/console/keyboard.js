/* Keyboard use of every staff page (no inline script: the CSP allows none).
   Shortcuts: Alt + a letter acts on the element carrying data-shortcut="<letter>" (the page lists its
   shortcuts with <kbd>): a button or link is pressed, anything else (a field, a heading) gets the
   focus, inside a folded <details> opened first. The physical key is read (event.code), so it works
   on every keyboard layout.
   After htmx swaps in a panel, the focus moves to what the panel marked with data-focus (a result
   count, a message, the code field), so the keyboard and a screen reader follow the work. */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || !/^Key[A-Z]$/.test(event.code)) {
      return;
    }
    var target = document.querySelector('[data-shortcut="' + event.code.slice(3).toLowerCase() + '"]');
    if (!target) {
      return;
    }
    event.preventDefault();
    if (target.matches("button, a[href]")) {
      target.click();
      return;
    }
    var folded = target.closest("details");
    if (folded) {
      folded.open = true;
    }
    target.focus();
    target.scrollIntoView({ block: "center" });
  });

  document.addEventListener("htmx:afterSettle", function () {
    var marked = document.querySelector("[data-focus]");
    if (marked) {
      marked.removeAttribute("data-focus");
      marked.focus();
    }
  });
})();
