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
  // If the server cannot be reached, say so instead of doing nothing.
  document.addEventListener("htmx:sendError", function () {
    var form = document.getElementById("survey-form");
    var text = form && form.getAttribute("data-offline-message");
    if (!text || document.getElementById("offline-message")) { return; }
    var message = document.createElement("p");
    message.id = "offline-message";
    message.className = "field-error";
    message.setAttribute("role", "alert");
    message.textContent = text;
    form.insertBefore(message, form.querySelector(".button-row"));
  });
}());
