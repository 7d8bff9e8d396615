/* Small enhancements for survey screens swapped in by htmx. */
(function () {
  "use strict";
  // A language switch swaps the whole body: bring <html lang dir> along.
  document.addEventListener("htmx:afterSettle", function () {
    var screen = document.getElementById("survey-screen");
    if (screen) {
      document.documentElement.lang = screen.getAttribute("data-lang");
      document.documentElement.dir = screen.getAttribute("data-dir");
    }
  });
  // If the server cannot be reached, or answers with an error page of its own (a proxy's
  // 502 while the site restarts), say so instead of doing nothing; the answers stay on the page.
  function offline() {
    var form = document.getElementById("survey-form");
    var text = form && form.getAttribute("data-offline-message");
    if (!text || document.getElementById("offline-message")) { return; }
    var message = document.createElement("p");
    message.id = "offline-message";
    message.className = "field-error";
    message.setAttribute("role", "alert");
    message.textContent = text;
    form.insertBefore(message, form.querySelector(".button-row"));
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:responseError", offline);
  document.addEventListener("htmx:timeout", offline);
}());

/* On a worker's tablet: lock after a while with nobody touching it. The page is blanked
 * first, so nothing typed is left on the screen or in history. */
(function () {
  "use strict";
  var timer = null;
  function settings() {
    var screen = document.getElementById("survey-screen");
    if (!screen || !screen.getAttribute("data-idle-lock-url")) { return null; }
    return { url: screen.getAttribute("data-idle-lock-url"), ms: 1000 * Number(screen.getAttribute("data-idle-seconds")) };
  }
  function lock(url) {
    document.title = "";
    if (document.body) { document.body.textContent = ""; }
    window.location.replace(url);
  }
  function restart() {
    var s = settings();
    if (timer) { clearTimeout(timer); }
    if (s && s.ms > 0) { timer = setTimeout(function () { lock(s.url); }, s.ms); }
  }
  ["keydown", "pointerdown", "input", "scroll", "htmx:afterSettle"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  document.addEventListener("DOMContentLoaded", restart);
}());
