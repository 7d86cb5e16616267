/* Keyboard shortcuts of a staff page: Alt + the key named by an element's data-shortcut (a KeyboardEvent
   code such as "KeyN", so it works on every keyboard layout) clicks that element when it is a button or
   a link, else moves the focus to it. The page shows each shortcut with <kbd> and aria-keyshortcuts. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = document.querySelector('[data-shortcut="' + event.code + '"]');
    if (!target) return;
    event.preventDefault();
    if (target.matches("button, a[href]")) target.click();
    else target.focus();
  });
})();
