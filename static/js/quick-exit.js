/* Quick exit: leave at once, to a neutral site, leaving nothing on the screen.
 * Click any [data-quick-exit] link, or press Shift three times within five seconds.
 * It never waits on this server: the page is blanked and replaced straight away. */
(function () {
  "use strict";
  var script = document.currentScript;
  var WINDOW_MS = 5000;
  var presses = [];
  var leaving = false;

  // Nothing a survivor does may be kept in the browser. htmx 2 writes the current path to
  // sessionStorage when it loads, even with its history cache off; this script runs before
  // htmx, so make every storage write a no-op on these pages.
  try {
    Storage.prototype.setItem = function () {};
  } catch (e) { /* storage unavailable: nothing to guard */ }

  function clearInputs() {
    var fields = document.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "checkbox" || f.type === "radio") { f.checked = false; }
      else if (f.tagName === "SELECT") { f.selectedIndex = -1; }
      else if (f.type !== "hidden" && f.type !== "submit") { f.value = ""; }
      else if (f.type === "hidden" && f.name !== "csrf_token") { f.value = ""; }
    }
  }

  function leave() {
    if (leaving) { return; }
    leaving = true;
    document.title = "";
    clearInputs();
    if (document.body) { document.body.textContent = ""; }
    // Ask the server to expire our cookies, without waiting for an answer.
    var beaconUrl = script.getAttribute("data-exit-beacon");
    try { if (beaconUrl && navigator.sendBeacon) { navigator.sendBeacon(beaconUrl); } } catch (e) { /* leave anyway */ }
    window.location.replace(script.getAttribute("data-exit-url"));
  }

  function announce(text) {
    var region = document.getElementById("exit-announcer");
    if (region) { region.textContent = text; }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (link) {
      event.preventDefault();
      leave();
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = [];
      return;
    }
    if (event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < WINDOW_MS; });
    presses.push(now);
    if (presses.length >= 3) {
      leave();
    } else if (presses.length === 2) {
      var region = document.getElementById("exit-announcer");
      announce(region ? region.getAttribute("data-once-more") || "" : "");
    }
  }, true);

  // One history entry for the whole visit (DESIGN §5): on survivor pages, following a link
  // replaces the current entry instead of adding one, so that after leaving (by the quick
  // exit, which replaces too) Back goes to the page before this site, never to one of ours.
  // Survey steps are swapped in by htmx without touching history. Without JavaScript every
  // page is an entry of its own: the browser gives no other way.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (!document.body || document.body.classList.contains("staff")) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("data-quick-exit") || link.target || link.hasAttribute("download")) { return; }
    var url = new URL(link.href, window.location.href);
    if (url.protocol !== "http:" && url.protocol !== "https:") { return; }  // tel:, mailto:
    var here = window.location;
    if (url.hash && url.origin === here.origin && url.pathname === here.pathname && url.search === here.search) { return; }
    event.preventDefault();
    window.location.replace(url.href);
  });

  // Leaving the page by any route: take typed answers out of the page first,
  // so a page kept in the back-forward cache holds nothing.
  window.addEventListener("pagehide", clearInputs);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { leave(); }
  });
}());
