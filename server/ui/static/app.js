// tssguard UI: the only script. It polls a pending scan's status and
// reloads the page when the scan is done; without it, the page's meta
// refresh does the same more slowly.
"use strict";
(function () {
  var box = document.querySelector("[data-poll]");
  if (!box) { return; }
  var url = box.getAttribute("data-poll");
  var text = document.getElementById("status-text");
  var tries = 0;
  function poll() {
    tries++;
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && text) { text.textContent = s.status; }
        if (s && (s.status === "done" || s.status === "failed")) {
          window.location.reload();
          return;
        }
        if (tries < 400) { setTimeout(poll, 700); }
      })
      .catch(function () { if (tries < 400) { setTimeout(poll, 2000); } });
  }
  setTimeout(poll, 500);
})();
