// tssguard: the page-world guard. It runs in the page's own JavaScript world
// (MAIN) at document_start in every frame, before any page script, so the
// wrappers below are in place before a scam page can use the originals.
//
// It stops call-scheme navigations (tel:, callto:, facetime:, sip:, skype:,
// ms-…) that no user asked for (also from a sandboxed frame of another
// origin, which it keeps from navigating the page without a click in it),
// collapses dialog loops, drops beforeunload
// traps from pages the user never touched, ignores history floods, refuses
// workers past a flood's worth, and releases full screen, keyboard and
// pointer lock, mutes audio and speech and ends workers when the isolated
// script (content.js) says the page is a scam.
//
// It talks to content.js with CustomEvents carrying JSON strings, on an
// element out of the document that content.js handed over before any page
// script ran (its hello): no page script can reach it, so a page can
// neither read the two worlds' messages nor forge them. (Events on
// document, with a nonce in each message, let a page listening on window
// read the nonce and allow its own call in content.js's name.)
(() => {
  'use strict';
  if (window.__tssguardMain) return;
  Object.defineProperty(window, '__tssguardMain', {value: true});

  // Natives the guard's decisions rest on, taken before any page script
  // runs and called through Reflect.apply: a page that replaced
  // RegExp.prototype.test, Event.prototype.preventDefault or the user
  // activation getters turned the call guard off with one line.
  const apply = Reflect.apply;
  const StringFn = String;
  const strSlice = String.prototype.slice, strLower = String.prototype.toLowerCase, strCharCode = String.prototype.charCodeAt;
  const reExec = RegExp.prototype.exec, reTest = RegExp.prototype.test;
  const arrPush = Array.prototype.push, arrShift = Array.prototype.shift;
  const wmGet = WeakMap.prototype.get, wmSet = WeakMap.prototype.set, wmHas = WeakMap.prototype.has;
  const wsAdd = WeakSet.prototype.add, wsHas = WeakSet.prototype.has;
  // A regular expression of the guard's own has exec as its own property:
  // RegExp.prototype.test calls this.exec, which a page could replace.
  const ownExec = (re) => Object.defineProperty(re, 'exec', {value: reExec});
  const test = (re, s) => apply(reTest, re, [s]);
  const clip = (s, n) => apply(strSlice, s, [0, n]);
  const lower = (s) => apply(strLower, s, []);
  const push = (a, v) => apply(arrPush, a, [v]);
  const shift = (a) => apply(arrShift, a, []);
  const getterOf = (proto, name) => {
    try { const d = proto && Object.getOwnPropertyDescriptor(proto, name); return d && d.get; } catch (e) { return undefined; }
  };
  const read = (get, obj) => { try { return get ? apply(get, obj, []) : undefined; } catch (e) { return undefined; } };
  const preventDefault = Event.prototype.preventDefault;
  const cancelableGet = getterOf(Event.prototype, 'cancelable');
  const destinationGet = window.NavigateEvent && getterOf(NavigateEvent.prototype, 'destination');
  const userInitiatedGet = window.NavigateEvent && getterOf(NavigateEvent.prototype, 'userInitiated');
  const destinationURLGet = window.NavigationDestination && getterOf(NavigationDestination.prototype, 'url');

  const CALL_RE = ownExec(/^\s*(tel|callto|facetime|facetime-audio|sip|sips|skype|ms-[a-z0-9.+-]+)\s*:/i);
  const DIALOG_LIMIT = 3; // dialogs allowed within DIALOG_WINDOW_MS
  const DIALOG_LIMIT_ACTIVE = 8; // the same right after a user gesture
  const DIALOG_WINDOW_MS = 10000;
  const HISTORY_LIMIT = 5; // gesture-less pushState/replaceState allowed per window
  const HISTORY_WINDOW_MS = 10000;
  const WORKER_LIMIT = 16; // workers a page may start within WORKER_WINDOW_MS (a pool is one per core)
  const WORKER_WINDOW_MS = 10000;
  const POPUP_LIMIT = 3; // gesture-less window.open calls allowed within POPUP_WINDOW_MS
  const POPUP_WINDOW_MS = 10000;
  const DOWNLOAD_LIMIT = 3; // gesture-less download clicks allowed within DOWNLOAD_WINDOW_MS
  const DOWNLOAD_WINDOW_MS = 10000;

  // Originals, taken before the page can replace them.
  const dispatch = EventTarget.prototype.dispatchEvent;
  const getAttr = Element.prototype.getAttribute, setAttr = Element.prototype.setAttribute;
  const connectedGet = getterOf(Node.prototype, 'isConnected');
  const parentGet = getterOf(Node.prototype, 'parentNode'), nextGet = getterOf(Node.prototype, 'nextSibling');
  const insertBefore = Node.prototype.insertBefore, removeChild = Node.prototype.removeChild;
  const addListener = EventTarget.prototype.addEventListener;
  const Custom = CustomEvent;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const perf = performance, perfNow = Performance.prototype.now;
  const now = () => apply(perfNow, perf, []);
  const activation = read(getterOf(Navigator.prototype, 'userActivation'), navigator);
  const isActiveGet = window.UserActivation && getterOf(UserActivation.prototype, 'isActive');
  const beenActiveGet = window.UserActivation && getterOf(UserActivation.prototype, 'hasBeenActive');
  const active = () => !!(activation && read(isActiveGet, activation));
  const everActive = () => !!(activation && read(beenActiveGet, activation));
  // The last trusted press, click or key (listened to before any page
  // script, in the capture phase): full screen consumes the browser's
  // transient activation, so a pointer or keyboard lock taken in the same
  // click would otherwise read as taken without a gesture.
  const GESTURE_MS = 5000; // the browser's own activation lifespan
  let lastGesture = -1e9;
  // The last trusted input event, to tell a call made while it is being
  // dispatched (a "Call us" button's handler) from one a timer or a meta
  // refresh makes within the seconds its activation lasts: an event being
  // dispatched has a phase, one done with has none (Event.NONE).
  let gestureEvent = null;
  const eventPhaseGet = getterOf(Event.prototype, 'eventPhase');
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'auxclick', 'dblclick', 'keydown', 'keyup', 'keypress', 'touchstart', 'touchend']) {
    try {
      apply(addListener, window, [type, (ev) => {
        // isTrusted is an unforgeable own property of every event.
        if (ev.isTrusted) { lastGesture = now(); gestureEvent = ev; }
      }, true]);
    } catch (e) { /* */ }
  }
  const gestured = () => active() || now() - lastGesture < GESTURE_MS;
  const inGesture = () => !!gestureEvent && read(eventPhaseGet, gestureEvent) !== 0;

  let channel = null; // the element content.js talks through (its hello)
  let defused = false; // the page was judged a scam: refuse every lock and sound
  let risky = false; // the page names a brand and a call to action
  // Plain objects with no prototype, not Maps and Sets, whose methods a
  // page could replace.
  const scamNumbers = Object.create(null); // numbers content.js found listed as scam hotlines → true
  const allowOnce = Object.create(null); // call URL → time until which the user allowed it

  function send(msg) {
    if (!channel) return;
    try {
      apply(dispatch, channel, [new Custom('tssguard:main', {detail: stringify(msg)})]);
    } catch (e) { /* a page cannot break the guard by breaking JSON */ }
  }

  // The hello: content.js dispatches it from its channel element, in the
  // document for that moment only, before any page script runs. The first
  // one is heard; a later one only when content.js on the channel no
  // longer answers: the extension was updated or reloaded, which leaves
  // the old content.js running without its extension, and runs a new one
  // in the open page (background.js, coverOpenTabs). A page's own hello
  // is not heard while the extension runs.
  const targetGet = getterOf(Event.prototype, 'target');
  const detailGet = getterOf(CustomEvent.prototype, 'detail');
  const removeListener = EventTarget.prototype.removeEventListener;
  let pongs = 0;
  apply(addListener, document, ['tssguard:hello', (ev) => {
    const el = read(targetGet, ev);
    if (!el || el === document || el === channel) return;
    if (channel) {
      // content.js answers at once while its extension runs: events are
      // dispatched synchronously.
      const before = pongs;
      send({type: 'ping'});
      if (pongs !== before) return;
      apply(removeListener, channel, ['tssguard:isolated', fromIsolated]);
    }
    channel = el;
    apply(addListener, channel, ['tssguard:isolated', fromIsolated]);
  }, true]);
  function fromIsolated(ev) {
    let msg;
    try { msg = parse(read(detailGet, ev)); } catch (e) { return; }
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'pong': pongs++; break;
      case 'defuse': defuse(); break;
      case 'risky': risky = !!msg.value; break;
      case 'scam-numbers': {
        const list = msg.numbers || [];
        for (let i = 0; i < list.length; i++) scamNumbers[StringFn(list[i])] = true;
        break;
      }
      case 'allow-call': allowOnce[StringFn(msg.url)] = now() + 3000; break;
    }
  }

  // --- Call schemes -------------------------------------------------------

  // numberOf returns the digits of a call URL in E.164 form where it can
  // tell (NANP numbers without a country code get +1).
  // It reads characters one by one, with the natives taken above.
  function numberOf(url) {
    const s = StringFn(url);
    let i = 0;
    while (i < s.length && apply(strCharCode, s, [i]) !== 58) i++; // past the scheme's ':'
    let rest = apply(strSlice, s, [i + 1]);
    try { rest = decodeURIComponent(rest); } catch (e) { /* keep it raw */ }
    let digits = '', plus = false, seen = false;
    for (let j = 0; j < rest.length; j++) {
      const c = apply(strCharCode, rest, [j]);
      if (c === 59 || c === 63 || c === 64) break; // ; ? @ end the number
      if (c >= 48 && c <= 57) { digits += StringFn.fromCharCode(c); seen = true; } else if (c === 43 && !seen) plus = true;
    }
    if (!digits) return '';
    if (plus) return '+' + digits;
    if (digits.length === 10 && digits[0] >= '2') return '+1' + digits;
    return '+' + digits;
  }

  const lastPrompt = Object.create(null); // call URL → when it was last reported
  // allowCall decides a call-scheme navigation: true lets it go. A call
  // the user made (a link they activated, or a script run by their click
  // or key while it is dispatched) goes through unless its number is
  // listed as a scam hotline or the page was judged a scam; any other is
  // stopped, also one a timer or a meta refresh makes in the seconds after
  // a click, while the browser still counts the click's activation. A
  // stopped call is reported to content.js, which shows the number and its
  // reputation in a prompt.
  function allowCall(url, how, userInitiated) {
    url = resolved(StringFn(url));
    if (!test(CALL_RE, asURL(url, 64))) return true;
    url = asURL(url, 2048);
    const until = allowOnce[url];
    if (until && until > now()) {
      delete allowOnce[url];
      return true;
    }
    const number = numberOf(url);
    const act = active() && (userInitiated === true || inGesture());
    if (act && !defused && scamNumbers[number] !== true) return true;
    const last = lastPrompt[url] || -1e9;
    if (now() - last > 1500) {
      lastPrompt[url] = now();
      send({type: 'call-blocked', url: clip(url, 300), number, how, activation: act});
    }
    return false;
  }

  // resolved is s resolved against the document's base URL, as window.open
  // and a frame's src resolve it: under <base href="tel:…">, '#x' is a
  // call URL. s as it is where it is no URL.
  const URLCtor = URL, hrefGet = getterOf(URL.prototype, 'href'), baseGet = getterOf(Node.prototype, 'baseURI');
  function resolved(s) {
    try { return read(hrefGet, new URLCtor(s, read(baseGet, document))) || s; } catch (e) { return s; }
  }

  // asURL is s as the URL parser reads it, up to most characters: C0
  // controls and spaces trimmed from both ends, tabs and newlines removed
  // wherever they are. window.open('te\tl:…') dials as 'tel:…' does.
  function asURL(s, most) {
    let i = 0, end = s.length, out = '';
    while (i < end && apply(strCharCode, s, [i]) <= 0x20) i++;
    for (; i < end && out.length < most; i++) {
      const c = apply(strCharCode, s, [i]);
      if (c !== 9 && c !== 10 && c !== 13) out += s[i];
    }
    if (i < end) return out;
    let keep = out.length;
    while (keep > 0 && apply(strCharCode, out, [keep - 1]) <= 0x20) keep--;
    return clip(out, keep);
  }

  // 1. Every navigation the page starts (location = / assign / replace,
  // link activation, form submission, meta refresh) fires the Navigation
  // API's navigate event first, where it can be cancelled.
  if (window.navigation && typeof window.navigation.addEventListener === 'function') {
    apply(addListener, window.navigation, ['navigate', (ev) => {
      const dest = destinationGet ? read(destinationGet, ev) : ev.destination;
      const url = dest && (destinationURLGet ? read(destinationURLGet, dest) : dest.url);
      const cancelable = cancelableGet ? read(cancelableGet, ev) : ev.cancelable;
      // userInitiated: the user activated a link or submitted a form.
      const byUser = userInitiatedGet ? read(userInitiatedGet, ev) : ev.userInitiated;
      if (url && cancelable && !allowCall(url, 'navigate', byUser === true)) apply(preventDefault, ev, []);
    }, true]);
  }

  // A frame pointed at a call URL by the page's own HTML is requested
  // before any script can see it; the extension's CSP (rules/frames.json)
  // refuses it, and the refusal is reported like any stopped call.
  const BARE_SCHEME = ownExec(/^(tel|callto|facetime|facetime-audio|sip|sips|skype)$/i);
  const REFRESH_URL = ownExec(/url\s*=\s*['"]?([^'"]+)/i);
  apply(addListener, document, ['securitypolicyviolation', (ev) => {
    const uri = StringFn(ev.blockedURI || '');
    if (test(CALL_RE, uri) || test(BARE_SCHEME, uri)) {
      send({type: 'call-blocked', url: clip(uri, 300), number: numberOf(uri), how: 'csp', activation: false});
    }
  }, true]);

  // callTarget returns the call URL an element would navigate to, if any.
  function callTarget(el) {
    try {
      while (el && el.nodeType === 1) {
        const tag = el.localName;
        if ((tag === 'a' || tag === 'area') && el.href && test(CALL_RE, StringFn(el.href))) return el.href;
        el = el.parentElement;
      }
    } catch (e) { /* detached or hostile node */ }
    return null;
  }

  function wrap(obj, name, make) {
    try {
      const d = Object.getOwnPropertyDescriptor(obj, name);
      if (!d || typeof d.value !== 'function' || !d.configurable) return;
      const orig = d.value;
      const w = make(orig);
      Object.defineProperty(w, 'name', {value: orig.name});
      Object.defineProperty(w, 'length', {value: orig.length});
      Object.defineProperty(obj, name, {...d, value: w});
    } catch (e) { /* leave it as it is */ }
  }

  // wrapConstructor replaces the constructor window[name] with one that
  // makes its objects through make(C, args, newTarget).
  function wrapConstructor(name, make) {
    const C = window[name];
    if (typeof C !== 'function') return;
    const Wrapped = function () { return make(C, arguments, new.target || Wrapped); };
    Wrapped.prototype = C.prototype;
    try {
      Object.defineProperty(Wrapped, 'name', {value: C.name});
      Object.defineProperty(Wrapped, 'length', {value: C.length});
      Object.defineProperty(window, name, {value: Wrapped, configurable: true, writable: true});
    } catch (e) { /* leave it */ }
  }

  // recent drops from times (a sliding window of calls, oldest first)
  // those more than windowMS before t, and says how many are left.
  function recent(times, t, windowMS) {
    while (times.length && t - times[0] > windowMS) shift(times);
    return times.length;
  }

  // floodGate counts one attempt of a flood's kind (worker, pop-up,
  // download): past limit attempts in windowMS, or any once the page is
  // judged a scam, it reports the flood (once) and says to refuse.
  const floodReported = Object.create(null);
  function floodGate(what, times, limit, windowMS) {
    const t = now();
    if (defused || recent(times, t, windowMS) >= limit) {
      if (!floodReported[what]) {
        floodReported[what] = true;
        send({type: 'behaviour', what, activation: active()});
      }
      return true;
    }
    push(times, t);
    return false;
  }

  // once makes an object or function a string, once: a wrapper that checks
  // a value and then hands the browser the same object let its toString
  // say "https://…" to the check and "tel:…" to the browser.
  const once = (v) => ((typeof v === 'object' && v !== null) || typeof v === 'function') ? StringFn(v) : v;

  // wrapSetter replaces the setter of proto's property name with one that
  // sets only what check(obj, value) allows; from, when given, is the
  // prototype the original accessor is taken from (a property proto
  // inherits, wrapped for proto's objects only); after(obj), when given,
  // runs once the value is set; text says the property takes a string,
  // which the value is made once (an event handler property takes a
  // function, which must stay one).
  function wrapSetter(proto, name, check, {from, after, text} = {}) {
    try {
      const d = Object.getOwnPropertyDescriptor(from || proto, name);
      if (!d || !d.set || !d.configurable) return;
      const set = d.set;
      Object.defineProperty(proto, name, {...d, set(v) {
        if (text) v = once(v);
        if (!check(this, v)) return;
        apply(set, this, [v]);
        if (after) after(this);
      }});
    } catch (e) { /* leave it as it is */ }
  }

  // wrapGetter replaces the getter of obj's property name with one that
  // returns map of what the original returns.
  function wrapGetter(obj, name, map) {
    try {
      const d = Object.getOwnPropertyDescriptor(obj, name);
      if (!d || !d.get || !d.configurable) return;
      const get = d.get;
      Object.defineProperty(obj, name, {...d, get() { return map(apply(get, this, [])); }});
    } catch (e) { /* leave it as it is */ }
  }

  // 2. Synthetic clicks on call links: a.click() and dispatchEvent. And
  // download floods: a page that clicks download links on its own (a
  // timer, a loop) fills the visitor's disk and download bar with "virus
  // reports" (the server's TSS-LOCK-DOWNLOAD-FLOOD). Past DOWNLOAD_LIMIT
  // such clicks without a gesture in DOWNLOAD_WINDOW_MS, or any once the
  // page is judged a scam, the click is refused and the flood reported.
  wrap(HTMLElement.prototype, 'click', (orig) => function () {
    const url = callTarget(this);
    if (url && !allowCall(url, 'click')) return;
    if (downloadRefused(this)) return;
    return apply(orig, this, arguments);
  });
  wrap(EventTarget.prototype, 'dispatchEvent', (orig) => function (ev) {
    if (ev && (ev.type === 'click' || ev.type === 'auxclick') && this && this.nodeType === 1) {
      const url = callTarget(this);
      if (url && !allowCall(url, 'dispatchEvent')) return false;
      if (downloadRefused(this)) return false;
    }
    return apply(orig, this, arguments);
  });
  const localNameGet = getterOf(Element.prototype, 'localName');
  const hasAttribute = Element.prototype.hasAttribute;
  const downloadTimes = [];
  function downloadRefused(el) {
    try {
      const tag = read(localNameGet, el);
      if ((tag !== 'a' && tag !== 'area') || !apply(hasAttribute, el, ['download'])) return false;
    } catch (e) { return false; }
    if (active() && !defused) return false;
    return floodGate('download-flood', downloadTimes, DOWNLOAD_LIMIT, DOWNLOAD_WINDOW_MS);
  }

  // 3. window.open('tel:…'). And pop-up floods: past POPUP_LIMIT windows
  // opened without a gesture in POPUP_WINDOW_MS (the browser blocks most
  // of them; the attempts are the server's TSS-LOCK-POPUP-FLOOD), or any
  // once the page is judged a scam, open returns null and the flood is
  // reported.
  const popupTimes = [];
  wrap(window, 'open', (orig) => function (url, target, features) {
    if (url != null) {
      url = StringFn(url); // once (see once)
      if (!allowCall(url, 'window.open')) return null;
    }
    if ((defused || !active()) && floodGate('popup-flood', popupTimes, POPUP_LIMIT, POPUP_WINDOW_MS)) return null;
    return guardWindow(apply(orig, this, [url, target, features]));
  });

  // 3b. Other windows. A page can navigate the pop-up it opened, its
  // opener and a window a message came from; when that window shows
  // another origin, the browser fires no navigate event in it (nor in the
  // page): a kit opened a pop-up on the visitor's click and, seconds later,
  // dialled from it (w.location = 'tel:…'), or dialled the page that
  // opened it from the pop-up (opener.location = …). The page gets every
  // window outside its own frame tree through a stand-in that passes
  // everything to the window but a call-scheme location, which allowCall
  // decides; the same stand-in each time, so that e.source === popup still
  // holds, and windows read through a stand-in (w.top, w.self, w[0]) are
  // stand-ins too. Windows of the page's own frame tree are left as they
  // are: e.source === iframe.contentWindow must hold, a frame's call URL
  // meets the extension's frame-src policy, and window.top cannot be
  // replaced.
  const ProxyCtor = Proxy, reflectGet = Reflect.get, reflectSet = Reflect.set, bindFn = Function.prototype.bind;
  const LocationProto = Location.prototype;
  const ownTop = window.top;
  const stand = new WeakMap(); // window → its stand-in; a stand-in → itself
  const standLocation = new WeakMap(); // window → its location's stand-in
  function foreignWindow(w) {
    try {
      return typeof w === 'object' && w !== null && reflectGet(w, 'window') === w && reflectGet(w, 'top') !== ownTop;
    } catch (e) { return false; }
  }
  function guardWindow(w) {
    const known = apply(wmGet, stand, [w]);
    if (known || !foreignWindow(w)) return known || w;
    const bound = new WeakMap(); // a method of the window → it bound to the window
    const standIn = new ProxyCtor(w, {
      get(t, name) {
        if (name === 'location') return locationOf(t);
        const v = reflectGet(t, name);
        if (typeof v === 'object') return guardWindow(v);
        // Methods (no prototype: not a constructor) are called with the
        // window as this, not the stand-in.
        if (typeof v !== 'function' || 'prototype' in v) return v;
        let b = apply(wmGet, bound, [v]);
        if (!b) apply(wmSet, bound, [v, b = apply(bindFn, v, [t])]);
        return b;
      },
      set(t, name, v) {
        if (name === 'location') {
          v = once(v);
          if (!allowCall(v, 'window.location')) return true;
        }
        return reflectSet(t, name, v, t);
      },
    });
    apply(wmSet, stand, [w, standIn]);
    apply(wmSet, stand, [standIn, standIn]);
    return standIn;
  }
  // locationOf is the stand-in of window w's location: it reads and calls
  // through to the window's own, but a call URL set (href, assign,
  // replace) goes through allowCall. Its target is an empty object, so
  // that the Location's own properties bind it to nothing.
  function locationOf(w) {
    let l = apply(wmGet, standLocation, [w]);
    if (l) return l;
    const real = () => reflectGet(w, 'location');
    const go = (name) => function (u) {
      u = once(u);
      if (!allowCall(u, 'location.' + name)) return;
      const loc = real();
      return apply(reflectGet(loc, name), loc, [u]);
    };
    const assign = go('assign'), replace = go('replace');
    l = new ProxyCtor(Object.create(LocationProto), {
      get(t, name) {
        if (name === 'assign') return assign;
        if (name === 'replace') return replace;
        const loc = real();
        const v = reflectGet(loc, name);
        return typeof v === 'function' ? apply(bindFn, v, [loc]) : v;
      },
      set(t, name, v) {
        if (name === 'href' || name === 'protocol') {
          v = once(v);
          if (!allowCall(name === 'href' ? v : StringFn(v) + ':', 'location.' + name)) return true;
        }
        return reflectSet(real(), name, v);
      },
    });
    apply(wmSet, standLocation, [w, l]);
    return l;
  }
  // The opener, and the window a message came from.
  wrapGetter(window, 'opener', guardWindow);
  wrapGetter(MessageEvent.prototype, 'source', guardWindow);

  // 4. Forms whose action is a call URL. form.submit() fires no submit
  // event: it is wrapped. Every other submission (a submit button's
  // click, an image input's, requestSubmit) fires one, which the guard
  // hears first, with the button that submits: its formaction, when it
  // has one, is where the form goes. (A script's click on a submit button
  // dialled: the browser fires no navigate event for a form sent to a
  // call URL.) The action is read with the getter taken at start: a
  // control named "action" shadows form.action.
  const actionGet = getterOf(HTMLFormElement.prototype, 'action');
  const formActionGet = {button: getterOf(HTMLButtonElement.prototype, 'formAction'), input: getterOf(HTMLInputElement.prototype, 'formAction')};
  const submitterGet = window.SubmitEvent && getterOf(SubmitEvent.prototype, 'submitter');
  function submissionURL(form, submitter) {
    if (submitter && apply(hasAttribute, submitter, ['formaction'])) {
      const get = formActionGet[read(localNameGet, submitter)];
      if (get) return read(get, submitter);
    }
    return read(actionGet, form);
  }
  const formCheck = (orig) => function () {
    const url = submissionURL(this, null);
    if (url && !allowCall(url, 'form')) return;
    return apply(orig, this, arguments);
  };
  wrap(HTMLFormElement.prototype, 'submit', formCheck);
  wrap(HTMLFormElement.prototype, 'requestSubmit', formCheck);
  apply(addListener, window, ['submit', (ev) => {
    const url = submissionURL(read(targetGet, ev), submitterGet ? read(submitterGet, ev) : null);
    if (url && !allowCall(url, 'form')) apply(preventDefault, ev, []);
  }, true]);

  // 5. Frames pointed at a call URL, by property, attribute or insertion.
  const frameSrcOK = (el, v) => v == null || allowCall(StringFn(v), 'iframe');
  wrapSetter(HTMLIFrameElement.prototype, 'src', frameSrcOK, {text: true});
  if (window.HTMLFrameElement) wrapSetter(HTMLFrameElement.prototype, 'src', frameSrcOK, {text: true});
  wrapSetter(HTMLMetaElement.prototype, 'content', (el, v) => !isCallRefresh(el, v), {text: true});
  // attributeStopped says whether setting attribute name of el to value
  // would point a frame at a call URL or make a meta refresh to one.
  function attributeStopped(el, name, value) {
    try {
      const n = lower(StringFn(name));
      const tag = el.localName;
      if (n === 'src' && (tag === 'iframe' || tag === 'frame') && !allowCall(StringFn(value), 'iframe')) return true;
      if (n === 'content' && tag === 'meta' && isCallRefresh(el, value)) return true;
    } catch (e) { /* fall through */ }
    return false;
  }
  // attributeSet follows an attribute set on el: a frame's sandbox is
  // fixed at once (fixSandbox).
  function attributeSet(el, name) {
    try {
      if (read(localNameGet, el) === 'iframe' && lower(StringFn(name)) === 'sandbox') fixSandbox(el, false);
    } catch (e) { /* leave it */ }
  }
  wrap(Element.prototype, 'setAttribute', (orig) => function (name, value) {
    if (arguments.length < 2) return apply(orig, this, arguments);
    name = once(name); value = once(value);
    if (attributeStopped(this, name, value)) return;
    apply(orig, this, [name, value]);
    attributeSet(this, name);
  });
  // The same attributes set any other way: with no namespace, or through
  // an attribute node (its value, nodeValue or textContent, or the node
  // set on the element). The observer below checks each frame and meta
  // element once, when it enters the document; after that every way to
  // set src or content goes through here.
  const noNS = (ns) => ns === null || ns === undefined || ns === '';
  wrap(Element.prototype, 'setAttributeNS', (orig) => function (ns, name, value) {
    if (arguments.length < 3) return apply(orig, this, arguments);
    ns = once(ns); name = once(name); value = once(value);
    if (noNS(ns) && attributeStopped(this, name, value)) return;
    apply(orig, this, [ns, name, value]);
    if (noNS(ns)) attributeSet(this, name);
  });
  const attrOwnerGet = getterOf(Attr.prototype, 'ownerElement');
  const attrNameGet = getterOf(Attr.prototype, 'localName');
  const attrNSGet = getterOf(Attr.prototype, 'namespaceURI');
  const attrValueGet = getterOf(Attr.prototype, 'value');
  // attrStopped: setting attribute node a to value (on el, its element
  // or the one it is set on) is one attributeStopped refuses.
  const attrStopped = (a, el, value) => !!el && noNS(read(attrNSGet, a)) && attributeStopped(el, read(attrNameGet, a), value);
  const attrOK = (a, v) => !attrStopped(a, read(attrOwnerGet, a), v);
  // attrSet follows attribute node a set on el (its element when not given).
  const attrSet = (a, el) => {
    el = el || read(attrOwnerGet, a);
    if (el && noNS(read(attrNSGet, a))) attributeSet(el, read(attrNameGet, a));
  };
  wrapSetter(Attr.prototype, 'value', attrOK, {after: attrSet, text: true});
  // Node's nodeValue and textContent, for attribute nodes only.
  wrapSetter(Attr.prototype, 'nodeValue', attrOK, {from: Node.prototype, after: attrSet, text: true});
  wrapSetter(Attr.prototype, 'textContent', attrOK, {from: Node.prototype, after: attrSet, text: true});
  const setNode = (orig) => function (a) {
    if (attrStopped(a, this, read(attrValueGet, a))) return null;
    const r = apply(orig, this, arguments);
    attrSet(a, this);
    return r;
  };
  wrap(Element.prototype, 'setAttributeNode', setNode);
  wrap(Element.prototype, 'setAttributeNodeNS', setNode);
  // The attributes map does not say whose it is: an src that calls, or a
  // content that refreshes to a call, is refused on any element there.
  const mapSet = (orig) => function (a) {
    try {
      const n = lower(StringFn(read(attrNameGet, a))), v = StringFn(read(attrValueGet, a));
      if (noNS(read(attrNSGet, a))) {
        if (n === 'src' && !allowCall(v, 'iframe')) return null;
        if (n === 'content' && refreshesToCall(v)) return null;
      }
    } catch (e) { /* fall through */ }
    const r = apply(orig, this, arguments);
    attrSet(a);
    return r;
  };
  wrap(NamedNodeMap.prototype, 'setNamedItem', mapSet);
  wrap(NamedNodeMap.prototype, 'setNamedItemNS', mapSet);

  // The sandbox's token list (frame.sandbox.add(…), its value, and
  // frame.sandbox = …, which sets the list's value): the lists handed
  // out are known by their frame.
  const sandboxOwner = new WeakMap();
  try {
    const d = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'sandbox');
    if (d && d.get && d.set && d.configurable) {
      const get = d.get, set = d.set;
      Object.defineProperty(HTMLIFrameElement.prototype, 'sandbox', {...d,
        get() {
          const list = apply(get, this, []);
          if (list) apply(wmSet, sandboxOwner, [list, this]);
          return list;
        },
        set(v) {
          apply(set, this, [v]);
          fixSandbox(this, false);
        }});
    }
  } catch (e) { /* leave it as it is */ }
  const listSet = (list) => {
    const el = apply(wmGet, sandboxOwner, [list]);
    if (el) fixSandbox(el, false);
  };
  for (const name of ['add', 'toggle', 'replace']) {
    wrap(DOMTokenList.prototype, name, (orig) => function () {
      const r = apply(orig, this, arguments);
      listSet(this);
      return r;
    });
  }
  wrapSetter(DOMTokenList.prototype, 'value', () => true, {after: listSet, text: true});

  function isCallRefresh(meta, content) {
    try {
      if (lower(StringFn(meta.httpEquiv || meta.getAttribute('http-equiv') || '')) !== 'refresh') return false;
      return refreshesToCall(content);
    } catch (e) { return false; }
  }
  // refreshesToCall: a refresh's content that sends to a call URL not
  // allowed (the prompt shows).
  function refreshesToCall(content) {
    const m = apply(reExec, REFRESH_URL, [StringFn(content)]);
    return !!(m && !allowCall(m[1], 'meta-refresh'));
  }

  // 6. A sandboxed frame of another origin with allow-top-navigation
  // navigates this page where no guard sees it: neither this page's
  // navigate event (it does not fire for a navigation another origin
  // starts) nor the frame's own guard (top.location cannot be wrapped).
  // Such a frame dialled with top.location = 'tel:…'. fixSandbox lets
  // it do so only after a click in it (allow-top-navigation-by-user-
  // activation), as browsers do for frames of another origin with no
  // sandbox. Sandbox flags take effect when a frame is made or navigates:
  // the attribute is fixed as it is set, before insertion, and a frame the
  // parser inserted with it is made again.
  const TOP_NAV = 'allow-top-navigation', TOP_NAV_BY_USER = 'allow-top-navigation-by-user-activation';
  function fixSandbox(el, reload) {
    try {
      const v = apply(getAttr, el, ['sandbox']);
      if (v === null) return;
      const tokens = [];
      let found = false, word = '';
      const val = StringFn(v) + ' ';
      for (let i = 0; i < val.length; i++) {
        const c = apply(strCharCode, val, [i]);
        if (c !== 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) { word += val[i]; continue; }
        if (word === '') continue;
        if (lower(word) === TOP_NAV) found = true;
        else push(tokens, word);
        word = '';
      }
      if (!found) return;
      let fixed = TOP_NAV_BY_USER;
      for (let i = 0; i < tokens.length; i++) fixed += ' ' + tokens[i];
      apply(setAttr, el, ['sandbox', fixed]);
      if (!reload || !read(connectedGet, el)) return;
      // Put back in its place, the frame is made anew with the fixed
      // flags (setting its src again left the first load's in force).
      const parent = read(parentGet, el), next = read(nextGet, el);
      apply(removeChild, parent, [el]);
      apply(insertBefore, parent, [el, next]);
    } catch (e) { /* leave it */ }
  }

  // defang neutralises a frame or meta refresh that targets a call URL.
  function defang(node) {
    if (!node || node.nodeType !== 1) return;
    const tag = read(localNameGet, node);
    if (tag === 'iframe') fixSandbox(node, true);
    if (tag === 'iframe' || tag === 'frame') {
      const src = node.getAttribute('src');
      if (src && !allowCall(src, 'iframe')) {
        node.removeAttribute('src');
        node.remove();
      }
    } else if (tag === 'meta' && isCallRefresh(node, node.getAttribute('content'))) {
      node.remove();
    }
  }
  // defangTree defangs node and what it holds. Most nodes the parser
  // adds hold no element yet (their children come as nodes of their own):
  // those are not searched.
  function defangTree(node) {
    if (!node || (node.nodeType !== 1 && node.nodeType !== 11)) return;
    if (node.nodeType === 1) defang(node);
    if (node.firstElementChild) for (const el of node.querySelectorAll('iframe[src],iframe[sandbox],frame[src],meta[http-equiv]')) defang(el);
  }
  for (const name of ['appendChild', 'insertBefore', 'replaceChild']) {
    wrap(Node.prototype, name, (orig) => function (node) {
      defangTree(node);
      return apply(orig, this, arguments);
    });
  }
  for (const name of ['append', 'prepend', 'before', 'after', 'replaceWith']) {
    wrap(Element.prototype, name, (orig) => function () {
      for (const n of arguments) defangTree(n);
      return apply(orig, this, arguments);
    });
  }
  // defangAdded defangs the elements mutation records added. The loops
  // stay plain (no iterators) and pass over all but elements.
  function defangAdded(records) {
    for (let i = 0; i < records.length; i++) {
      const added = records[i].addedNodes;
      for (let j = 0; j < added.length; j++) if (added[j].nodeType === 1) defangTree(added[j]);
    }
  }
  // Parser-inserted frames and meta refreshes (HTML, innerHTML,
  // document.write) are caught as they arrive: at each batch of added
  // nodes, the frame and meta elements of the document not checked
  // before are, from the document's live lists of them (a frame's src or
  // a meta's content set later goes through the wrappers above). The
  // parser adds every node of the page one by one, text too, and reading
  // the added nodes made a script object of each (a fifth of what the
  // extension cost a page, in a CPU profile of its renderer); checking
  // every listed element again at each batch was the most of what the
  // observer cost after that (TestBenchProfile). A page with more than
  // LIST_MOST of those elements has its added nodes read instead, so
  // that a batch costs no more than its own nodes.
  const LIST_MOST = 200;
  const getByTag = Document.prototype.getElementsByTagName;
  const listLength = getterOf(HTMLCollection.prototype, 'length'), listItem = HTMLCollection.prototype.item;
  const lists = [apply(getByTag, document, ['iframe']), apply(getByTag, document, ['frame']), apply(getByTag, document, ['meta'])];
  const lengths = [0, 0, 0];
  const checked = new WeakSet();
  new MutationObserver((records) => {
    let n = 0;
    for (let k = 0; k < lists.length; k++) n += lengths[k] = read(listLength, lists[k]) || 0;
    if (n <= LIST_MOST) {
      for (let k = 0; k < lists.length; k++) {
        for (let i = lengths[k] - 1; i >= 0; i--) {
          const el = apply(listItem, lists[k], [i]);
          if (el && !apply(wsHas, checked, [el])) {
            apply(wsAdd, checked, [el]);
            defang(el);
          }
        }
      }
      return;
    }
    defangAdded(records);
  }).observe(document, {childList: true, subtree: true});
  // A shadow root's nodes are out of that observer's sight (and of the
  // document's lists): a sandboxed frame made in one with innerHTML went
  // unfixed. Each shadow root a script attaches is watched for added
  // nodes. (One the parser makes from <template shadowrootmode> is out of
  // this world's reach when closed: content.js finds those.)
  const observeRoot = MutationObserver.prototype.observe;
  const shadowWatch = new MutationObserver(defangAdded);
  wrap(Element.prototype, 'attachShadow', (orig) => function () {
    const root = apply(orig, this, arguments);
    try { apply(observeRoot, shadowWatch, [root, {childList: true, subtree: true}]); } catch (e) { /* not a root */ }
    return root;
  });

  // --- Lockers -------------------------------------------------------------

  // Dialog loops: after DIALOG_LIMIT dialogs in DIALOG_WINDOW_MS, further
  // dialogs return at once as if dismissed.
  // Past the limit a dialog call throws: that unwinds the loop that made
  // it (`while (!confirm(…))`, recursion, `for (;;) alert(…)`), where
  // returning a value would leave the page spinning.
  const dialogTimes = [];
  let loopReported = false;
  // The message a dialog shows, for the on-device scorer: kits put their
  // warning and number in alert() loops. Only primitives are read, so no
  // page toString runs twice.
  const messageOf = (m) => (typeof m === 'string' || typeof m === 'number') ? clip(StringFn(m), 2000) : '';
  function dialogGate(kind, message) {
    const t = now();
    // A user who just clicked may see a few more (form validation), never a loop.
    const limit = active() ? DIALOG_LIMIT_ACTIVE : DIALOG_LIMIT;
    if (defused || recent(dialogTimes, t, DIALOG_WINDOW_MS) >= limit) {
      if (!loopReported) {
        loopReported = true;
        send({type: 'behaviour', what: 'dialog-loop', kind, text: messageOf(message)});
      }
      throw new DOMException('dialog loop stopped by tssguard', 'NotAllowedError');
    }
    push(dialogTimes, t);
    send({type: 'behaviour', what: 'dialog', kind, text: messageOf(message)});
  }
  for (const kind of ['alert', 'confirm', 'prompt', 'print']) {
    wrap(window, kind, (orig) => function () {
      dialogGate(kind, arguments[0]);
      return apply(orig, this, arguments);
    });
  }

  // Lockers armed for the visitor's first gesture: a listener for a
  // click, press or key whose code names the full-screen, keyboard-lock
  // or pointer-lock API (a fake blue screen takes the screen on the first
  // click), or tests for the keys people use to get out (F11, F12). The
  // server counts these in any script at load; the content script reads
  // the page's inline scripts, and this the listeners that scripts from
  // other files add. Reported once per kind; the listener stays as it
  // is. Plain objects and an index loop: a page that replaced Set or the
  // array iterator cannot make the wrappers throw.
  const GESTURES = Object.create(null);
  for (const t of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend', 'keydown', 'keyup', 'keypress']) GESTURES[t] = true;
  const fnToString = Function.prototype.toString;
  const ARMS = [
    ['fullscreen', ownExec(/(?:request|enter)full-?screen/i)],
    ['keyboard-lock', ownExec(/keyboard\s*\.\s*lock\b/)],
    ['pointer-lock', ownExec(/requestpointerlock/i)],
    // A key handler testing for F12 or F11, the keys people use to get
    // out (the server's escapeKeyCheck).
    ['input-block', ownExec(/\b(?:keyCode|which|key)\s*={2,3}\s*(?:12[23]\b|["']F1[12]["'])/)],
  ];
  const armedSent = Object.create(null);
  let armedCount = 0;
  function armedBy(fn) {
    if (armedCount === ARMS.length) return;
    let code;
    try { code = clip(apply(fnToString, fn, []), 65536); } catch (e) { return; }
    for (let i = 0; i < ARMS.length; i++) {
      const what = ARMS[i][0];
      if (!armedSent[what] && test(ARMS[i][1], code)) {
        armedSent[what] = true;
        armedCount++;
        send({type: 'armed', what});
      }
    }
  }
  const armedSetter = (target, fn) => {
    if (typeof fn === 'function') armedBy(fn);
    return true;
  };
  for (const name of ['onclick', 'onmousedown', 'onmouseup', 'onpointerdown', 'ontouchstart', 'onkeydown', 'onkeyup']) {
    wrapSetter(window, name, armedSetter);
    wrapSetter(Document.prototype, name, armedSetter);
    wrapSetter(HTMLElement.prototype, name, armedSetter);
  }

  // beforeunload traps: a page the user never interacted with, or one
  // judged a scam, cannot hold the user with a "leave site?" prompt.
  const trapOK = () => !defused && everActive();
  // An onbeforeunload attribute (<body onbeforeunload="return '…'">) sets
  // its handler without the property's setter or addEventListener: the
  // guard's own capturing listener, registered before any page code, stops
  // the event before it reaches that handler (or any other) while a trap
  // is not allowed.
  const stopImmediate = Event.prototype.stopImmediatePropagation;
  apply(addListener, window, ['beforeunload', function (ev) {
    if (!trapOK()) apply(stopImmediate, ev, []);
  }, true]);
  const guardedOf = new WeakMap(); // the page's handler → the one registered
  wrap(EventTarget.prototype, 'addEventListener', (orig) => function (type, fn, opts) {
    if (type === 'contextmenu' && fn) inputBlock(this);
    if (typeof fn === 'function' && typeof type === 'string' && GESTURES[type] === true) armedBy(fn);
    if (type === 'beforeunload' && this === window && fn && (typeof fn === 'function' || typeof fn === 'object')) {
      send({type: 'behaviour', what: 'beforeunload'});
      let guarded = apply(wmGet, guardedOf, [fn]);
      if (!guarded) {
        guarded = function (ev) {
          if (!trapOK()) return undefined;
          return typeof fn === 'function' ? apply(fn, this, [ev]) : fn.handleEvent(ev);
        };
        apply(wmSet, guardedOf, [fn, guarded]);
      }
      return apply(orig, this, [type, guarded, opts]);
    }
    return apply(orig, this, arguments);
  });
  // An editor that removes its handler after saving must be able to.
  wrap(EventTarget.prototype, 'removeEventListener', (orig) => function (type, fn, opts) {
    if (type === 'beforeunload' && this === window && fn && apply(wmHas, guardedOf, [fn])) {
      return apply(orig, this, [type, apply(wmGet, guardedOf, [fn]), opts]);
    }
    return apply(orig, this, arguments);
  });
  try {
    const d = Object.getOwnPropertyDescriptor(window, 'onbeforeunload');
    if (d && d.set && d.configurable) {
      let handler = null;
      Object.defineProperty(window, 'onbeforeunload', {
        configurable: true, enumerable: d.enumerable,
        get() { return handler; },
        set(fn) {
          handler = typeof fn === 'function' ? fn : null;
          send({type: 'behaviour', what: 'beforeunload'});
          apply(d.set, window, [handler && function (ev) { return trapOK() ? apply(handler, this, [ev]) : undefined; }]);
        },
      });
    }
  } catch (e) { /* leave it */ }

  // Input blocking: a handler for the context menu on the whole page
  // (window, document, <html>, <body>), as kits take away the right click
  // and the keys that open the developer tools or leave full screen. A
  // map's or an editor's own menu is on its element, not the page. The
  // scorer counts it as the server's TSS-LOCK-INPUT-BLOCK; the handler
  // stays (blocking the menu alone locks nobody in).
  const bodyGet = getterOf(Document.prototype, 'body');
  const rootGet = getterOf(Document.prototype, 'documentElement');
  let inputBlockReported = false;
  function inputBlock(target) {
    if (inputBlockReported) return;
    if (target !== window && target !== document && target !== read(rootGet, document) && target !== read(bodyGet, document)) return;
    inputBlockReported = true;
    send({type: 'behaviour', what: 'input-block'});
  }
  const contextMenuSetter = (target, fn) => {
    if (fn) inputBlock(target);
    return true;
  };
  wrapSetter(window, 'oncontextmenu', contextMenuSetter);
  wrapSetter(Document.prototype, 'oncontextmenu', contextMenuSetter);
  wrapSetter(HTMLElement.prototype, 'oncontextmenu', contextMenuSetter);

  // History floods: gesture-less pushState/replaceState beyond
  // HISTORY_LIMIT in HISTORY_WINDOW_MS are ignored.
  const historyTimes = [];
  const historyCheck = (orig) => function () {
    if (!active()) {
      const t = now();
      recent(historyTimes, t, HISTORY_WINDOW_MS);
      push(historyTimes, t);
      if (defused || historyTimes.length > HISTORY_LIMIT) {
        if (historyTimes.length === HISTORY_LIMIT + 1) send({type: 'behaviour', what: 'history-flood'});
        return undefined;
      }
    }
    return apply(orig, this, arguments);
  };
  wrap(History.prototype, 'pushState', historyCheck);
  wrap(History.prototype, 'replaceState', historyCheck);

  // Worker floods: a page that starts workers without end freezes the
  // browser and the machine. Past WORKER_LIMIT workers in
  // WORKER_WINDOW_MS, or any once the page is judged a scam, a new
  // Worker throws (which ends the loop that starts them); defuse ends the
  // ones already running.
  const workerTimes = [];
  const workers = new Set();
  for (const name of ['Worker', 'SharedWorker']) {
    wrapConstructor(name, (C, args, newTarget) => {
      if (floodGate('worker-flood', workerTimes, WORKER_LIMIT, WORKER_WINDOW_MS)) {
        throw new DOMException('worker flood stopped by tssguard', 'QuotaExceededError');
      }
      const w = Reflect.construct(C, args, newTarget);
      if (name === 'Worker') workers.add(w);
      return w;
    });
  }

  // Full screen, keyboard lock, pointer lock: reported, and refused once
  // the page is judged a scam or names a brand and a call to action.
  const lockCheck = (what) => (orig) => function () {
    const act = gestured();
    send({type: 'behaviour', what, activation: act});
    if (defused || risky) {
      if (what === 'fullscreen') send({type: 'warn', why: 'fullscreen'});
      return Promise.reject(new DOMException('blocked by tssguard', 'NotAllowedError'));
    }
    return apply(orig, this, arguments);
  };
  // Every name the browser answers to: kits still call the old
  // webkitRequestFullScreen (capital S), which Chromium keeps.
  for (const name of ['requestFullscreen', 'webkitRequestFullscreen', 'webkitRequestFullScreen', 'mozRequestFullScreen', 'msRequestFullscreen']) {
    if (Element.prototype[name]) wrap(Element.prototype, name, lockCheck('fullscreen'));
  }
  if (window.Keyboard) wrap(Keyboard.prototype, 'lock', lockCheck('keyboard-lock'));
  wrap(Element.prototype, 'requestPointerLock', lockCheck('pointer-lock'));

  // Canvas text: a kit can draw its whole alert on a canvas, out of the
  // page's text (the server reads the strings a script draws as page
  // text). What the page draws goes to content.js in batches, up to
  // CANVAS_TEXT_MOST characters; characters drawn one at a time on one
  // line are put back together (a number drawn digit by digit). Only
  // strings and numbers are read: an object's toString is the page's code.
  const CANVAS_TEXT_MOST = 20000;
  const setTimer = setTimeout;
  let canvasRead = 0, canvasBatch = '', canvasLine = NaN, canvasTimer = false;
  const flushCanvas = () => {
    canvasTimer = false;
    if (canvasBatch) send({type: 'canvas', text: canvasBatch});
    canvasBatch = '';
  };
  const drawText = (orig) => function (text, x, y) {
    if (canvasRead < CANVAS_TEXT_MOST && (typeof text === 'string' || typeof text === 'number')) {
      const s = clip(StringFn(text), 500);
      const glyph = s.length <= 2 && typeof y === 'number' && y === canvasLine;
      canvasBatch += (glyph ? '' : '\n') + s;
      canvasRead += s.length + 1;
      canvasLine = typeof y === 'number' ? y : NaN;
      if (!canvasTimer) {
        canvasTimer = true;
        try { apply(setTimer, window, [flushCanvas, 100]); } catch (e) { canvasTimer = false; }
      }
    }
    return apply(orig, this, arguments);
  };
  for (const C of [window.CanvasRenderingContext2D, window.OffscreenCanvasRenderingContext2D]) {
    if (!C) continue;
    wrap(C.prototype, 'fillText', drawText);
    wrap(C.prototype, 'strokeText', drawText);
  }

  // Code decoded from base64: kits wrap their (obfuscated) script as
  // eval(atob("…")), out of the inline code content.js reads. What atob
  // returns that looks like code goes to content.js, up to DECODED_MOST
  // characters; atob itself is only watched, its result unchanged.
  const DECODED_MOST = 1 << 20;
  let decodedRead = 0;
  const looksCode = ownExec(/[;=]\s*[\w$'"[(]|\bfunction\b|=>/);
  wrap(window, 'atob', (orig) => function () {
    const r = apply(orig, this, arguments);
    if (decodedRead < DECODED_MOST && typeof r === 'string' && r.length >= 64 && test(looksCode, clip(r, 4096))) {
      const text = clip(r, DECODED_MOST - decodedRead);
      decodedRead += text.length;
      send({type: 'code', text});
    }
    return r;
  });

  // Audio and speech: every media element and audio context is tracked so
  // that defuse can silence them, and refused afterwards.
  const media = new Set();
  const contexts = new Set();
  wrap(HTMLMediaElement.prototype, 'play', (orig) => function () {
    media.add(this);
    send({type: 'behaviour', what: 'audio', activation: active()});
    if (defused) {
      this.muted = true;
      return Promise.reject(new DOMException('blocked by tssguard', 'NotAllowedError'));
    }
    return apply(orig, this, arguments);
  });
  if (window.speechSynthesis && window.SpeechSynthesis) {
    wrap(SpeechSynthesis.prototype, 'speak', (orig) => function (u) {
      send({type: 'behaviour', what: 'speech', text: clip(StringFn(u && u.text || ''), 300), activation: active()});
      if (defused) return undefined;
      return apply(orig, this, arguments);
    });
  }
  for (const name of ['AudioContext', 'webkitAudioContext']) {
    wrapConstructor(name, (C, args, newTarget) => {
      const c = Reflect.construct(C, args, newTarget);
      contexts.add(c);
      if (defused) c.suspend().catch(() => {});
      return c;
    });
  }

  // defuse releases every lock and silences the page, for good.
  function defuse() {
    defused = true;
    closeTopLayer();
    try { if (document.fullscreenElement) document.exitFullscreen().catch(() => {}); } catch (e) { /* */ }
    try { if (navigator.keyboard && navigator.keyboard.unlock) navigator.keyboard.unlock(); } catch (e) { /* */ }
    try { if (document.pointerLockElement) document.exitPointerLock(); } catch (e) { /* */ }
    try { if (window.speechSynthesis) speechSynthesis.cancel(); } catch (e) { /* */ }
    for (const m of media) silence(m);
    try { for (const m of document.querySelectorAll('audio,video')) silence(m); } catch (e) { /* */ }
    for (const c of contexts) { try { c.suspend().catch(() => {}); } catch (e) { /* */ } }
    for (const w of workers) { try { w.terminate(); } catch (e) { /* */ } }
    send({type: 'defused'});
  }
  // The top layer: a modal dialog or a popover shows above any z-index,
  // the warning's too (content.js). A defused page's open ones are shut,
  // and it opens no more.
  const Dialog = window.HTMLDialogElement;
  const dialogClose = Dialog && Dialog.prototype.close;
  const hidePopover = HTMLElement.prototype.hidePopover;
  const queryAll = Document.prototype.querySelectorAll;
  const nodeListLength = getterOf(NodeList.prototype, 'length'), nodeListItem = NodeList.prototype.item;
  function closeTopLayer() {
    const shut = (selector, close) => {
      let els;
      try { els = apply(queryAll, document, [selector]); } catch (e) { return; } // :popover-open unknown
      for (let i = read(nodeListLength, els) - 1; i >= 0; i--) {
        try { apply(close, apply(nodeListItem, els, [i]), []); } catch (e) { /* */ }
      }
    };
    if (dialogClose) shut('dialog[open]', dialogClose);
    if (hidePopover) shut(':popover-open', hidePopover);
  }
  if (Dialog) wrap(Dialog.prototype, 'showModal', (orig) => function () {
    if (defused) return undefined;
    return apply(orig, this, arguments);
  });
  for (const name of ['showPopover', 'togglePopover']) {
    if (HTMLElement.prototype[name]) {
      wrap(HTMLElement.prototype, name, (orig) => function () {
        if (defused) return false;
        return apply(orig, this, arguments);
      });
    }
  }
  function silence(m) {
    try { m.muted = true; m.pause(); } catch (e) { /* */ }
  }
})();
