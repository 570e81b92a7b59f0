// tssguard sandbox instrumentation. Added with
// Page.addScriptToEvaluateOnNewDocument, so it runs in every frame before the
// page's own scripts. It reports what scam pages do through the binding the
// sandbox adds (__tssReport), which it takes and hides first. It never changes
// what the page's calls return.
(function () {
  "use strict";
  var send = window.__tssReport;
  if (typeof send !== "function") return;
  try { delete window.__tssReport; } catch (e) {}
  var gesture = false;
  var str = function (v) { try { return v === undefined || v === null ? "" : String(v); } catch (e) { return ""; } };
  function report(kind, detail, reason) {
    try { send(JSON.stringify({ k: kind, d: str(detail).slice(0, 500), r: reason || "", g: gesture })); } catch (e) {}
  }
  var nativeToString = Function.prototype.toString;
  function wrap(obj, name, before) {
    if (!obj) return;
    var orig = obj[name];
    if (typeof orig !== "function") return;
    var w = function () {
      try { before.apply(this, arguments); } catch (e) {}
      return orig.apply(this, arguments);
    };
    try { Object.defineProperty(w, "name", { value: orig.name }); } catch (e) {}
    try { Object.defineProperty(w, "toString", { value: function () { return nativeToString.call(orig); } }); } catch (e) {}
    try { obj[name] = w; } catch (e) {}
  }
  wrap(History.prototype, "pushState", function (s, t, u) { report("history", u, "pushState"); });
  wrap(History.prototype, "replaceState", function (s, t, u) { report("history", u, "replaceState"); });
  ["requestFullscreen", "webkitRequestFullscreen", "webkitRequestFullScreen"].forEach(function (m) {
    wrap(Element.prototype, m, function () { report("fullscreen", this.tagName, m); });
  });
  wrap(Element.prototype, "requestPointerLock", function () { report("pointer-lock", this.tagName, "requestPointerLock"); });
  if (window.Keyboard) wrap(Keyboard.prototype, "lock", function () { report("keyboard-lock", "", "navigator.keyboard.lock"); });
  wrap(window, "print", function () { report("print", "", "print"); });
  wrap(HTMLMediaElement.prototype, "play", function () { report("audio", this.currentSrc || this.src, "play"); });
  if (window.SpeechSynthesis) wrap(SpeechSynthesis.prototype, "speak", function (u) { report("speech", u && u.text, "speechSynthesis.speak"); });
  wrap(EventTarget.prototype, "addEventListener", function (type) {
    if (str(type).toLowerCase() === "beforeunload") report("beforeunload", "", "addEventListener");
  });
  try {
    var d = Object.getOwnPropertyDescriptor(window, "onbeforeunload") || Object.getOwnPropertyDescriptor(Window.prototype, "onbeforeunload");
    if (d && d.set) {
      Object.defineProperty(window, "onbeforeunload", {
        configurable: true, enumerable: true,
        get: function () { return d.get.call(window); },
        set: function (f) { if (f) report("beforeunload", "", "onbeforeunload"); d.set.call(window, f); }
      });
    }
  } catch (e) {}
  // Media that starts by itself (autoplay) and a beforeunload attribute.
  document.addEventListener("play", function (e) {
    var t = e.target;
    if (t && t.tagName) report("audio", t.currentSrc || t.src, "playing");
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body && document.body.getAttribute("onbeforeunload")) report("beforeunload", "", "attribute");
  });
  // Downloads: a click (real or scripted) on a link with a download attribute.
  // The browser denies every download; this records the attempt.
  window.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[download]") : null;
    if (a) report("download", a.href, "a[download]");
  }, true);
  wrap(HTMLAnchorElement.prototype, "click", function () {
    if (this.hasAttribute("download") && !this.isConnected) report("download", this.href, "a[download]");
  });
  // Mark behaviour that follows a trusted user gesture.
  ["pointerdown", "mousedown", "touchstart", "keydown", "click"].forEach(function (t) {
    window.addEventListener(t, function (e) { if (e.isTrusted) gesture = true; }, true);
  });
})();
