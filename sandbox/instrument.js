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
  // Natives taken before the page runs: a page that replaces them cannot
  // change what is reported.
  // The string, number and set methods reporting uses are taken too: a
  // page that broke String.prototype.slice had every report throw.
  var apply = Reflect.apply, stringify = JSON.stringify, StringFn = String, round = Math.round;
  var sliceFn = String.prototype.slice, trimFn = String.prototype.trim, lowerFn = String.prototype.toLowerCase;
  var setAdd = Set.prototype.add, setDelete = Set.prototype.delete, setHas = Set.prototype.has;
  var str = function (v) { try { return v === undefined || v === null ? "" : StringFn(v); } catch (e) { return ""; } };
  var clipTo = function (s, n) { return apply(sliceFn, s, [0, n]); };
  // Transient user activation, read through the native getters so a page
  // cannot fake a gesture by redefining navigator.userActivation.
  var activationGet = null, isActiveGet = null;
  try {
    activationGet = Object.getOwnPropertyDescriptor(Navigator.prototype, "userActivation").get;
    isActiveGet = Object.getOwnPropertyDescriptor(UserActivation.prototype, "isActive").get;
  } catch (e) {}
  // Full screen consumes the activation, so a game's Play handler that
  // then locks the keyboard and pointer would look ungestured: a trusted
  // input within the activation lifespan (5 s in Chromium) counts too.
  var now = performance.now.bind(performance), lastInput = -1;
  function active() {
    if (lastInput >= 0 && now() - lastInput <= 5000) return true;
    try { return !!(activationGet && isActiveGet && apply(isActiveGet, apply(activationGet, navigator, []), [])); } catch (e) { return false; }
  }
  function report(kind, detail, reason) {
    try { send(stringify({ k: kind, d: clipTo(str(detail), 500), r: str(reason), g: gesture, a: active() })); } catch (e) {}
  }
  // A wrapped built-in is a Proxy of it: its name, length and
  // Function.prototype.toString ("[native code]") are the built-in's, and it
  // has no own properties, so a page checking for a hooked browser before
  // its payload finds none.
  function wrap(obj, name, before, after) {
    if (!obj) return;
    var orig = obj[name];
    if (typeof orig !== "function" || typeof Proxy !== "function") return;
    var w = new Proxy(orig, {
      apply: function (target, self, args) {
        try { apply(before, self, args); } catch (e) {}
        var r = apply(target, self, args);
        if (after) { try { after(r, args); } catch (e) {} }
        return r;
      }
    });
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
  // Workers: reported, and past 64 refused (a kit freezing the machine
  // starts them in a loop with no end; the sandbox's CPU is shared).
  var workers = 0;
  ["Worker", "SharedWorker"].forEach(function (name) {
    var C = window[name];
    if (typeof C !== "function" || typeof Proxy !== "function") return;
    try {
      window[name] = new Proxy(C, {
        construct: function (target, args, newTarget) {
          if (++workers > 64) throw new DOMException("too many workers", "QuotaExceededError");
          report("worker", args.length ? args[0] : "", name);
          return Reflect.construct(target, args, newTarget);
        }
      });
    } catch (e) {}
  });
  if (window.SpeechSynthesis) wrap(SpeechSynthesis.prototype, "speak", function (u) { report("speech", u && u.text, "speechSynthesis.speak"); });
  wrap(EventTarget.prototype, "addEventListener", function (type) {
    if (apply(lowerFn, str(type), []) === "beforeunload") report("beforeunload", "", "addEventListener");
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
  // Text drawn on canvases is in no DOM: report each distinct piece with
  // its position (kits draw a message letter by letter to defeat this), up
  // to a budget, so a game redrawing every frame costs nothing more.
  var drawn = new Set(), drawnChars = 0;
  function drew(ctx, measure, text, x, y, how) {
    try {
      var t = str(text);
      if (!apply(trimFn, t, []) || drawnChars > 65536 || drawn.size > 4000) return;
      var key = t + "\u0000" + round(+x || 0) + "\u0000" + round(+y || 0);
      if (apply(setHas, drawn, [key])) return;
      apply(setAdd, drawn, [key]);
      drawnChars += t.length;
      var w = 0;
      try { w = apply(measure, ctx, [t]).width; } catch (e) {}
      send(stringify({ k: "text", s: "canvas", d: clipTo(t, 2000), r: how, x: +x || 0, y: +y || 0, w: +w || 0 }));
    } catch (e) {}
  }
  [window.CanvasRenderingContext2D, window.OffscreenCanvasRenderingContext2D].forEach(function (C) {
    if (!C) return;
    var measure = C.prototype.measureText;
    ["fillText", "strokeText"].forEach(function (m) {
      wrap(C.prototype, m, function (t, x, y) { drew(this, measure, t, x, y, m); });
    });
  });
  // Timers: the sandbox watches a page until the timers it set are due
  // (a locker that starts after a delay), so report each one set within
  // the horizon, when it is due later than any reported before.
  var lastDue = 0;
  function timer(delay) {
    try {
      var d = +delay || 0;
      if (d < 0) d = 0;
      if (d > 10000) return;
      var due = now() + d;
      if (due <= lastDue + 50) return;
      lastDue = due;
      send(stringify({ k: "timer", d: StringFn(round(d)) }));
    } catch (e) {}
  }
  wrap(window, "setTimeout", function (f, d) { timer(d); });
  // An interval keeps the page busy until it is cleared: the watch then
  // lasts its whole window.
  var intervals = new Set();
  function intervalCount() { try { send(stringify({ k: "intervals", d: StringFn(intervals.size) })); } catch (e) {} }
  wrap(window, "setInterval", function (f, d) { timer(d); }, function (id, args) {
    if ((+args[1] || 0) <= 10000 && !apply(setHas, intervals, [id])) { apply(setAdd, intervals, [id]); intervalCount(); }
  });
  ["clearInterval", "clearTimeout"].forEach(function (m) {
    wrap(window, m, function (id) {
      if (apply(setHas, intervals, [id])) { apply(setDelete, intervals, [id]); intervalCount(); }
    });
  });
  // Mark behaviour that follows a trusted user gesture.
  ["pointerdown", "mousedown", "touchstart", "keydown", "click"].forEach(function (t) {
    window.addEventListener(t, function (e) { if (e.isTrusted) { gesture = true; lastInput = now(); } }, true);
  });
})();
