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

/* Character count on text boxes (GOV.UK pattern): how many characters are left, or how many
 * too many, shown as the person types and announced once they pause. Nothing is ever cut:
 * a longer answer is refused by the server with the text kept. */
(function () {
  "use strict";
  var pauses = {};
  function message(hint, key, count) {
    var forms = JSON.parse(hint.getAttribute(key));
    var lang = document.documentElement.lang || "en";
    var template = forms[new Intl.PluralRules(lang).select(count)] || forms.other;
    return template.replace("%(num)s", count.toLocaleString(lang));
  }
  function update(box) {
    var hint = document.getElementById(box.id + "-limit");
    var spoken = document.getElementById(box.id + "-announce");
    if (!hint || !box.hasAttribute("data-limit")) { return; }
    var left = Number(box.getAttribute("data-limit")) - box.value.length;
    var text = left >= 0 ? message(hint, "data-remaining", left) : message(hint, "data-over", -left);
    hint.textContent = text;
    hint.classList.toggle("character-count--over", left < 0);
    clearTimeout(pauses[box.id]);
    pauses[box.id] = setTimeout(function () { if (spoken) { spoken.textContent = text; } }, 1000);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-limit]")) { update(event.target); }
  });
  function all() {
    var boxes = document.querySelectorAll("textarea[data-limit]");
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].value) { update(boxes[i]); } }
  }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
}());

/* On a worker's tablet: lock after a while with nobody touching it. A minute before (half the
 * time if that is shorter), a "still there?" dialog asks; its button (or Escape) keeps every
 * answer. Only if nobody answers is the page blanked, so nothing typed is left on the screen
 * or in history, and the tablet goes to the PIN screen. */
(function () {
  "use strict";
  var warnTimer = null;
  var lockTimer = null;
  var ticker = null;
  var deadline = 0;
  function settings() {
    var screen = document.getElementById("survey-screen");
    if (!screen || !screen.getAttribute("data-idle-lock-url")) { return null; }
    var idle = 1000 * Number(screen.getAttribute("data-idle-seconds"));
    var lead = 1000 * Number(screen.getAttribute("data-idle-warning-seconds") || 60);
    return { url: screen.getAttribute("data-idle-lock-url"), idle: idle, warnAfter: idle - Math.min(lead, idle / 2) };
  }
  function dialog() { return document.getElementById("still-there"); }
  function lock(url) {
    document.title = "";
    if (document.body) { document.body.textContent = ""; }
    window.location.replace(url);
  }
  function showTimeLeft() {
    var shown = dialog() && dialog().querySelector("[data-countdown]");
    if (!shown) { return; }
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    shown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }
  function warn() {
    var box = dialog();
    if (!box || box.open) { return; }
    showTimeLeft();
    ticker = setInterval(showTimeLeft, 1000);
    box.showModal();
    box.querySelector("[data-still-here]").focus();
  }
  function restart(event) {
    var box = dialog();
    // While the question is on screen, only answering it counts.
    if (box && box.open && event !== "still here") { return; }
    if (ticker) { clearInterval(ticker); ticker = null; }
    if (box && box.open) { box.close(); }
    clearTimeout(warnTimer);
    clearTimeout(lockTimer);
    var s = settings();
    if (!s || !(s.idle > 0)) { return; }
    deadline = Date.now() + s.idle;
    warnTimer = setTimeout(warn, s.warnAfter);
    lockTimer = setTimeout(function () { lock(s.url); }, s.idle);
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-still-here]")) { restart("still here"); }
  });
  document.addEventListener("cancel", function (event) {  // Escape in the dialog
    if (event.target === dialog()) { event.preventDefault(); restart("still here"); }
  }, true);
  ["keydown", "pointerdown", "input", "scroll", "htmx:afterSettle"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  document.addEventListener("DOMContentLoaded", restart);
}());
