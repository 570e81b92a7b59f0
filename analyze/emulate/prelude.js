// tssguard emulation prelude: a small fake DOM and browser environment in
// which page scripts run for a bounded time. Behaviours scam pages use are
// reported to Go through __report(kind, detail, reason). Nothing here can
// reach the network, the file system or a real timer.
(function (g) {
  "use strict";
  // The natives Go gives the prelude are taken now and taken off the global
  // object, before any page script runs: a page that called __report 300
  // times filled the event list, and its auto-dial went unrecorded.
  var R = g.__report, progress = g.__progress, nativeError = g.__error, nativeAtob = g.__atob, nativeBtoa = g.__btoa;
  var urlParts = g.__urlParts, pageURLValue = g.__pageURL, uaValue = g.__ua, dumpDOM = g.__dumpDOM, sentinelFor = g.__sentinel;
  // How the visitor answers confirm(): OK, or by default Cancel.
  var answersOK = g.__answersOK === true;
  // The visitor's language and time zone (capture.LocaleFor).
  var langValue = String(g.__lang || "en-US"), timeZone = String(g.__tz || "America/New_York"), zoneOffset = Number(g.__tzOffset) || 0;
  ["__report", "__error", "__atob", "__btoa", "__urlParts", "__pageURL", "__ua", "__lang", "__tz", "__tzOffset", "__dumpDOM", "__sentinel", "__answersOK", "__progress"].forEach(function (k) { delete g[k]; });
  var defineProp = Object.defineProperty;
  // What listeners and timers run on is called through Reflect.apply with
  // natives taken now: a page that replaced Array.prototype.push or
  // Function.prototype.call lost its click handlers and timers in the
  // emulator, not in a browser, and its auto-dial went unseen.
  var callFn = Reflect.apply, rawSplice = Array.prototype.splice, rawSlice = Array.prototype.slice;
  var rawSetHas = typeof Set === "function" ? Set.prototype.has : null, rawSetAdd = typeof Set === "function" ? Set.prototype.add : null;
  var rawEval = g.eval;
  var RawFunction = g.Function;
  // goja has no memory limit: the calls that make a huge string or array
  // in one step are bounded here (the heap guard catches the slow growth).
  var maxLen = 16777216;
  ["repeat", "padStart", "padEnd"].forEach(function (m) {
    var raw = String.prototype[m];
    Object.defineProperty(String.prototype, m, { configurable: true, writable: true, value: function (n) {
      var want = m === "repeat" ? this.length * Number(n) : Number(n);
      if (want > maxLen) throw new RangeError("string too long for the emulator");
      return raw.apply(this, arguments);
    } });
  });
  var RawArray = Array;
  g.Array = function (n) {
    if (arguments.length === 1 && typeof n === "number" && n > maxLen) throw new RangeError("array too long for the emulator");
    return RawArray.apply(null, arguments);
  };
  g.Array.prototype = RawArray.prototype; g.Array.isArray = RawArray.isArray; g.Array.from = RawArray.from; g.Array.of = RawArray.of;
  Object.defineProperty(RawArray.prototype, "constructor", { value: g.Array, writable: true, configurable: true });
  var decodeURI0 = g.decodeURIComponent;
  var callRe = /^\s*(tel|callto|facetime|facetime-audio|sip|sips|skype):/i;
  var voidTags = { area: 1, base: 1, br: 1, col: 1, embed: 1, hr: 1, img: 1, input: 1, link: 1, meta: 1, source: 1, track: 1, wbr: 1, param: 1 };

  function str(v) { try { return v === undefined || v === null ? "" : String(v); } catch (e) { return ""; } }
  function baseLanguage() { return langValue.split("-")[0].toLowerCase(); }
  function visitorLanguages() {
    var out = [langValue];
    [baseLanguage(), "en-US", "en"].forEach(function (l) { if (out.indexOf(l) < 0) out.push(l); });
    return out;
  }

  // URL and URLSearchParams: parsing is done in Go (__urlParts).
  function URLSearchParams(init) {
    this._p = [];
    var s = str(init && typeof init === "object" && init._p ? "" : init).replace(/^\?/, "");
    // The page URL's own parameters (see get).
    this._page = typeof init === "string" && !!location && s === str(location.search).replace(/^\?/, "");
    if (init && init._p) this._p = init._p.slice();
    var self = this;
    if (s) s.split("&").forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf("="), k = i < 0 ? kv : kv.slice(0, i), v = i < 0 ? "" : kv.slice(i + 1);
      try { k = decodeURI0(k.replace(/\+/g, " ")); v = decodeURI0(v.replace(/\+/g, " ")); } catch (e) {}
      self._p.push([k, v]);
    });
  }
  // A phone number's parameter the page URL lacks gets Go's sentinel
  // (Options.Sentinel): a template kit writes or dials it.
  URLSearchParams.prototype.get = function (k) { for (var i = 0; i < this._p.length; i++) if (this._p[i][0] === str(k)) return this._p[i][1]; return this._page ? sentinelFor(str(k)) : null; };
  URLSearchParams.prototype.getAll = function (k) { return this._p.filter(function (p) { return p[0] === str(k); }).map(function (p) { return p[1]; }); };
  URLSearchParams.prototype.has = function (k) { return this.get(k) !== null; };
  URLSearchParams.prototype.set = function (k, v) { this.delete(k); this._p.push([str(k), str(v)]); };
  URLSearchParams.prototype.append = function (k, v) { this._p.push([str(k), str(v)]); };
  URLSearchParams.prototype.delete = function (k) { this._p = this._p.filter(function (p) { return p[0] !== str(k); }); };
  URLSearchParams.prototype.forEach = function (f) { this._p.forEach(function (p) { f(p[1], p[0]); }); };
  URLSearchParams.prototype.entries = function () { return this._p.slice()[Symbol.iterator](); };
  URLSearchParams.prototype.keys = function () { return this._p.map(function (p) { return p[0]; })[Symbol.iterator](); };
  URLSearchParams.prototype.toString = function () { return this._p.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&"); };
  function URL(u, base) {
    var p = urlParts(str(u), base === undefined ? "" : str(base));
    if (!p) throw new TypeError("Invalid URL");
    for (var k in p) this[k] = p[k];
    this.searchParams = new URLSearchParams(this.search);
    this.searchParams._page = this.searchParams._page && str(this.href).split(/[?#]/)[0] === str(location.href).split(/[?#]/)[0];
  }
  URL.prototype.toString = function () { return this.href; };
  URL.createObjectURL = function () { return "blob:null/0"; };
  URL.revokeObjectURL = function () {};
  g.URL = URL; g.URLSearchParams = URLSearchParams; g.webkitURL = URL;

  function navigate(url, reason) {
    url = str(url);
    if (callRe.test(url)) R("call-navigation", url, reason);
    else if (url && !/^\s*(#|javascript:|about:blank)/i.test(url)) R("navigation", url, reason);
  }

  // ------------------------------------------------------------ events
  function Event(type, init) {
    this.type = str(type); this.bubbles = !!(init && init.bubbles); this.cancelable = true;
    this.defaultPrevented = false; this.target = null; this.currentTarget = null;
    this.returnValue = true; this.keyCode = 0; this.which = 0; this.key = ""; this._stop = false;
    this.clientX = 0; this.clientY = 0; this.button = 0; this.isTrusted = false;
    // What the init dictionary gives (clientX, key, keyCode, detail…),
    // as MouseEvent, KeyboardEvent and CustomEvent take it.
    if (init && typeof init === "object") for (var k in init) if (k !== "bubbles" && typeof init[k] !== "function") this[k] = init[k];
    if (this.detail === undefined) this.detail = null;
  }
  Event.prototype.preventDefault = function () { this.defaultPrevented = true; this.returnValue = false; };
  Event.prototype.stopPropagation = function () { this._stop = true; };
  Event.prototype.stopImmediatePropagation = function () { this._stop = true; };
  Event.prototype.initEvent = function (type, bubbles) { this.type = str(type); this.bubbles = !!bubbles; };
  Event.prototype.initMouseEvent = function (type, bubbles) { this.type = str(type); this.bubbles = !!bubbles; };
  g.Event = Event; g.MouseEvent = Event; g.CustomEvent = Event; g.KeyboardEvent = Event; g.PointerEvent = Event;
  g.TouchEvent = Event; g.UIEvent = Event; g.FocusEvent = Event;

  function EventTarget() {}
  EventTarget.prototype.addEventListener = function (type, fn, opts) {
    var self = this || g; // a bare addEventListener(...) call targets the window
    if (typeof fn !== "function" && !(fn && typeof fn.handleEvent === "function")) return;
    type = str(type).toLowerCase();
    if (!self._listeners) self._listeners = {};
    var l = self._listeners[type] = self._listeners[type] || [];
    if (opts && typeof opts === "object" && opts.once) {
      var once = function (ev) {
        self.removeEventListener(type, once);
        return typeof fn === "function" ? callFn(fn, this, [ev]) : fn.handleEvent(ev);
      };
      once._listener = fn;
      l[l.length] = once;
    } else l[l.length] = fn;
    if (type === "beforeunload" && (self === g || self === document)) R("beforeunload", "", "addEventListener");
  };
  EventTarget.prototype.attachEvent = function (type, fn) { this.addEventListener(str(type).replace(/^on/, ""), fn); };
  EventTarget.prototype.removeEventListener = function (type, fn) {
    var self = this || g;
    var l = self._listeners && self._listeners[str(type).toLowerCase()];
    if (!l) return;
    for (var i = 0; i < l.length; i++) if (l[i] === fn || l[i]._listener === fn) { callFn(rawSplice, l, [i, 1]); return; }
  };
  g.event = undefined; // window.event: the event being handled (legacy handlers read it)
  // callListener runs one listener of target with ev as the event being
  // handled (window.event); an on<type> handler (handler) that returns
  // false cancels the event. The dispatches of the page and the stepped
  // ones of the emulator (__runStep) call listeners this one way.
  function callListener(target, fn, ev, handler) {
    ev.currentTarget = target;
    var outer = g.event;
    g.event = ev;
    try {
      if (handler) { if (callFn(fn, target, [ev]) === false) ev.preventDefault(); }
      else if (typeof fn === "function") callFn(fn, target, [ev]);
      else fn.handleEvent(ev);
    } catch (e) { nativeError(e); } finally { g.event = outer; }
  }
  // invoke runs target's listeners for ev: those added (as they were when
  // the dispatch reached it), then its on<type> handler.
  function invoke(target, ev) {
    var type = ev.type.toLowerCase();
    ev.currentTarget = target;
    var l = target._listeners && target._listeners[type];
    if (l) {
      l = callFn(rawSlice, l, []);
      for (var i = 0; i < l.length; i++) callListener(target, l[i], ev, false);
    }
    var h = target["on" + type];
    if (typeof h === "function") callListener(target, h, ev, true);
  }
  // pathUp is the path an event dispatched at target bubbles along: target,
  // its ancestors, then the window past the document.
  function pathUp(target) {
    var path = [];
    for (var n = target; n; n = n.parentNode) path[path.length] = n;
    if (target !== g && target !== document && path[path.length - 1] === document) path[path.length] = g;
    return path;
  }
  // bubbledOut: the dispatch of ev stops after the current target.
  function bubbledOut(ev) { return ev._stop || (!ev.bubbles && ev.type !== "click"); }
  EventTarget.prototype.dispatchEvent = function (ev) {
    if (!ev || typeof ev !== "object") return true;
    if (!this) return g.dispatchEvent(ev);
    if (!(ev instanceof Event)) { var e2 = new Event(ev.type); for (var k in ev) e2[k] = ev[k]; ev = e2; }
    ev.target = this;
    var path = pathUp(this);
    for (var i = 0; i < path.length; i++) {
      invoke(path[i], ev);
      if (bubbledOut(ev)) break;
    }
    if (!ev.defaultPrevented && ev.type.toLowerCase() === "click" && this.__activate) this.__activate(this.__dispatchReason || "dispatchEvent");
    return !ev.defaultPrevented;
  };

  // ------------------------------------------------------------ style
  function Style(el) { this._el = el; }
  Object.defineProperty(Style.prototype, "cssText", {
    get: function () { return ""; },
    set: function (v) { var m = /cursor\s*:\s*none/i.exec(str(v)); if (m) R("style", "cursor:none", "cssText"); }
  });
  Style.prototype.setProperty = function (k, v) { this[k] = v; };
  Style.prototype.getPropertyValue = function (k) { return this[k] || ""; };
  Style.prototype.removeProperty = function () {};

  // ------------------------------------------------------------ nodes
  // Nodes are object literals, which goja makes faster than objects of a
  // constructor; Node and Text, called with new, return them. A tag name's
  // cases are worked out once (tagCases): a large page has thousands of
  // nodes, and parsed HTML gives its tags and texts as strings already.
  var nodeCount = 0;
  function element(c) {
    nodeCount++;
    if (nodeCount > 50000) throw new Error("too many DOM nodes");
    return { __proto__: Node.prototype, tagName: c.upper, nodeName: c.upper, localName: c.lower, _attrs: {}, childNodes: [], parentNode: null };
  }
  // An element of the page whose children are not made yet (lazy.go):
  // _lz is its number in the page's tree, and the childNodes getter of
  // Node.prototype makes them on first use.
  function pageElement(c, idx, parent) {
    nodeCount++;
    if (nodeCount > 50000) throw new Error("too many DOM nodes");
    return { __proto__: Node.prototype, tagName: c.upper, nodeName: c.upper, localName: c.lower, _attrs: {}, parentNode: parent, _lz: idx };
  }
  function textNode(text) { return { __proto__: Text.prototype, nodeType: 3, nodeName: "#text", data: text, parentNode: null, childNodes: [] }; }
  var tagCases = Object.create(null);
  function tagCase(tag) {
    var c = tagCases[tag];
    if (!c) c = tagCases[tag] = { lower: tag.toLowerCase(), upper: tag.toUpperCase() };
    return c;
  }
  function Node(tag) { return element(tagCase(str(tag))); }
  Node.prototype = Object.create(EventTarget.prototype);
  Node.prototype.nodeType = 1; // elements' (a property of each cost more)
  function Text(text) { return textNode(str(text)); }
  Text.prototype = Object.create(EventTarget.prototype);
  Object.defineProperty(Text.prototype, "textContent", { get: function () { return this.data; }, set: function (v) { this.data = str(v); } });
  Object.defineProperty(Text.prototype, "nodeValue", { get: function () { return this.data; }, set: function (v) { this.data = str(v); } });

  var P = Node.prototype;
  // style and dataset are made on first use: most nodes never need them.
  Object.defineProperty(P, "style", { get: function () { return this._style || (this._style = new Style(this)); }, set: function (v) { this.style.cssText = v; } });
  // dataset is the element's data-* attributes (a kit's button keeps its
  // number in data-phone), read and written through.
  function dataAttr(k) { return "data-" + str(k).replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); }); }
  function dataKey(a) { return a.slice(5).replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); }); }
  Object.defineProperty(P, "dataset", {
    get: function () {
      if (this._dataset) return this._dataset;
      var el = this;
      return (this._dataset = new Proxy({}, {
        get: function (t, k) { if (typeof k !== "string") return undefined; var v = el.getAttribute(dataAttr(k)); return v === null ? undefined : v; },
        set: function (t, k, v) { if (typeof k === "string") el.setAttribute(dataAttr(k), v); return true; },
        has: function (t, k) { return typeof k === "string" && el.hasAttribute(dataAttr(k)); },
        deleteProperty: function (t, k) { if (typeof k === "string") el.removeAttribute(dataAttr(k)); return true; },
        ownKeys: function () { return Object.keys(el._attrs).filter(function (a) { return a.indexOf("data-") === 0; }).map(dataKey); },
        getOwnPropertyDescriptor: function (t, k) { var v = typeof k === "string" ? el.getAttribute(dataAttr(k)) : null; return v === null ? undefined : { value: v, writable: true, enumerable: true, configurable: true }; }
      }));
    }
  });
  var spaces = /\s+/g;
  P.getAttribute = function (k) { k = str(k).toLowerCase(); return Object.prototype.hasOwnProperty.call(this._attrs, k) ? this._attrs[k] : null; };
  P.hasAttribute = function (k) { return Object.prototype.hasOwnProperty.call(this._attrs, str(k).toLowerCase()); };
  P.removeAttribute = function (k) { delete this._attrs[str(k).toLowerCase()]; };
  P.setAttribute = function (k, v) {
    k = str(k).toLowerCase(); v = str(v);
    this._attrs[k] = v;
    if (k === "id") ids[v] = this;
    if (k === "src") this.__srcChanged();
    if (k.indexOf("on") === 0 && k.length > 2) this[k] = handlerFromAttr(v, this, k);
    if (k === "style" && /cursor\s*:\s*none/i.test(v)) R("style", "cursor:none", "setAttribute");
    if (!domChanged && attached(this)) domChanged = true;
  };
  P.getAttributeNames = function () { return Object.keys(this._attrs); };
  P.toggleAttribute = function (k, force) {
    var has = this.hasAttribute(k), want = force === undefined ? !has : !!force;
    if (want && !has) this.setAttribute(k, ""); else if (!want && has) this.removeAttribute(k);
    return want;
  };
  Object.defineProperty(P, "attributes", {
    get: function () {
      var el = this, list = Object.keys(this._attrs || {}).map(function (k) { return { name: k, localName: k, value: str(el._attrs[k]), nodeName: k, nodeValue: str(el._attrs[k]) }; });
      list.item = function (i) { return list[i] || null; };
      list.getNamedItem = function (n) { n = str(n).toLowerCase(); for (var i = 0; i < list.length; i++) if (list[i].name === n) return list[i]; return null; };
      return list;
    }
  });
  function attrProp(name, attr) {
    Object.defineProperty(P, name, {
      get: function () { var v = this.getAttribute(attr); return v === null ? "" : v; },
      set: function (v) { this.setAttribute(attr, v); }, configurable: true
    });
  }
  ["id", "className:class", "href", "src", "action", "target", "name", "type", "title", "alt", "rel", "lang", "method", "download:download", "content", "httpEquiv:http-equiv"].forEach(function (s) {
    var p = s.split(":"); attrProp(p[0], p[1] || p[0]);
  });
  Object.defineProperty(P, "value", { get: function () { return this._value !== undefined ? this._value : (this.getAttribute("value") || ""); }, set: function (v) { this._value = str(v); } });
  Object.defineProperty(P, "classList", {
    get: function () {
      var el = this;
      function list() { return str(el.getAttribute("class")).split(/\s+/).filter(Boolean); }
      return {
        add: function () { var l = list(); for (var i = 0; i < arguments.length; i++) if (l.indexOf(arguments[i]) < 0) l.push(arguments[i]); el.setAttribute("class", l.join(" ")); },
        remove: function () { var l = list(), a = Array.prototype.slice.call(arguments); el.setAttribute("class", l.filter(function (c) { return a.indexOf(c) < 0; }).join(" ")); },
        toggle: function (c) { var l = list(); if (l.indexOf(c) >= 0) this.remove(c); else this.add(c); },
        contains: function (c) { return list().indexOf(c) >= 0; },
        get length() { return list().length; }
      };
    }
  });
  Object.defineProperty(P, "children", { get: function () { return this.childNodes.filter(function (n) { return n.nodeType === 1; }); } });
  Object.defineProperty(P, "firstChild", { get: function () { return this.childNodes[0] || null; } });
  Object.defineProperty(P, "lastChild", { get: function () { return this.childNodes[this.childNodes.length - 1] || null; } });
  Object.defineProperty(P, "firstElementChild", { get: function () { return this.children[0] || null; } });
  Object.defineProperty(P, "parentElement", { get: function () { return this.parentNode && this.parentNode.nodeType === 1 ? this.parentNode : null; } });
  function sibling(n, d) { var p = n.parentNode; if (!p) return null; var i = p.childNodes.indexOf(n); return p.childNodes[i + d] || null; }
  Object.defineProperty(P, "nextSibling", { get: function () { return sibling(this, 1); } });
  Object.defineProperty(P, "previousSibling", { get: function () { return sibling(this, -1); } });
  function elementSibling(n, d) {
    var p = n.parentNode; if (!p) return null;
    var kids = p.childNodes;
    for (var i = kids.indexOf(n) + d; i >= 0 && i < kids.length; i += d) if (kids[i].nodeType === 1) return kids[i];
    return null;
  }
  Object.defineProperty(P, "nextElementSibling", { get: function () { return elementSibling(this, 1); } });
  Object.defineProperty(P, "previousElementSibling", { get: function () { return elementSibling(this, -1); } });
  Object.defineProperty(P, "lastElementChild", { get: function () { var c = this.children; return c[c.length - 1] || null; } });
  Object.defineProperty(P, "childElementCount", { get: function () { return this.children.length; } });
  Object.defineProperty(P, "ownerDocument", { get: function () { return document; } });
  Object.defineProperty(P, "isConnected", { get: function () { return attached(this); } });
  Object.defineProperty(P, "childNodes", {
    get: function () { if (this === P || !this || typeof this !== "object") return []; return this._lz >= 0 ? pageKids(this) : ownKids(this, []); },
    set: function (v) { if (this === P || !this || typeof this !== "object") return; ownKids(this, v); this._lz = -1; }, configurable: true
  });
  function ownKids(n, kids) { defineProp(n, "childNodes", { value: kids, writable: true, enumerable: true, configurable: true }); return kids; }
  function textOf(n) {
    if (n.nodeType === 3) return n.data;
    if (n._lz >= 0 && byIdx[n._lz] === n) return pageText(n._lz);
    var s = ""; for (var i = 0; i < n.childNodes.length; i++) s += textOf(n.childNodes[i]); return s;
  }
  Object.defineProperty(P, "textContent", {
    get: function () { return textOf(this); },
    set: function (v) { this.childNodes.forEach(function (c) { c.parentNode = null; }); this.childNodes = [new Text(v)]; this.childNodes[0].parentNode = this; if (attached(this)) mutated(this, "childList", this.childNodes.slice()); }
  });
  Object.defineProperty(P, "innerText", Object.getOwnPropertyDescriptor(P, "textContent"));
  Object.defineProperty(P, "text", Object.getOwnPropertyDescriptor(P, "textContent"));
  function serialize(n) {
    if (n.nodeType === 3) return n.data;
    var s = "<" + n.localName;
    for (var k in n._attrs) s += " " + k + '="' + str(n._attrs[k]).replace(/"/g, "&quot;") + '"';
    s += ">";
    if (voidTags[n.localName]) return s;
    for (var i = 0; i < n.childNodes.length; i++) s += serialize(n.childNodes[i]);
    return s + "</" + n.localName + ">";
  }
  Object.defineProperty(P, "innerHTML", {
    get: function () { var s = ""; for (var i = 0; i < this.childNodes.length; i++) s += serialize(this.childNodes[i]); return s; },
    set: function (v) {
      v = str(v);
      if (v.length > 0) R("decoded", v, "innerHTML");
      this.childNodes.forEach(function (c) { c.parentNode = null; });
      this.childNodes = [];
      insertParsed(this, inertHTML(v));
    }
  });
  Object.defineProperty(P, "outerHTML", {
    get: function () { return serialize(this); },
    set: function (v) { var p = this.parentNode; if (!p) return; var nodes = inertHTML(str(v)); R("decoded", str(v), "innerHTML"); for (var i = 0; i < nodes.length; i++) p.insertBefore(nodes[i], this); p.removeChild(this); }
  });
  P.insertAdjacentHTML = function (pos, html) {
    R("decoded", str(html), "innerHTML");
    insertParsed(this, inertHTML(str(html)));
  };
  function attached(n) { for (; n; n = n.parentNode) if (n === document) return true; return false; }
  function walk(n, f) { f(n); for (var i = 0; i < n.childNodes.length; i++) walk(n.childNodes[i], f); }
  // walkFind is walk for a search: under an element whose children are
  // not made yet, the page's tree gives the elements query q may match
  // (lazy.go's find), and only those are made and passed to f; when they
  // are most of what is there, the walk goes on as walk does. f returns
  // true to stop the walk.
  function walkFind(n, q, f) {
    if (f(n)) return true;
    if (n._lz >= 0 && byIdx[n._lz] === n) {
      var idx = n._lz, found = pageFind(idx, q);
      if (found !== null) {
        for (var i = 0; i < found.length; i++) { var x = reach(n, pagePath(idx, found[i])); if (x && f(x)) return true; }
        return false;
      }
    }
    for (var j = 0; j < n.childNodes.length; j++) if (walkFind(n.childNodes[j], q, f)) return true;
    return false;
  }
  function onInsert(n) {
    if (!attached(n)) return;
    if (n.parentNode) mutated(n.parentNode, "childList", [n]);
    walk(n, function (x) {
      if (x.nodeType !== 1) return;
      var t = x.localName;
      if ((t === "iframe" || t === "frame" || t === "embed" || t === "object") && x.getAttribute("src")) navigate(x.getAttribute("src"), "iframe");
      if (t === "meta") metaRefresh(x);
      if (t === "script" && !x._ran) runScriptElement(x);
      if ((t === "audio" || t === "video") && x.hasAttribute("autoplay") && !x.hasAttribute("muted")) R("audio", mediaSrc(x), "autoplay");
    });
  }
  P.__srcChanged = function () {
    var t = this.localName;
    if ((t === "iframe" || t === "frame" || t === "embed") && attached(this)) navigate(this.getAttribute("src"), "iframe");
    if (t === "script" && attached(this) && !this._ran) runScriptElement(this);
  };
  P.appendChild = function (c) {
    if (!c || typeof c !== "object") return c;
    if (c.nodeType === 11) { var kids = c.childNodes.slice(); for (var i = 0; i < kids.length; i++) this.appendChild(kids[i]); return c; }
    if (c.parentNode) c.parentNode.removeChild(c);
    c.parentNode = this; this.childNodes.push(c); onInsert(c); return c;
  };
  P.append = function () { for (var i = 0; i < arguments.length; i++) { var a = arguments[i]; this.appendChild(typeof a === "object" ? a : new Text(a)); } };
  P.prepend = function () { for (var i = arguments.length - 1; i >= 0; i--) { var a = arguments[i]; this.insertBefore(typeof a === "object" ? a : new Text(a), this.childNodes[0] || null); } };
  P.insertBefore = function (c, ref) {
    if (!c || typeof c !== "object") return c;
    if (c.parentNode) c.parentNode.removeChild(c);
    var i = ref ? this.childNodes.indexOf(ref) : -1;
    if (i < 0) this.childNodes.push(c); else this.childNodes.splice(i, 0, c);
    c.parentNode = this; onInsert(c); return c;
  };
  P.replaceChild = function (c, old) { this.insertBefore(c, old); this.removeChild(old); return old; };
  P.removeChild = function (c) { var i = this.childNodes.indexOf(c); if (i >= 0) { this.childNodes.splice(i, 1); c.parentNode = null; } return c; };
  P.remove = function () { if (this.parentNode) this.parentNode.removeChild(this); };
  // before, after, replaceWith: nodes or strings, next to this one.
  function nodesOf(args) { var out = []; for (var i = 0; i < args.length; i++) out.push(args[i] && typeof args[i] === "object" ? args[i] : new Text(args[i])); return out; }
  P.before = function () { var p = this.parentNode; if (!p) return; var ns = nodesOf(arguments); for (var i = 0; i < ns.length; i++) p.insertBefore(ns[i], this); };
  P.after = function () { var p = this.parentNode; if (!p) return; var ns = nodesOf(arguments), ref = this.nextSibling; for (var i = 0; i < ns.length; i++) p.insertBefore(ns[i], ref); };
  P.replaceChildren = function () { var ns = nodesOf(arguments); while (this.childNodes.length) this.removeChild(this.childNodes[0]); for (var i = 0; i < ns.length; i++) this.appendChild(ns[i]); };
  P.replaceWith = function () { var p = this.parentNode; if (!p) return; var ns = nodesOf(arguments); for (var i = 0; i < ns.length; i++) p.insertBefore(ns[i], this); p.removeChild(this); };
  P.insertAdjacentElement = function (pos, el) {
    switch (str(pos).toLowerCase()) {
      case "beforebegin": this.before(el); break;
      case "afterbegin": this.insertBefore(el, this.firstChild); break;
      case "afterend": this.after(el); break;
      default: this.appendChild(el);
    }
    return el;
  };
  P.insertAdjacentText = function (pos, t) { this.insertAdjacentElement(pos, new Text(t)); };
  P.cloneNode = function (deep) {
    var n = new Node(this.localName); for (var k in this._attrs) n._attrs[k] = this._attrs[k];
    if (deep) this.childNodes.forEach(function (c) { n.appendChild(c.nodeType === 3 ? new Text(c.data) : c.cloneNode(true)); });
    return n;
  };
  P.contains = function (o) { for (; o; o = o.parentNode) if (o === this) return true; return false; };
  P.hasChildNodes = function () { return this.childNodes.length > 0; };
  P.getBoundingClientRect = function () { return { top: 0, left: 0, right: 1366, bottom: 768, width: 1366, height: 768, x: 0, y: 0 }; };
  P.getClientRects = function () { return [this.getBoundingClientRect()]; };
  ["offsetWidth", "clientWidth", "scrollWidth"].forEach(function (k) { Object.defineProperty(P, k, { get: function () { return 1366; } }); });
  ["offsetHeight", "clientHeight", "scrollHeight"].forEach(function (k) { Object.defineProperty(P, k, { get: function () { return 768; } }); });
  P.offsetTop = 0; P.offsetLeft = 0; P.scrollTop = 0; P.scrollLeft = 0;
  P.focus = function () {}; P.blur = function () {}; P.scrollIntoView = function () {}; P.scrollTo = function () {};
  P.animate = function () { return { finished: Promise.resolve(), cancel: function () {}, play: function () {} }; };
  P.attachShadow = function () { return this; };
  // A 2D context draws nothing, but the text a page paints is page text.
  P.getContext = function () {
    return new Proxy({}, { get: function (o, k) {
      if (k === "fillText" || k === "strokeText") return function (t) { if (canvasText.length < 65536) canvasText.push(str(t)); };
      if (k === "measureText") return function (t) { return { width: str(t).length * 8 }; };
      return function () { return {}; };
    } });
  };
  P.toDataURL = function () { return "data:,"; };
  P.click = function () {
    var ev = new Event("click", { bubbles: true });
    this.__dispatchReason = "click";
    try { this.dispatchEvent(ev); } finally { this.__dispatchReason = undefined; }
  };
  P.__activate = function (reason) {
    var el = this;
    for (var n = this; n && n.nodeType === 1; n = n.parentNode) { if (n.localName === "a" || n.localName === "area") { el = n; break; } }
    if (el.localName === "a" || el.localName === "area") {
      var href = el.getAttribute("href");
      if (el.hasAttribute("download")) { R("download", str(href), reason); return; }
      if (href !== null) navigate(href, reason);
    }
    if ((el.localName === "button" || el.localName === "input") && /submit/i.test(str(el.getAttribute("type") || "submit"))) {
      for (var f = el.parentNode; f; f = f.parentNode) if (f.localName === "form") { f.submit(); break; }
    }
  };
  P.submit = function () { var a = this.getAttribute("action"); if (a) navigate(a, "form.submit"); };
  P.requestSubmit = P.submit;
  P.reset = function () {};
  // Media
  function mediaSrc(el) {
    var s = el.getAttribute("src");
    if (!s) for (var i = 0; i < el.childNodes.length; i++) { var c = el.childNodes[i]; if (c.localName === "source" && c.getAttribute("src")) { s = c.getAttribute("src"); break; } }
    return str(s);
  }
  P.play = function () { R("audio", mediaSrc(this), "play"); return Promise.resolve(); };
  P.pause = function () {}; P.load = function () {}; P.canPlayType = function () { return "probably"; };
  P.paused = true; P.currentTime = 0; P.volume = 1; P.muted = false; P.loop = false;
  // Lockers
  ["requestFullscreen", "webkitRequestFullscreen", "webkitRequestFullScreen", "mozRequestFullScreen", "msRequestFullscreen", "webkitEnterFullscreen"].forEach(function (m) {
    P[m] = function () { R("fullscreen", this.localName, m); return Promise.resolve(); };
  });
  P.requestPointerLock = function () { R("pointer-lock", this.localName, "requestPointerLock"); };
  P.webkitRequestPointerLock = P.requestPointerLock; P.mozRequestPointerLock = P.requestPointerLock;
  // Queries
  P.getElementsByTagName = function (t) { t = str(t).toLowerCase(); var out = [], self = this, f = function (n) { if (n.nodeType === 1 && n !== self && (t === "*" || n.localName === t)) out.push(n); }; if (t === "*") walk(this, f); else walkFind(this, [t, noID, "", ""], f); return out; };
  P.getElementsByClassName = function (c) { var want = str(c).split(/\s+/).filter(Boolean); var out = []; walkFind(this, ["", noID, want.join(" "), ""], function (n) { if (n.nodeType === 1) { var cl = str(n.getAttribute("class")).split(/\s+/); if (want.every(function (w) { return cl.indexOf(w) >= 0; })) out.push(n); } }); return out.filter(function (n) { return n !== this; }, this); };
  P.querySelectorAll = function (sel) { return select(this, str(sel)); };
  P.querySelector = function (sel) { return select(this, str(sel), true)[0] || null; };
  P.matches = function (sel) { var n = this; return compile(str(sel)).some(function (parts) { return matchChain(n, parts, parts.length - 1, document); }); };
  P.closest = function (sel) { for (var n = this; n && n.nodeType === 1; n = n.parentNode) if (n.matches(sel)) return n; return null; };

  // A small selector engine: compound selectors (tag#id.class[attr op val])
  // with descendant and child combinators, comma lists. Selectors are
  // compiled once and cached: kits query the same selectors in timers.
  var selCache = {}, selCount = 0;
  function compileCompound(s) {
    var c = { tag: "", id: null, classes: [], attrs: [], pseudos: [], bad: false };
    var re = /([#.]?[\w\-]+|\*|\[[^\]]*\]|::?[\w\-]+(\([^)]*\))?)/g, m, any = false;
    while ((m = re.exec(s))) {
      any = true;
      var t = m[1];
      if (t === "*") continue;
      if (t[0] === ":") { var ps = pseudo(t); if (ps) c.pseudos.push(ps); continue; } // one it does not know matches all
      if (t[0] === "#") c.id = t.slice(1);
      else if (t[0] === ".") c.classes.push(t.slice(1));
      else if (t[0] === "[") {
        var a = /^\[\s*([\w\-:]+)\s*(?:([~|^$*]?=)\s*["']?([^"'\]]*)["']?)?\s*\]$/.exec(t);
        if (!a) { c.bad = true; continue; }
        c.attrs.push({ name: a[1].toLowerCase(), op: a[2] || "", val: a[3] || "" });
      } else c.tag = t.toLowerCase();
    }
    if (!any) c.bad = true;
    return c;
  }
  // pseudo compiles the structural pseudo-classes and :not of a simple
  // selector into a test; others (:hover, ::before…) test nothing.
  function pseudo(t) {
    var m = /^:([\w\-]+)(?:\(\s*([^)]*?)\s*\))?$/.exec(t);
    if (!m) return null;
    var name = m[1].toLowerCase(), arg = m[2] || "";
    // index is n's place among its element siblings (of its type), from
    // the first (from 1) or the last (from -1), 1-based; -1 if detached.
    function index(n, from, ofType) {
      var p = n.parentNode; if (!p) return -1;
      var kids = p.childNodes, k = 0;
      for (var i = from < 0 ? kids.length - 1 : 0; i >= 0 && i < kids.length; i += from) {
        var a = kids[i];
        if (a.nodeType === 1 && (!ofType || a.localName === n.localName)) { k++; if (a === n) return k; }
      }
      return -1;
    }
    function nth(expr) {
      expr = expr.replace(/\s+/g, "").toLowerCase();
      if (expr === "odd") expr = "2n+1"; else if (expr === "even") expr = "2n";
      var f = /^([+-]?\d*)n([+-]\d+)?$/.exec(expr);
      if (!f) { var k = parseInt(expr, 10); return isNaN(k) ? null : function (i) { return i === k; }; }
      var a = f[1] === "" || f[1] === "+" ? 1 : f[1] === "-" ? -1 : parseInt(f[1], 10), b = parseInt(f[2] || "0", 10);
      return function (i) { return a === 0 ? i === b : (i - b) / a >= 0 && (i - b) % a === 0; };
    }
    switch (name) {
      case "first-child": return function (n) { return index(n, 1) === 1; };
      case "last-child": return function (n) { return index(n, -1) === 1; };
      case "only-child": return function (n) { return index(n, 1) === 1 && index(n, -1) === 1; };
      case "first-of-type": return function (n) { return index(n, 1, true) === 1; };
      case "last-of-type": return function (n) { return index(n, -1, true) === 1; };
      case "nth-child": case "nth-last-child": case "nth-of-type": case "nth-last-of-type":
        var test = nth(arg);
        if (!test) return null;
        var from = name.indexOf("last") >= 0 ? -1 : 1, ofType = name.indexOf("of-type") >= 0;
        return function (n) { var i = index(n, from, ofType); return i > 0 && test(i); };
      case "not":
        var inner = compileCompound(arg);
        if (inner.bad) return null;
        return function (n) { return !matchCompound(n, inner); };
      case "checked": return function (n) { return n.hasAttribute("checked") || n.hasAttribute("selected"); };
      case "disabled": return function (n) { return n.hasAttribute("disabled"); };
      case "empty": return function (n) { return n.childNodes.length === 0; };
    }
    return null;
  }
  function compile(sel) {
    var hit = selCache[sel];
    if (hit) return hit;
    var groups = sel.split(",").map(function (g) {
      var parts = g.trim().replace(/\s*>\s*/g, " > ").split(/\s+/).filter(Boolean);
      return parts.map(function (p) { return p === ">" ? ">" : compileCompound(p); });
    }).filter(function (g) { return g.length > 0; });
    if (selCount++ < 500) selCache[sel] = groups;
    return groups;
  }
  function matchCompound(n, c) {
    if (n.nodeType !== 1 || c.bad) return false;
    if (c.tag && n.localName !== c.tag) return false;
    if (c.id !== null && n._attrs.id !== c.id) return false;
    if (c.classes.length) {
      var cl = " " + str(n._attrs["class"]).replace(spaces, " ") + " ";
      for (var i = 0; i < c.classes.length; i++) if (cl.indexOf(" " + c.classes[i] + " ") < 0) return false;
    }
    for (var q = 0; q < c.pseudos.length; q++) if (!c.pseudos[q](n)) return false;
    for (var j = 0; j < c.attrs.length; j++) {
      var a = c.attrs[j], v = n._attrs[a.name];
      if (v === undefined) return false;
      switch (a.op) {
        case "=": if (v !== a.val) return false; break;
        case "^=": if (v.indexOf(a.val) !== 0) return false; break;
        case "$=": if (v.slice(-a.val.length) !== a.val) return false; break;
        case "*=": if (v.indexOf(a.val) < 0) return false; break;
        case "~=": if (v.split(/\s+/).indexOf(a.val) < 0) return false; break;
      }
    }
    return true;
  }
  function select(root, sel, first) {
    var out = [];
    var groups = compile(sel);
    // Fast path: a lone #id.
    if (groups.length === 1 && groups[0].length === 1) {
      var c0 = groups[0][0];
      if (c0.id !== null && !c0.tag && !c0.classes.length && !c0.attrs.length) {
        var n0 = idLookup(c0.id);
        return n0 && root.contains(n0) && n0 !== root ? [n0] : [];
      }
    }
    var test = function (n) {
      if (n === root || n.nodeType !== 1 || (first && out.length)) return !!(first && out.length);
      for (var i = 0; i < groups.length; i++) {
        var parts = groups[i];
        if (matchChain(n, parts, parts.length - 1, root)) { out.push(n); return !!first; }
      }
      return false;
    };
    var q = queryOf(groups);
    if (q) walkFind(root, q, test); else walk(root, test);
    return out;
  }
  // queryOf is what the page's tree is asked for a selector: the last
  // compound of each group (lazy.go's pageQuery); null when a group ends
  // otherwise (the walk then makes what it passes).
  var noID = "\u0000";
  function queryOf(groups) {
    if (groups._q !== undefined) return groups._q;
    var q = [];
    for (var i = 0; i < groups.length && q; i++) {
      var c = groups[i][groups[i].length - 1];
      if (!c || typeof c !== "object") q = null;
      else if (!c.tag && c.id === null && !c.classes.length && !c.attrs.length && !c.bad) q = null; // every element may match: the walk makes them
      else if (!c.bad) q.push(c.tag, c.id === null ? noID : c.id, c.classes.join(" "), c.attrs.map(function (a) { return a.name; }).join(" "));
    }
    groups._q = q;
    return q;
  }
  function matchChain(n, parts, i, root) {
    if (!matchCompound(n, parts[i])) return false;
    if (i === 0) return true;
    if (parts[i - 1] === ">") { var p = n.parentNode; return !!p && p !== root.parentNode && i >= 2 && matchChain(p, parts, i - 2, root); }
    for (var a = n.parentNode; a && a.nodeType === 1; a = a.parentNode) if (matchChain(a, parts, i - 1, root)) return true;
    return false;
  }

  // ------------------------------------------------------------ parsing
  var ids = {}, nullObject = Object.create;
  // The page's elements are not registered in ids (they are made on
  // demand): the page's tree gives the last with an id, as the registry
  // held it when every element was made up front. ids holds what came
  // after: ids set by scripts and elements they parsed.
  function idLookup(id) {
    if (Object.prototype.hasOwnProperty.call(ids, id)) return ids[id];
    var j = pageID(id);
    return j >= 0 ? reach(null, pagePath(-1, j)) : ids[id];
  }
  // ------------------------------------------------------------ the page's tree
  var pageKidsOf = g.__pageKids, pageFind = g.__pageFind, pagePath = g.__pagePath, pageText = g.__pageText, pageID = g.__pageID, pageOn = g.__pageOn, cpu = g.__cpu, credit = g.__credit, parseNative = g.__parseHTML;
  // Page scripts must not reach these: __cpu would hide their own time
  // from the budget, and a __parseHTML of theirs would run uncharged.
  ["__pageKids", "__pageFind", "__pagePath", "__pageText", "__pageID", "__pageOn", "__cpu", "__credit", "__parseHTML"].forEach(function (k) { delete g[k]; });
  var byIdx = [];
  // pageNodes makes the children of element idx of the page's tree (the
  // top level for -1), as build made them, with their own children left
  // to make.
  function pageNodes(idx, parent) {
    var a = pageKidsOf(idx), out = [], at = 0;
    while (at < a.length) {
      var v = a[at++];
      if (typeof v === "string") { var t = textNode(v); t.parentNode = parent; out.push(t); continue; }
      var n = pageElement(tagCase(a[at++]), a[at + 2 * v], parent);
      for (var j = 0; j < v; j++) {
        var k = a[at++], val = a[at++];
        n._attrs[k] = val;
        if (k.length > 2 && k.charCodeAt(0) === 111 && k.charCodeAt(1) === 110) n[k] = handlerFromAttr(val, n, k);
      }
      byIdx[a[at++]] = n; out.push(n);
      if (n.localName === "script") n._code = textOf(n);
    }
    return out;
  }
  function pageKids(n) {
    var idx = n._lz;
    n._lz = -1;
    if (byIdx[idx] !== n) return ownKids(n, []); // a copy of an element's properties is not the element
    var t0 = cpu();
    try { return ownKids(n, pageNodes(idx, n)); } finally { credit(t0); }
  }
  // reach makes the elements of path (numbers in the page's tree), each
  // a child of the one before, from under n (the top level for null).
  function reach(n, path) {
    var cur = n;
    for (var i = 0; i < path.length; i++) {
      if (cur && cur._lz >= 0) pageKids(cur);
      cur = byIdx[path[i]];
      if (!cur) return null;
    }
    return cur;
  }
  // __parseHTML gives the tree flat (see flatten in html.go): a text is its
  // string; an element is its attribute count n, its tag, n name/value
  // pairs, its child count and its children.
  // Names a script made enumerable on Object.prototype were attributes of
  // every element while the tree came as objects; they still are.
  // Parsing and making the nodes is not charged to the budget, as the
  // page's own are not: a script that writes padding before its payload
  // leaves the payload the time it would have had.
  function parseHTML(html) {
    html = html === undefined || html === null ? "" : String(html); // the page's toString runs charged
    var t0 = cpu();
    try { return parseHTMLNodes(html); } finally { credit(t0); }
  }
  // insertTags are the elements inserting acts on (onInsert); lastSpecial
  // says whether the last parse made any.
  var insertTags = nullObject(null), lastSpecial = false;
  ["iframe", "frame", "embed", "object", "meta", "script", "audio", "video"].forEach(function (t) { insertTags[t] = true; });
  function parseHTMLNodes(html) {
    var a = parseNative(html), at = 0, inherited = [], empty = {}, special = false;
    for (var k0 in empty) inherited.push(k0);
    function attr(n, k, val) {
      n._attrs[k] = val;
      if (k === "id") ids[val] = n;
      if (k.indexOf("on") === 0 && k.length > 2) n[k] = handlerFromAttr(val, n, k);
    }
    function build() {
      var v = a[at++];
      if (typeof v === "string") return textNode(v);
      var n = element(tagCase(a[at++]));
      var own = inherited.length ? nullObject(null) : null; // the element's names, shadowing inherited ones
      for (var j = 0; j < v; j++) {
        var k = a[at++], val = a[at++];
        if (own) own[k] = true;
        // attr, written out: most attributes are neither an id nor a handler.
        n._attrs[k] = val;
        if (k === "id") ids[val] = n;
        else if (k.length > 2 && k.charCodeAt(0) === 111 && k.charCodeAt(1) === 110) n[k] = handlerFromAttr(val, n, k);
      }
      for (j = 0; j < inherited.length; j++) if (!(inherited[j] in own)) attr(n, inherited[j], empty[inherited[j]]);
      var kids = a[at++];
      for (var i = 0; i < kids; i++) { var c = build(); c.parentNode = n; n.childNodes.push(c); }
      if (insertTags[n.localName] === true) special = true;
      if (n.localName === "script") n._code = textOf(n);
      return n;
    }
    var out = [];
    while (at < a.length) out.push(build());
    lastSpecial = special;
    return out;
  }
  // insertParsed appends what parseHTML just made to parent, as the
  // parser does: one mutation record, and no walk of the nodes inserting
  // acts on when there are none (padding costs no budget per node).
  function insertParsed(parent, nodes) {
    if (lastSpecial) { for (var i = 0; i < nodes.length; i++) parent.appendChild(nodes[i]); return; }
    var kids = parent.childNodes;
    for (var j = 0; j < nodes.length; j++) { nodes[j].parentNode = parent; kids.push(nodes[j]); }
    if (nodes.length && attached(parent)) mutated(parent, "childList", nodes.slice());
  }
  // Scripts inserted with innerHTML and friends never run (as in browsers);
  // only document.write and created script elements run.
  function inertHTML(html) {
    var nodes = parseHTML(html);
    if (lastSpecial) nodes.forEach(function (n) { walk(n, function (x) { if (x.localName === "script") x._ran = true; }); });
    return nodes;
  }
  // Handler attributes compile on first use: pages carry many, most never fire.
  function handlerFromAttr(code, el, name) {
    if (name === "onbeforeunload") R("beforeunload", "", "attribute");
    var f = null, bad = false;
    return function (event) {
      if (!f && !bad) { try { f = new RawFunction("event", str(code)); } catch (e) { bad = true; } }
      return f ? f.call(this, event) : undefined;
    };
  }
  function runScriptElement(el) {
    el._ran = true;
    var type = str(el.getAttribute("type")).toLowerCase();
    if (type && !/javascript|ecmascript|module|jscript/.test(type)) return;
    var code = el._code !== undefined ? el._code : textOf(el);
    if (el.getAttribute("src")) { R("script", str(el.getAttribute("src")), "inserted"); return; }
    if (code) { R("decoded", code, "script-element"); try { rawEval(code); } catch (e) { nativeError(e); } }
  }
  function metaRefresh(m) {
    if (!/refresh/i.test(str(m.getAttribute("http-equiv")))) return;
    var c = str(m.getAttribute("content")), i = c.search(/[;,]/);
    if (i < 0) return;
    var u = c.slice(i + 1).replace(/^\s*url\s*=\s*/i, "").replace(/^['"]|['"]$/g, "");
    navigate(u, "meta-refresh");
  }

  // ------------------------------------------------------------ observers
  // MutationObserver: records of child-list changes (insertions and text
  // replaced) under observed nodes, delivered in a zero-delay timer.
  var observers = [], canvasText = [];
  function MutationObserver(cb) { this._cb = cb; this._targets = []; this._queue = []; }
  MutationObserver.prototype.observe = function (target, opts) {
    if (!target || typeof target !== "object") return;
    this._targets.push({ node: target, subtree: !!(opts && opts.subtree) });
    if (observers.indexOf(this) < 0) observers.push(this);
  };
  MutationObserver.prototype.disconnect = function () { this._targets = []; this._queue = []; var i = observers.indexOf(this); if (i >= 0) observers.splice(i, 1); };
  MutationObserver.prototype.takeRecords = function () { var q = this._queue; this._queue = []; return q; };
  var domChanged = false;
  g.__domChanged = function () { return domChanged; };
  function mutated(target, type, added) {
    domChanged = true;
    for (var i = 0; i < observers.length; i++) {
      var o = observers[i], hit = false;
      for (var j = 0; j < o._targets.length && !hit; j++) {
        var t = o._targets[j];
        hit = t.node === target || (t.subtree && t.node.contains && t.node.contains(target));
      }
      if (!hit || o._queue.length >= 1000) continue;
      o._queue.push({ type: type, target: target, addedNodes: added || [], removedNodes: [], attributeName: null, oldValue: null });
      if (!o._pending) {
        o._pending = true;
        (function (o) { addTimer(function () { o._pending = false; var q = o.takeRecords(); if (q.length) o._cb.call(o, q, o); }, 0, [], false); })(o);
      }
    }
  }
  // NodeFilter, TreeWalker and NodeIterator over a snapshot of the subtree
  // in document order.
  var NodeFilter = { FILTER_ACCEPT: 1, FILTER_REJECT: 2, FILTER_SKIP: 3, SHOW_ALL: 0xFFFFFFFF, SHOW_ELEMENT: 1, SHOW_ATTRIBUTE: 2, SHOW_TEXT: 4,
    SHOW_CDATA_SECTION: 8, SHOW_PROCESSING_INSTRUCTION: 0x40, SHOW_COMMENT: 0x80, SHOW_DOCUMENT: 0x100, SHOW_DOCUMENT_TYPE: 0x200, SHOW_DOCUMENT_FRAGMENT: 0x400 };
  function Walker(root, what, filter) {
    if (what === undefined || what === null) what = NodeFilter.SHOW_ALL;
    var list = [], accept = function (n) {
      if (!(what & (1 << (n.nodeType - 1)))) return false;
      if (!filter) return true;
      var r = typeof filter === "function" ? filter(n) : filter.acceptNode(n);
      return r === NodeFilter.FILTER_ACCEPT || r === true;
    };
    (function visit(n) { if (list.length > 20000) return; if (n !== root && accept(n)) list.push(n); for (var i = 0; i < n.childNodes.length; i++) visit(n.childNodes[i]); })(root);
    this.root = root; this.whatToShow = what; this.filter = filter || null; this.currentNode = root; this._list = list; this._i = -1;
  }
  Walker.prototype.nextNode = function () { if (this._i + 1 >= this._list.length) return null; this.currentNode = this._list[++this._i]; return this.currentNode; };
  Walker.prototype.previousNode = function () { if (this._i <= 0) { this._i = -1; return null; } this.currentNode = this._list[--this._i]; return this.currentNode; };
  Walker.prototype.firstChild = function () { var c = this.currentNode.childNodes || []; for (var i = 0; i < c.length; i++) { var k = this._list.indexOf(c[i]); if (k >= 0) { this._i = k; return (this.currentNode = c[i]); } } return null; };
  Walker.prototype.nextSibling = function () { for (var n = this.currentNode.nextSibling; n; n = n.nextSibling) { var k = this._list.indexOf(n); if (k >= 0) { this._i = k; return (this.currentNode = n); } } return null; };
  Walker.prototype.parentNode = function () { for (var n = this.currentNode.parentNode; n && n !== this.root; n = n.parentNode) { var k = this._list.indexOf(n); if (k >= 0) { this._i = k; return (this.currentNode = n); } } return null; };
  Walker.prototype.detach = function () {};
  // The document as HTML without its scripts (their code is analysed
  // already), for the rules to read as a page: text, title, attributes.
  // indexOf first: most text has nothing to escape, and a replace with a
  // regular expression costs far more in the interpreter.
  function esc(t, attr) {
    if (t.indexOf("&") >= 0) t = t.replace(/&/g, "&amp;");
    if (t.indexOf("<") >= 0) t = t.replace(/</g, "&lt;");
    if (t.indexOf(">") >= 0) t = t.replace(/>/g, "&gt;");
    if (attr && t.indexOf('"') >= 0) t = t.replace(/"/g, "&quot;");
    return t;
  }
  function dump(n, out, raw, depth) {
    if (out.size > 4194304 || depth > 256) return;
    if (n.nodeType === 3) { var t = raw ? n.data : esc(n.data, false); if (typeof t !== "string") out.odd = true; out.push(t); out.size += t.length; return; }
    var t = n.localName, kids = n.childNodes || [];
    if (n.nodeType === 9 || n.nodeType === 11) { for (var i = 0; i < kids.length; i++) dump(kids[i], out, false, depth + 1); return; }
    if (t === "script" || n.nodeType !== 1) return;
    var s = "<" + t + attrsHTML(n, out.plain);
    out.push(s + ">"); out.size += s.length;
    if (voidTags[t]) return;
    for (var i = 0; i < kids.length; i++) dump(kids[i], out, t === "style", depth + 1);
    out.push("</" + t + ">");
  }
  // The pieces go to Go to be joined there, where ASCII pieces need no
  // copy and the text no UTF-16 round trip; a script that changed how
  // arrays push or join, or text that is not a string, gets join as before.
  var rawJoin = Array.prototype.join, rawPush = Array.prototype.push;
  // attrsHTML is what for (var k in n._attrs) wrote, without the for-in:
  // goja's walks the prototype chain with a map of names seen, and that was
  // most of reading a page back. Object.keys gives the same names in the
  // same order when the attributes are an ordinary object of strings and
  // Object.prototype has nothing enumerable; anything else takes the for-in.
  var keysOf = Object.keys, protoOf = Object.getPrototypeOf, OP = Object.prototype;
  function attrsHTML(n, plain) {
    var a = n._attrs, s = "", i = 0, ks;
    if (plain && a !== null && typeof a === "object" && protoOf(a) === OP) {
      ks = keysOf(a);
      for (; i < ks.length; i++) { var v = a[ks[i]]; if (typeof v !== "string") break; s += " " + ks[i] + '="' + esc(v, true) + '"'; }
      if (i === ks.length) return s;
      s = "";
    }
    for (var k in n._attrs) s += " " + k + '="' + esc(str(n._attrs[k]), true) + '"';
    return s;
  }
  // The document is read back in Go (dumpDOM in dump.go) while nothing a
  // script can change about dump has changed: how arrays push and join,
  // how strings find and replace (and the RegExp machinery replace uses),
  // Object.prototype without enumerable names.
  // The prototypes literals and primitives use, whatever a script later
  // makes of the globals Array, String, RegExp and Symbol.
  var AP = Array.prototype, SP = String.prototype, RP = RegExp.prototype, symReplace = Symbol.replace;
  var rawIndexOf = SP.indexOf, rawReplace = SP.replace;
  var rawExec = RP.exec, rawSymReplace = RP[symReplace], descOf = Object.getOwnPropertyDescriptor;
  var regexpGetters = ["flags", "global", "unicode", "unicodeSets", "sticky", "hasIndices", "ignoreCase", "multiline", "dotAll", "source"];
  var rawGetters = regexpGetters.map(function (k) { var d = descOf(RP, k); return d && d.get; });
  function pristine() {
    if (AP.push !== rawPush || AP.join !== rawJoin || SP.indexOf !== rawIndexOf ||
      SP.replace !== rawReplace || RP.exec !== rawExec || RP[symReplace] !== rawSymReplace) return false;
    for (var i = 0; i < regexpGetters.length; i++) { var d = descOf(RP, regexpGetters[i]); if ((d && d.get) !== rawGetters[i]) return false; }
    return true;
  }
  g.__domHTML = function () {
    var out = []; out.size = 0; out.plain = true;
    for (var k in OP) { out.plain = false; break; }
    if (out.plain && pristine() && dumpDOM(document, voidTags, OP)) return null;
    dump(document, out, false, 0);
    var join = out.join;
    return join === rawJoin && out.push === rawPush && !out.odd ? out : join.call(out, "");
  };
  g.__canvasText = function () { return canvasText.join("\n"); };

  // ------------------------------------------------------------ document
  var document = new Node("#document");
  document.nodeType = 9; document.nodeName = "#document";
  g.document = document;
  var roots = pageNodes(-1, null);
  var htmlEl = null;
  for (var i = 0; i < roots.length; i++) if (roots[i].localName === "html") htmlEl = roots[i];
  function child(p, tag) { for (var i = 0; i < p.childNodes.length; i++) if (p.childNodes[i].localName === tag) return p.childNodes[i]; var n = new Node(tag); p.appendChild(n); return n; }
  var head, body;
  if (htmlEl) {
    for (var i = 0; i < roots.length; i++) { roots[i].parentNode = document; document.childNodes.push(roots[i]); }
    head = child(htmlEl, "head"); body = child(htmlEl, "body");
  } else {
    // No <html>: build the implied structure as browsers do, keeping a
    // written <head>/<body> (and its attributes, such as onload).
    htmlEl = new Node("html"); htmlEl.parentNode = document; document.childNodes.push(htmlEl);
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].localName === "head" && !head) { head = roots[i]; } else if (roots[i].localName === "body" && !body) { body = roots[i]; }
    }
    head = head || new Node("head"); body = body || new Node("body");
    head.parentNode = htmlEl; body.parentNode = htmlEl; htmlEl.childNodes.push(head, body);
    for (var i = 0; i < roots.length; i++) {
      var r = roots[i];
      if (r === head || r === body) continue;
      var into = (r.localName === "meta" || r.localName === "title" || r.localName === "link" || r.localName === "style") && !body.childNodes.length ? head : body;
      r.parentNode = into; into.childNodes.push(r);
    }
  }
  // Elements with handler attributes are made now, as the import made
  // every element: their handlers exist, and onbeforeunload is reported.
  var withHandlers = pageOn();
  for (var i = 0; i < withHandlers.length; i++) reach(null, pagePath(-1, withHandlers[i]));
  Object.defineProperty(document, "documentElement", { get: function () { return htmlEl; } });
  Object.defineProperty(document, "head", { get: function () { return head; } });
  Object.defineProperty(document, "body", { get: function () { return body; } });
  document.getElementById = function (id) { var n = idLookup(str(id)); return n && attached(n) ? n : (n || null); };
  document.getElementsByName = function (nm) { return select(document, '[name="' + str(nm) + '"]'); };
  document.createElement = function (t) { return new Node(str(t).toLowerCase()); };
  document.createElementNS = function (ns, t) { return new Node(str(t).toLowerCase()); };
  document.createTextNode = function (t) { return new Text(t); };
  document.createComment = function () { return new Text(""); };
  document.createDocumentFragment = function () { var f = new Node("#fragment"); f.nodeType = 11; return f; };
  document.createEvent = function () { return new Event(""); };
  document.createTreeWalker = function (root, what, filter) { return new Walker(root, what, filter); };
  document.createNodeIterator = document.createTreeWalker;
  document.hasFocus = function () { return true; };
  document.fullscreenEnabled = document.webkitFullscreenEnabled = true;
  // Netscape-era event capture calls some kits still make: no-ops.
  document.captureEvents = document.releaseEvents = g.captureEvents = g.releaseEvents = function () {};
  document.execCommand = function () { return true; };
  document.readyState = "loading";
  document.cookie = ""; document.referrer = ""; document.domain = ""; document.characterSet = "UTF-8";
  document.visibilityState = "visible"; document.hidden = false; document.fullscreenElement = null;
  document.exitFullscreen = function () { return Promise.resolve(); };
  document.webkitExitFullscreen = document.exitFullscreen; document.mozCancelFullScreen = document.exitFullscreen;
  document.exitPointerLock = function () {};
  Object.defineProperty(document, "title", {
    get: function () { var t = select(document, "title", true)[0]; return t ? textOf(t) : ""; },
    set: function (v) { var t = select(document, "title", true)[0]; if (!t) { t = new Node("title"); head.appendChild(t); } t.textContent = v; }
  });
  var written = "";
  document.write = function () {
    var html = Array.prototype.map.call(arguments, str).join("");
    if (written.length < 4194304) written += html;
    R("decoded", html, "document.write");
    R("document-write", html.slice(0, 200), "document.write");
    insertParsed(body, parseHTML(html));
  };
  document.writeln = function () { document.write(Array.prototype.map.call(arguments, str).join("") + "\n"); };
  document.open = function () { return document; }; document.close = function () {};
  Object.defineProperty(document, "location", { get: function () { return location; }, set: function (v) { navigate(v, "location"); } });
  Object.defineProperty(document, "URL", { get: function () { return location.href; } });
  // The document's collections, read when asked for.
  [["images", "img"], ["forms", "form"], ["scripts", "script"], ["links", "a[href], area[href]"], ["embeds", "embed"]].forEach(function (c) {
    Object.defineProperty(document, c[0], { get: function () { return select(document, c[1]); }, configurable: true });
  });
  Object.defineProperty(document, "activeElement", { get: function () { return body; }, configurable: true });
  // document.currentScript: the script element running now (null in
  // timers and handlers). Kits read their number from its data-* or its
  // src's query (x.js?n=1800…). The page's script elements are listed once,
  // when first asked for, as parsed: a script that removes itself later
  // does not move the others.
  var currentIndex = 0, currentSrc = "", parsedScripts = null;
  Object.defineProperty(document, "currentScript", {
    get: function () {
      if (currentIndex <= 0) return null;
      if (!parsedScripts) parsedScripts = select(document, "script");
      var s = parsedScripts[currentIndex - 1];
      if (!s || str(s.getAttribute("src") || "").trim() !== currentSrc) return null; // not the element the engine meant
      return s;
    },
    configurable: true
  });
  g.__currentScript = function (index, src) { currentIndex = index; currentSrc = src; };
  document.defaultView = g;

  // ------------------------------------------------------------ location
  var url = new URL(str(pageURLValue));
  var location = {
    get href() { return url.href; }, set href(v) { navigate(v, "location.href"); },
    get search() { return url.search; }, set search(v) {},
    get hash() { return url.hash; }, set hash(v) { url.hash = str(v); },
    get host() { return url.host; }, get hostname() { return url.hostname; }, get pathname() { return url.pathname; },
    get protocol() { return url.protocol; }, get origin() { return url.origin; }, get port() { return url.port; },
    assign: function (v) { navigate(v, "location.assign"); },
    replace: function (v) { navigate(v, "location.replace"); },
    reload: function () {},
    toString: function () { return url.href; }
  };
  Object.defineProperty(g, "location", { get: function () { return location; }, set: function (v) { navigate(v, "location"); }, configurable: false });
  // The Navigation API navigates as location.assign does.
  var done = function () { var p = Promise.resolve({}); return { committed: p, finished: p }; };
  g.navigation = {
    navigate: function (v) { navigate(v, "navigation.navigate"); return done(); },
    reload: done, back: done, forward: done, traverseTo: done,
    get currentEntry() { return { url: url.href, key: "0", index: 0 }; },
    entries: function () { return [this.currentEntry]; },
    addEventListener: function () {}, removeEventListener: function () {}, canGoBack: false, canGoForward: false
  };

  // Template kits read their number with a regular expression built for
  // the parameter's name ("[\\?&]" + name + "=([^&#]*)") and run over
  // location.href. When a script builds one for a phone number's parameter
  // the page URL lacks, the sentinel (Options.Sentinel) is put in the URL
  // first, as the engine does for the names it reads in the code: an
  // obfuscated kit hides the name from that reading, not from the run.
  var RawRegExp = g.RegExp, rawExec = RawRegExp.prototype.exec;
  function hasParam(name) {
    var q = "&" + str(url.search).replace(/^\?/, "") + "&";
    return q.indexOf("&" + name + "=") >= 0 || q.indexOf("&" + name + "&") >= 0;
  }
  function seedParams(pattern) {
    var re = /([A-Za-z_][A-Za-z0-9_]*)(?:\(\?:|\()?=/g, m, n = 0;
    while ((m = callFn(rawExec, re, [pattern])) !== null && n++ < 8) {
      var name = m[1];
      if (hasParam(name)) continue;
      var v = sentinelFor(name);
      if (v === null || v === undefined) continue;
      var h = str(url.href), i = h.indexOf("#"), hash = i >= 0 ? h.slice(i) : "";
      if (i >= 0) h = h.slice(0, i);
      url = new URL(h + (h.indexOf("?") < 0 ? "?" : /[?&]$/.test(h) ? "" : "&") + name + "=" + v + hash);
    }
  }
  var PageRegExp = function RegExp(pattern, flags) {
    if (typeof pattern === "string" && pattern.indexOf("=") > 0 && (pattern.indexOf("?") >= 0 || pattern.indexOf("&") >= 0)) {
      try { seedParams(pattern); } catch (e) {}
    }
    return arguments.length > 1 ? new RawRegExp(pattern, flags) : new RawRegExp(pattern);
  };
  PageRegExp.prototype = RawRegExp.prototype;
  Object.defineProperty(RawRegExp.prototype, "constructor", { value: PageRegExp, writable: true, configurable: true, enumerable: false });
  g.RegExp = PageRegExp;

  // ------------------------------------------------------------ window
  var W = g;
  Object.setPrototypeOf(W, EventTarget.prototype);
  W.EventTarget = EventTarget;
  W.window = W; W.self = W; W.top = W; W.parent = W; W.globalThis = W; W.frames = W; W.opener = null;
  // The device the user agent names: a phone, which, and a Mac.
  var iPhoneUA = /iPhone/.test(uaValue), androidUA = /Android/.test(uaValue), phoneUA = iPhoneUA || androidUA, macUA = /Mac/.test(uaValue);
  // The browser the user agent names, as gateways test it: Chrome's vendor
  // and window.chrome, Safari's vendor and neither, Firefox no vendor. An
  // iPhone that said "Google Inc." went where the kit sends Chrome.
  var chromiumUA = /Chrome\//.test(uaValue), safariUA = !chromiumUA && /AppleWebKit/.test(uaValue) && /Safari\//.test(uaValue) && !/CriOS|FxiOS/.test(uaValue);
  var vendorValue = chromiumUA || /CriOS/.test(uaValue) ? "Google Inc." : safariUA || /FxiOS/.test(uaValue) ? "Apple Computer, Inc." : "";
  // A maximised window on a 1366x768 screen with a taskbar: the window's
  // content is shorter than the window (headless browsers give the same
  // height twice, and kits check).
  W.innerWidth = 1366; W.innerHeight = 641; W.outerWidth = 1366; W.outerHeight = 728; W.devicePixelRatio = 1;
  W.screen = { width: 1366, height: 768, availWidth: 1366, availHeight: 728, colorDepth: 24, pixelDepth: 24, orientation: { type: "landscape-primary", lock: function () { return Promise.resolve(); } } };
  if (phoneUA) {
    // A phone: a narrow touch screen.
    W.innerWidth = 412; W.innerHeight = 839; W.outerWidth = 412; W.outerHeight = 915; W.devicePixelRatio = 2.625;
    W.screen.width = W.screen.availWidth = 412; W.screen.height = W.screen.availHeight = 915;
    W.screen.orientation.type = "portrait-primary";
    W.ontouchstart = null;
  }
  W.scrollX = 0; W.scrollY = 0; W.pageXOffset = 0; W.pageYOffset = 0;
  W.scrollTo = function () {}; W.scrollBy = function () {}; W.scroll = function () {}; W.focus = function () {}; W.blur = function () {};
  W.moveTo = function () {}; W.resizeTo = function () {}; W.close = function () {}; W.stop = function () {};
  W.getComputedStyle = function (el) { return el && el.style ? el.style : new Style(); };
  W.matchMedia = function () { return { matches: false, addListener: function () {}, addEventListener: function () {} }; };
  W.alert = function (m) { R("dialog", str(m), "alert"); };
  W.confirm = function (m) { R("dialog", str(m), "confirm"); return answersOK; };
  W.prompt = function (m) { R("dialog", str(m), "prompt"); return null; };
  W.print = function () { R("print", "", "print"); };
  W.open = function (u) {
    u = str(u);
    if (callRe.test(u)) R("call-navigation", u, "window.open"); else R("popup", u, "window.open");
    var w = { closed: false, close: function () {}, focus: function () {}, blur: function () {}, location: { href: u }, document: { write: function () {}, close: function () {} } };
    return w;
  };
  Object.defineProperty(W, "onbeforeunload", {
    get: function () { return this._obu || null; },
    set: function (f) { this._obu = f; if (f) R("beforeunload", "", "onbeforeunload"); }
  });
  var hist = {
    length: 1, state: null,
    pushState: function (s, t, u) { this.length++; R("history", str(u), "pushState"); },
    replaceState: function (s, t, u) { R("history", str(u), "replaceState"); },
    back: function () {}, forward: function () {}, go: function () {}
  };
  W.history = hist;
  // The navigator's properties are its prototype's, as in a browser
  // (bot checks look for own properties on navigator, and read
  // Navigator.prototype's descriptors).
  function Navigator() {}
  Navigator.prototype = {
    userAgent: str(uaValue), appVersion: str(uaValue).replace(/^Mozilla\//, ""), appName: "Netscape", appCodeName: "Mozilla",
    platform: iPhoneUA ? "iPhone" : androidUA ? "Linux armv8l" : macUA ? "MacIntel" : "Win32",
    vendor: vendorValue, language: langValue, languages: visitorLanguages(), onLine: true, cookieEnabled: true,
    maxTouchPoints: phoneUA ? 5 : 0, hardwareConcurrency: 4, deviceMemory: 8, webdriver: false,
    keyboard: { lock: function () { R("keyboard-lock", "", "navigator.keyboard.lock"); return Promise.resolve(); }, unlock: function () {} },
    clipboard: { writeText: function () { return Promise.resolve(); }, readText: function () { return Promise.resolve(""); } },
    vibrate: function () { return true; }, sendBeacon: function () { return true; },
    geolocation: { getCurrentPosition: function () {}, watchPosition: function () {} },
    mediaDevices: { getUserMedia: function () { return new Promise(function () {}); } },
    serviceWorker: { register: function () { return new Promise(function () {}); } },
    permissions: { query: function () { return Promise.resolve({ state: "prompt" }); } },
    plugins: pdfPlugins(), mimeTypes: pdfMimeTypes(),
    userAgentData: !chromiumUA ? undefined : { mobile: androidUA, platform: androidUA ? "Android" : macUA ? "macOS" : "Windows", brands: [] }
  };
  // What tells the visitor's device is read through getters, so the run
  // can say whether the page looked (ReadUA): a page that did may act
  // otherwise on another device, and is run again as a phone.
  var uaRead = false;
  ["userAgent", "appVersion", "platform", "vendor", "maxTouchPoints", "userAgentData"].forEach(function (k) {
    var v = Navigator.prototype[k];
    Object.defineProperty(Navigator.prototype, k, { get: function () { uaRead = true; return v; }, enumerable: true, configurable: true });
  });
  Object.defineProperty(Navigator.prototype, "constructor", { value: Navigator, writable: true, configurable: true, enumerable: false });
  W.Navigator = Navigator;
  W.navigator = new Navigator();
  g.__uaRead = function () { return uaRead; };
  if (chromiumUA) W.chrome = { runtime: {} };
  W.speechSynthesis = {
    speak: function (u) { R("speech", str(u && u.text), "speechSynthesis.speak"); },
    cancel: function () {}, pause: function () {}, resume: function () {}, getVoices: function () { return []; }, speaking: false
  };
  W.SpeechSynthesisUtterance = function (t) { this.text = str(t); this.lang = "en-US"; this.rate = 1; this.pitch = 1; this.volume = 1; };
  W.Audio = function (src) { var a = new Node("audio"); if (src !== undefined) a.setAttribute("src", src); return a; };
  W.Image = function () { return new Node("img"); };
  W.HTMLElement = Node; W.Element = Node; W.HTMLDocument = Node; W.Node = Node;
  W.localStorage = memStorage(); W.sessionStorage = memStorage();
  function memStorage() {
    var m = {};
    return { getItem: function (k) { return Object.prototype.hasOwnProperty.call(m, k) ? m[k] : null; }, setItem: function (k, v) { m[k] = str(v); }, removeItem: function (k) { delete m[k]; }, clear: function () { m = {}; }, key: function (i) { return Object.keys(m)[i] || null; }, get length() { return Object.keys(m).length; } };
  }
  // No network: every request stays pending or fails.
  W.fetch = function () { return new Promise(function () {}); };
  W.XMLHttpRequest = function () { this.readyState = 0; this.status = 0; this.responseText = ""; };
  W.XMLHttpRequest.prototype = { open: function () {}, send: function () {}, setRequestHeader: function () {}, abort: function () {}, addEventListener: function () {}, getResponseHeader: function () { return null; }, getAllResponseHeaders: function () { return ""; } };
  W.WebSocket = function () { this.readyState = 3; this.send = function () {}; this.close = function () {}; };
  W.EventSource = function () { this.close = function () {}; };
  // Workers are reported, and the 65th throws, as the sandbox's browser
  // does (instrument.js): a kit that floods the machine with workers to
  // freeze it starts them in a loop with no end.
  var workers = 0;
  function startWorker(u, how) {
    if (++workers > maxWorkers) throw new Error("too many workers");
    R("worker", str(u), how);
  }
  var maxWorkers = 64;
  W.Worker = function (u) { startWorker(u, "Worker"); this.postMessage = function () {}; this.terminate = function () {}; };
  W.SharedWorker = function (u) { startWorker(u, "SharedWorker"); this.port = { postMessage: function () {}, start: function () {}, close: function () {}, addEventListener: function () {} }; };

  // ------------------------------------------------------------ what a browser has
  // Kits use these on the way to their payload (the time zone for the
  // scare text, a Blob for a download or a worker flood, an alarm tone,
  // a notification prompt, TextDecoder to decode a layer): missing, they
  // threw and the rest of the script never ran. What a bot check reads
  // (plugins, the window's size, colour depth, fullscreenEnabled) reads
  // as in desktop Chrome.
  function listOf(items) {
    items.item = function (i) { return items[i] || null; };
    items.namedItem = function (n) { for (var i = 0; i < items.length; i++) if (items[i].name === n || items[i].type === n) return items[i]; return null; };
    items.refresh = function () {};
    return items;
  }
  function pdfPlugins() {
    if (phoneUA) return listOf([]);
    return listOf(["PDF Viewer", "Chrome PDF Viewer", "Chromium PDF Viewer", "Microsoft Edge PDF Viewer", "WebKit built-in PDF"].map(function (n) {
      return { name: n, filename: "internal-pdf-viewer", description: "Portable Document Format", length: 2 };
    }));
  }
  function pdfMimeTypes() {
    if (phoneUA) return listOf([]);
    return listOf([{ type: "application/pdf", suffixes: "pdf", description: "Portable Document Format" }, { type: "text/pdf", suffixes: "pdf", description: "Portable Document Format" }]);
  }
  W.Blob = function (parts, opts) {
    var n = 0;
    if (parts && parts.length) for (var i = 0; i < parts.length; i++) n += parts[i] && typeof parts[i].size === "number" ? parts[i].size : str(parts[i]).length;
    this.size = n; this.type = opts && opts.type ? str(opts.type) : "";
  };
  W.Blob.prototype.text = function () { return Promise.resolve(""); };
  W.Blob.prototype.slice = function () { return new W.Blob([], {}); };
  W.File = function (parts, name, opts) { W.Blob.call(this, parts, opts); this.name = str(name); this.lastModified = 0; };
  W.File.prototype = Object.create(W.Blob.prototype);
  W.FileReader = function () { this.result = null; this.readyState = 0; };
  W.FileReader.prototype.readAsText = W.FileReader.prototype.readAsDataURL = W.FileReader.prototype.readAsArrayBuffer = function () {};
  W.FileReader.prototype.abort = function () {};
  // Uint8Array.from(atob(s), f), how scripts turn a base64 layer into
  // bytes: goja's typed arrays take no string here.
  var TypedArray = Object.getPrototypeOf(Uint8Array), rawTypedFrom = TypedArray.from;
  TypedArray.from = function (src, f, that) { return rawTypedFrom.call(this, typeof src === "string" ? Array.from(src) : src, f, that); };
  W.TextEncoder = function () { this.encoding = "utf-8"; };
  W.TextEncoder.prototype.encode = function (s) {
    s = str(s);
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.codePointAt(i);
      if (c > 0xffff) i++;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | c >> 6, 0x80 | c & 63);
      else if (c < 0x10000) out.push(0xe0 | c >> 12, 0x80 | c >> 6 & 63, 0x80 | c & 63);
      else out.push(0xf0 | c >> 18, 0x80 | c >> 12 & 63, 0x80 | c >> 6 & 63, 0x80 | c & 63);
    }
    return new Uint8Array(out);
  };
  W.TextDecoder = function (label) { this.encoding = str(label || "utf-8").toLowerCase(); };
  // decode reads UTF-8 (a script decoding a layer: atob, then TextDecoder).
  W.TextDecoder.prototype.decode = function (b) {
    if (!b) return "";
    var bytes = b.buffer && !(b instanceof ArrayBuffer) ? new Uint8Array(b.buffer, b.byteOffset || 0, b.byteLength) : new Uint8Array(b);
    var cps = [], i = 0, n = bytes.length;
    while (i < n) {
      var c = bytes[i++], need = c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
      if (c >= 0x80 && need === 0) { cps.push(0xfffd); continue; }
      var cp = need === 3 ? c & 7 : need === 2 ? c & 15 : need === 1 ? c & 31 : c;
      for (var k = 0; k < need && i < n && (bytes[i] & 0xc0) === 0x80; k++) cp = cp << 6 | bytes[i++] & 63;
      cps.push(k === need ? cp : 0xfffd);
    }
    var r = "";
    for (var j = 0; j < cps.length; j += 4096) r += String.fromCodePoint.apply(String, cps.slice(j, j + 4096));
    if (r.length >= 8) R("decoded", r, "TextDecoder");
    return r;
  };
  function DateTimeFormat(locale, opts) {
    if (!(this instanceof DateTimeFormat)) return new DateTimeFormat(locale, opts);
    this._opts = opts || {};
  }
  DateTimeFormat.prototype.resolvedOptions = function () { return { locale: langValue, calendar: "gregory", numberingSystem: "latn", timeZone: timeZone, hour12: baseLanguage() === "en" }; };
  DateTimeFormat.prototype.format = function (d) { return (d === undefined ? new PageDate() : new RealDate(+d)).toLocaleString(); };
  DateTimeFormat.prototype.formatToParts = function (d) { return [{ type: "literal", value: this.format(d) }]; };
  function NumberFormat(locale, opts) {
    if (!(this instanceof NumberFormat)) return new NumberFormat(locale, opts);
    this._opts = opts || {};
  }
  NumberFormat.prototype.format = function (n) { return formatNumber(n, this._opts); };
  // formatNumber writes a number as en-US does: grouped thousands, up to
  // three decimals, currency and percent styles. goja's toLocaleString
  // took a locale for a radix and threw (a kit's "$299.99" or "1,234
  // threats").
  function formatNumber(n, o) {
    n = Number(n);
    o = o && typeof o === "object" ? o : {};
    if (!isFinite(n)) return isNaN(n) ? "NaN" : n < 0 ? "-∞" : "∞";
    var style = str(o.style), min = o.minimumFractionDigits, max = o.maximumFractionDigits;
    if (style === "currency") { if (min === undefined) min = 2; if (max === undefined) max = Math.max(2, min); }
    if (style === "percent") { n *= 100; if (max === undefined) max = Math.max(0, min || 0); }
    min = Math.min(Math.max(Number(min) || 0, 0), 20);
    max = Math.min(Math.max(max === undefined ? Math.max(3, min) : Number(max) || 0, min), 20);
    var parts = Math.abs(n).toFixed(max).split("."), frac = parts[1] || "";
    while (frac.length > min && frac.charAt(frac.length - 1) === "0") frac = frac.slice(0, -1);
    var out = (o.useGrouping === false ? parts[0] : parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",")) + (frac ? "." + frac : "");
    if (style === "currency") out = ({ EUR: "€", GBP: "£", JPY: "¥", INR: "₹" }[str(o.currency).toUpperCase()] || "$") + out;
    if (style === "percent") out += "%";
    return (n < 0 && /[1-9]/.test(out) ? "-" : "") + out;
  }
  Number.prototype.toLocaleString = function (locale, o) { return formatNumber(this, o); };
  if (typeof W.WeakRef !== "function") W.WeakRef = function (o) { this.deref = function () { return o; }; };
  W.structuredClone = function (v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); };
  NumberFormat.prototype.resolvedOptions = function () { return { locale: "en-US", numberingSystem: "latn" }; };
  function Collator() { if (!(this instanceof Collator)) return new Collator(); }
  Collator.prototype.compare = function (a, b) { a = str(a); b = str(b); return a < b ? -1 : a > b ? 1 : 0; };
  W.Intl = { DateTimeFormat: DateTimeFormat, NumberFormat: NumberFormat, Collator: Collator, getCanonicalLocales: function () { return ["en-US"]; } };
  function AudioParam() { this.value = 0; }
  ["setValueAtTime", "linearRampToValueAtTime", "exponentialRampToValueAtTime", "setTargetAtTime", "cancelScheduledValues"].forEach(function (k) { AudioParam.prototype[k] = function (v) { return this; }; });
  function AudioNode() { this.frequency = new AudioParam(); this.gain = new AudioParam(); this.detune = new AudioParam(); this.type = "sine"; this.buffer = null; this.loop = false; }
  AudioNode.prototype.connect = function (n) { return n; };
  AudioNode.prototype.disconnect = AudioNode.prototype.start = AudioNode.prototype.stop = function () {};
  function AudioContext() { this.state = "suspended"; this.currentTime = 0; this.sampleRate = 44100; this.destination = new AudioNode(); }
  ["createOscillator", "createGain", "createBufferSource", "createAnalyser", "createBiquadFilter", "createDynamicsCompressor", "createMediaElementSource", "createStereoPanner", "createDelay"].forEach(function (k) {
    AudioContext.prototype[k] = function () { return new AudioNode(); };
  });
  AudioContext.prototype.createBuffer = function () { return { getChannelData: function () { return new Float32Array(0); }, duration: 0 }; };
  AudioContext.prototype.decodeAudioData = function () { return new Promise(function () {}); };
  AudioContext.prototype.resume = AudioContext.prototype.suspend = AudioContext.prototype.close = function () { return Promise.resolve(); };
  W.AudioContext = W.webkitAudioContext = AudioContext;
  W.Notification = function (title) { this.title = str(title); this.close = function () {}; };
  W.Notification.permission = "default";
  W.Notification.requestPermission = function (cb) { if (typeof cb === "function") cb("default"); return Promise.resolve("default"); };
  W.AbortController = function () { this.signal = { aborted: false, addEventListener: function () {}, removeEventListener: function () {} }; };
  W.AbortController.prototype.abort = function () { this.signal.aborted = true; };
  W.FormData = function () { this._d = []; };
  W.FormData.prototype.append = W.FormData.prototype.set = function (k, v) { this._d.push([str(k), str(v)]); };
  W.FormData.prototype.get = function (k) { for (var i = 0; i < this._d.length; i++) if (this._d[i][0] === str(k)) return this._d[i][1]; return null; };
  // DOMParser parses inertly, as innerHTML does, into a document of its own.
  W.DOMParser = function () {};
  W.DOMParser.prototype.parseFromString = function (html) {
    var root = new Node("html"), b = new Node("body"), h = new Node("head");
    root.appendChild(h); root.appendChild(b);
    insertParsed(b, inertHTML(str(html)));
    var d = new Node("#document");
    d.nodeType = 9; d.documentElement = root; d.body = b; d.head = h;
    d.appendChild(root);
    d.getElementById = function (id) { var found = null; walk(root, function (x) { if (!found && x.nodeType === 1 && x.getAttribute("id") === str(id)) found = x; }); return found; };
    return d;
  };
  W.getSelection = function () { return { toString: function () { return ""; }, removeAllRanges: function () {}, addRange: function () {}, rangeCount: 0 }; };
  W.Option = function (text, value) { var o = new Node("option"); if (text !== undefined) o.textContent = str(text); if (value !== undefined) o.setAttribute("value", value); return o; };
  W.MutationObserver = MutationObserver;
  // Observers report what they watch soon after observe(), as browsers do
  // (an element on screen intersects; every element has a size): a kit
  // that dials once its banner is seen ran nothing.
  function rectOf(el) { try { return el.getBoundingClientRect(); } catch (e) { return { x: 0, y: 0, top: 0, left: 0, right: 1366, bottom: 768, width: 1366, height: 768 }; } }
  function observerOf(entryFor) {
    return function (cb) {
      var self = this, live = true;
      this.observe = function (el) {
        if (typeof cb !== "function" || !el) return;
        addTimer(function () { if (live) cb([entryFor(el)], self); }, 0, [], false);
      };
      this.unobserve = function () {}; this.disconnect = function () { live = false; }; this.takeRecords = function () { return []; };
    };
  }
  W.IntersectionObserver = observerOf(function (el) {
    var r = rectOf(el);
    return { target: el, isIntersecting: true, intersectionRatio: 1, time: clock, boundingClientRect: r, intersectionRect: r, rootBounds: null };
  });
  W.ResizeObserver = observerOf(function (el) {
    var r = rectOf(el);
    return { target: el, contentRect: r, borderBoxSize: [{ inlineSize: r.width, blockSize: r.height }], contentBoxSize: [{ inlineSize: r.width, blockSize: r.height }] };
  });
  W.PerformanceObserver = function () { this.observe = function () {}; this.disconnect = function () {}; };
  W.NodeFilter = NodeFilter;
  W.requestIdleCallback = function (f) { return W.setTimeout(f, 50); };
  // postMessage and MessageChannel deliver on the next turn: polyfills of
  // setImmediate and schedulers run their callbacks through them.
  function deliver(target, data) {
    addTimer(function () { var ev = new Event("message"); ev.data = data; ev.origin = location.origin; ev.source = W; ev.target = target; invoke(target, ev); }, 0, [], false);
  }
  W.postMessage = function (data) { deliver(W, data); };
  W.MessageChannel = function () {
    var port1 = new EventTarget(), port2 = new EventTarget();
    [[port1, port2], [port2, port1]].forEach(function (p) {
      p[0].postMessage = function (data) { deliver(p[1], data); };
      p[0].start = p[0].close = function () {};
      p[0].onmessage = null;
    });
    this.port1 = port1; this.port2 = port2;
  };
  W.console = { log: function () {}, warn: function () {}, error: function () {}, info: function () {}, debug: function () {}, trace: function () {}, dir: function () {}, table: function () {}, group: function () {}, groupEnd: function () {} };
  W.performance = { now: function () { return pageNow(); }, timing: {}, mark: function () {}, measure: function () {} };
  W.crypto = { getRandomValues: function (a) { for (var i = 0; i < a.length; i++) a[i] = (i * 7919) & 255; return a; }, randomUUID: function () { return "00000000-0000-4000-8000-000000000000"; } };
  W.atob = function (s) { var r = nativeAtob(str(s)); if (r === null) throw new Error("InvalidCharacterError"); if (r.length >= 8) R("decoded", r, "atob"); return r; };
  W.btoa = function (s) { return nativeBtoa(str(s)); };
  var rawUnescape = g.unescape, rawDecode = g.decodeURIComponent;
  W.unescape = function (s) { var r = rawUnescape(str(s)); if (r.length >= 8) R("decoded", r, "unescape"); return r; };
  W.decodeURIComponent = function (s) { s = str(s); var r = rawDecode(s); if (r !== s) { if (r.length >= 8) R("decoded", r, "decodeURIComponent"); else progress(); } return r; };
  var rawFCC = String.fromCharCode;
  String.fromCharCode = function () { var r = rawFCC.apply(String, arguments); if (r.length >= 8) R("decoded", r, "fromCharCode"); return r; };
  W.eval = function (code) { if (typeof code === "string") R("decoded", code, "eval"); return rawEval(code); };
  var F = function () {
    var body = arguments.length ? str(arguments[arguments.length - 1]) : "";
    R("decoded", body, "Function");
    return RawFunction.apply(null, arguments);
  };
  F.prototype = RawFunction.prototype;
  W.Function = F;

  // ------------------------------------------------------------ timers
  var clock = 0, seq = 0, timers = [];
  function addTimer(fn, ms, args, interval) {
    if (typeof fn === "string") { var code = fn; R("decoded", code, "setTimeout-string"); fn = function () { rawEval(code); }; }
    if (typeof fn !== "function") return 0;
    ms = Math.max(0, Number(ms) || 0);
    var id = ++seq;
    // Intervals repeat at least every 100 ms of virtual time: animations at
    // 10 ms would spend the budget on nothing; floods show within a few runs.
    timers[timers.length] = ({ id: id, at: clock + (interval ? Math.max(ms, 100) : ms), ms: interval ? Math.max(ms, 100) : Math.max(ms, 4), fn: fn, args: args, interval: interval });
    return id;
  }
  W.setTimeout = function (fn, ms) { return addTimer(fn, ms, callFn(rawSlice, arguments, [2]), false); };
  W.setInterval = function (fn, ms) { return addTimer(fn, ms, callFn(rawSlice, arguments, [2]), true); };
  W.setImmediate = function (fn) { return addTimer(fn, 0, [], false); };
  W.requestAnimationFrame = function (fn) { return addTimer(function () { fn(clock); }, 16, [], false); };
  W.clearTimeout = W.clearInterval = W.cancelAnimationFrame = W.clearImmediate = function (id) {
    var kept = [];
    for (var i = 0; i < timers.length; i++) if (timers[i].id !== id) kept[kept.length] = timers[i];
    timers = kept;
  };
  W.queueMicrotask = function (fn) { addTimer(fn, 0, [], false); };

  // Runs timers in virtual time up to horizon ms, at most max firings.
  // When the firings run out before the horizon (intervals, or a timeout
  // that sets itself again), each callback due by the horizon that has
  // not run yet still runs once, in time order, up to max more: a kit
  // cannot keep its late auto-dial from running by ticking a few timers
  // first.
  var ran = typeof Set === "function" ? new Set() : null;
  function nextTimer(skipRan) {
    var best = -1;
    for (var i = 0; i < timers.length; i++) {
      if (skipRan && ran && callFn(rawSetHas, ran, [timers[i].fn])) continue;
      if (best < 0 || timers[i].at < timers[best].at || (timers[i].at === timers[best].at && timers[i].id < timers[best].id)) best = i;
    }
    return best;
  }
  function fireTimer(best) {
    var t = timers[best];
    clock = Math.max(clock, t.at);
    if (t.interval) t.at += t.ms; else callFn(rawSplice, timers, [best, 1]);
    if (ran) callFn(rawSetAdd, ran, [t.fn]);
    try { callFn(t.fn, W, t.args); } catch (e) { nativeError(e); }
  }
  // __fireTimer fires one timer due by horizon (the emulator drives the
  // loop, so that a callback that stalls is cut off alone): 1 when it
  // fired one, 0 when none is left, -1 when the next is past the
  // horizon. late is the second pass.
  g.__fireTimer = function (horizon, late) {
    if (!timers.length) return 0;
    var best = nextTimer(!!late);
    if (best < 0) return 0;
    if (timers[best].at > horizon) return late ? 0 : -1;
    fireTimer(best);
    return 1;
  };
  g.__clock = function () { return clock; };

  // ------------------------------------------------------------ time
  // The page's clock is the emulator's: Date and performance.now follow
  // the virtual time the timers run on, so a countdown ends when its
  // timers say so and a page that compares the time across a timer sees
  // it pass (with the real clock, a few milliseconds had passed after a
  // "5 s" timeout). Each reading moves the time on 1 ms, so a loop that
  // waits for the time to pass ends (it spun until the budget cut the
  // script off, payload and all). Past busyReadings readings with no timer
  // between them the page is busy-waiting, and each reading moves the time
  // 1 ms more than the one before: a wait of 10 s ends after about 1,100
  // turns, an hour's after 3,700 (at 1 ms a turn, a 10 s wait took 25 ms
  // of a 35 ms budget, and a minute's wait never ended).
  var RealDate = Date, epoch = RealDate.now(), drift = 0, readings = 0, readAt = 0, busyReadings = 1000;
  function pageNow() {
    if (clock !== readAt) { readAt = clock; readings = 0; }
    readings += 1;
    drift += readings > busyReadings ? readings - busyReadings : 1;
    return clock + drift;
  }
  var PageDate = function Date(a, b, c, d, e, f, h) {
    if (!(this instanceof PageDate)) return new RealDate(epoch + pageNow()).toString();
    switch (arguments.length) {
      case 0: return new RealDate(epoch + pageNow());
      case 1: return new RealDate(a);
      case 2: return new RealDate(a, b);
      case 3: return new RealDate(a, b, c);
      case 4: return new RealDate(a, b, c, d);
      case 5: return new RealDate(a, b, c, d, e);
      case 6: return new RealDate(a, b, c, d, e, f);
      default: return new RealDate(a, b, c, d, e, f, h);
    }
  };
  PageDate.prototype = RealDate.prototype;
  if (!RealDate.prototype.toGMTString) RealDate.prototype.toGMTString = RealDate.prototype.toUTCString; // cookie expiry strings
  // getTimezoneOffset agrees with Intl's time zone (standard time): a
  // mismatch is a classic headless check.
  RealDate.prototype.getTimezoneOffset = function getTimezoneOffset() { return zoneOffset; };
  Object.defineProperty(RealDate.prototype, "constructor", { value: PageDate, writable: true, configurable: true, enumerable: false });
  PageDate.now = function () { return epoch + pageNow(); };
  PageDate.UTC = RealDate.UTC;
  PageDate.parse = RealDate.parse;
  W.Date = PageDate;

  // ------------------------------------------------------------ life cycle
  var loadQuery = ["meta", noID, "", "", "iframe", noID, "", "", "frame", noID, "", "", "embed", noID, "", "", "audio", noID, "", "", "video", noID, "", ""];
  // The load event and the simulated click are dispatched one listener at
  // a time, driven from Go: each listener runs in a part of its own that
  // the guard may cut off alone, as a timer's callback is, so a listener
  // that spins does not keep the next one (a kit's dialling one) from
  // running. A plan is a list of phases; a phase makes its event (and does
  // what comes before it), and says where it goes: one target, or the
  // path from the body up, as dispatchEvent goes. The steps come from one
  // generator stepped with the native next taken now: a page that
  // replaced the generators' next (or dispatchEvent, or Function.call)
  // stops nothing.
  var genNext = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())).next;
  function* planSteps(plan) {
    for (var p = 0; p < plan.length; p++) {
      var ph = plan[p]();
      if (!ph) continue;
      var ev = ph.ev, type = str(ev.type).toLowerCase();
      if (ph.calls) for (var c = 0; c < ph.calls.length; c++) yield [ph.calls[c][0], ph.calls[c][1], ev, false];
      for (var i = 0; i < ph.targets.length; i++) {
        var t = ph.targets[i];
        var l = t._listeners && t._listeners[type];
        if (l) { l = callFn(rawSlice, l, []); for (var j = 0; j < l.length; j++) yield [t, l[j], ev, false]; }
        var h = t["on" + type];
        if (typeof h === "function") yield [t, h, ev, true];
        if (ph.bubbling && bubbledOut(ev)) break;
      }
      if (ph.after) ph.after(ev);
    }
  }
  // stepper returns a function that runs the plan to its next listener
  // and returns the step, or null when the plan is done.
  function stepper(plan) {
    var it = planSteps(plan);
    return function () { var r = callFn(genNext, it, []); return r.done ? null : r.value; };
  }
  g.__runStep = function (step) { callListener(step[0], step[1], step[2], step[3]); };
  function at(target, type, init) {
    return function () { var ev = new Event(type, init); ev.target = target; return { ev: ev, targets: [target] }; };
  }
  g.__loadSteps = function () {
    return stepper([
      function () {
        walkFind(document, loadQuery, function (n) {
          if (n.nodeType !== 1) return;
          if (n.localName === "meta") metaRefresh(n);
          if ((n.localName === "iframe" || n.localName === "frame" || n.localName === "embed") && n.getAttribute("src")) navigate(n.getAttribute("src"), "iframe");
          if ((n.localName === "audio" || n.localName === "video") && n.hasAttribute("autoplay") && !(n.localName === "video" && n.hasAttribute("muted"))) R("audio", mediaSrc(n), "autoplay");
        });
        document.readyState = "interactive";
        return at(document, "readystatechange")();
      },
      function () { var ev = new Event("DOMContentLoaded", { bubbles: true }); ev.target = document; return { ev: ev, targets: [document, W] }; },
      function () { document.readyState = "complete"; return at(document, "readystatechange")(); },
      at(W, "load"),
      function () {
        var h = body.onload;
        if (typeof h !== "function" || h === W.onload) return null;
        var ev = new Event("load"); ev.target = body;
        return { ev: ev, targets: [], calls: [[body, h]] }; // body.onload alone: the body's listeners get no load
      },
      at(W, "pageshow")
    ]);
  };
  // The visitor's mouse crosses the page before the click: kits start
  // audio, full screen or their chat on the first mousemove. Moving is no
  // user activation: what its handlers do is the page's own doing.
  // The plans are made after the page's scripts ran, with no method of
  // theirs (a page may have replaced Array.prototype.forEach).
  // mouseAt: the mouse at (200, y) over target; y < 0 is off the page's
  // top edge, where the pointer goes to no element (relatedTarget null).
  function mouseAt(type, bubbles, target, y) {
    return function () {
      var ev = new Event(type, { bubbles: bubbles }); ev.target = target; ev.clientX = 200; ev.clientY = y;
      if (y < 0) { ev.relatedTarget = null; ev.toElement = null; }
      return { ev: ev, targets: bubbles ? pathUp(target) : [target], bubbling: true };
    };
  }
  function pressAt(type) {
    return function () { var ev = new Event(type, { bubbles: true }); ev.target = body; return { ev: ev, targets: pathUp(body), bubbling: true }; };
  }
  // Then it heads for the tab's close button and leaves the page through
  // its top edge: kits wait for that "exit intent" (mouseleave on the
  // document, mouseout with no related target) to lock or dial. Leaving is
  // no user activation either.
  g.__moveSteps = function () {
    var moves = [["pointerover", true], ["pointerenter", false], ["mouseover", true], ["mouseenter", false], ["pointermove", true], ["mousemove", true]], plan = [];
    for (var i = 0; i < moves.length; i++) plan[i] = mouseAt(moves[i][0], moves[i][1], body, 150);
    plan[plan.length] = mouseAt("pointerout", true, body, -1);
    plan[plan.length] = mouseAt("mouseout", true, body, -1);
    var left = [body, document.documentElement, document];
    for (var j = 0; j < left.length; j++) {
      if (!left[j]) continue;
      plan[plan.length] = mouseAt("pointerleave", false, left[j], -1);
      plan[plan.length] = mouseAt("mouseleave", false, left[j], -1);
    }
    return stepper(plan);
  };
  g.__clickSteps = function () {
    var presses = ["pointerdown", "mousedown", "touchstart", "pointerup", "mouseup", "touchend"], plan = [];
    for (var i = 0; i < presses.length; i++) plan[i] = pressAt(presses[i]);
    plan[plan.length] = function () {
      var ev = new Event("click", { bubbles: true }); ev.isTrusted = true; ev.target = body;
      body.__dispatchReason = "click";
      return { ev: ev, targets: pathUp(body), bubbling: true, after: function (ev) { if (!ev.defaultPrevented && body.__activate) body.__activate("click"); } };
    };
    plan[plan.length] = function () {
      var kd = new Event("keydown", { bubbles: true }); kd.key = "Escape"; kd.keyCode = 27; kd.which = 27; kd.target = body;
      return { ev: kd, targets: pathUp(body), bubbling: true };
    };
    // Last, the visitor presses Back. On a page that pushed history
    // entries (after the click, which lets them hold the Back button in a
    // browser), that is a popstate on the window: a kit's back-button trap
    // runs there.
    plan[plan.length] = function () {
      if (!(hist.length > 1)) return null;
      hist.length--;
      var ps = new Event("popstate"); ps.state = hist.state; ps.target = W;
      return { ev: ps, targets: [W], bubbling: true };
    };
    return stepper(plan);
  };
  g.__installJQuery = function () { if (!W.jQuery) installJQuery(); };

  // ------------------------------------------------------------ native look
  // What the prelude puts in the place of the browser's built-ins reads as
  // native code, as a browser's does: a kit that checks alert.toString()
  // for "[native code]" before its payload took the emulator for a hooked
  // browser. The functions are listed now, before any page script runs:
  // the global object's, and those of its objects and of its
  // constructors' prototypes.
  var rawToString = RawFunction.prototype.toString, weakGet = WeakMap.prototype.get, weakSet = WeakMap.prototype.set, weakHas = WeakMap.prototype.has;
  var nativeNames = new WeakMap(), preludeMade = new WeakMap();
  function members(o, depth) {
    if (!o || (typeof o !== "object" && typeof o !== "function") || callFn(weakHas, preludeMade, [o])) return;
    callFn(weakSet, preludeMade, [o, ""]);
    var keys;
    try { keys = Object.getOwnPropertyNames(o); } catch (e) { return; }
    for (var i = 0; i < keys.length; i++) {
      var d;
      try { d = Object.getOwnPropertyDescriptor(o, keys[i]); } catch (e) { continue; }
      if (!d) continue;
      var fs = [d.value, d.get, d.set];
      for (var j = 0; j < 3; j++) {
        if (typeof fs[j] === "function" && !callFn(weakHas, nativeNames, [fs[j]])) callFn(weakSet, nativeNames, [fs[j], (j === 1 ? "get " : j === 2 ? "set " : "") + keys[i]]);
      }
      if (depth > 0 && d.value && keys[i] !== "__proto__") {
        members(d.value, depth - 1);
        if (typeof d.value === "function") members(d.value.prototype, depth - 1);
      }
    }
  }
  var pageToString = function toString() {
    if (globalNames) {
      // First asked: list the built-ins (most pages never ask). The
      // global object's are the names it had before any page script ran:
      // the page's own functions there are not native.
      var names = globalNames;
      globalNames = null;
      var snapshot = {};
      for (var i = 0; i < names.length; i++) snapshot[names[i]] = 1;
      var keys = Object.getOwnPropertyNames(W);
      callFn(weakSet, preludeMade, [W, ""]);
      for (var k = 0; k < keys.length; k++) {
        if (!snapshot[keys[k]]) continue;
        var d;
        try { d = Object.getOwnPropertyDescriptor(W, keys[k]); } catch (e) { continue; }
        if (!d) continue;
        if (typeof d.value === "function" && !callFn(weakHas, nativeNames, [d.value])) callFn(weakSet, nativeNames, [d.value, keys[k]]);
        if (d.value) { members(d.value, 0); if (typeof d.value === "function") members(d.value.prototype, 0); }
      }
      members(P, 0); members(EventTarget.prototype, 0); members(Event.prototype, 0);
      callFn(weakSet, nativeNames, [pageToString, "toString"]);
    }
    var n = typeof this === "function" ? callFn(weakGet, nativeNames, [this]) : undefined;
    if (n !== undefined) return "function " + n + "() { [native code] }";
    return callFn(rawToString, this, []);
  };
  Object.defineProperty(RawFunction.prototype, "toString", { value: pageToString, writable: true, configurable: true, enumerable: false });
  var globalNames = Object.getOwnPropertyNames(W);

  // ------------------------------------------------------------ jQuery shim
  // Kits load jQuery; running the real library costs more than the rest of
  // the page. This shim does what kits call; unknown methods chain.
  function installJQuery() {
    function J(els) { this.length = els.length; for (var i = 0; i < els.length; i++) this[i] = els[i]; this._els = els; }
    function $(sel, ctx) {
      if (typeof sel === "function") { if (document.readyState === "complete") addTimer(sel, 0, [$], false); else document.addEventListener("DOMContentLoaded", function () { sel($); }); return wrap([document]); }
      if (sel instanceof J) return sel;
      if (typeof sel === "string") {
        var s = sel.trim();
        if (s[0] === "<") return wrap(parseHTML(s));
        try { return wrap(select(ctx && ctx.nodeType ? ctx : document, s)); } catch (e) { return wrap([]); }
      }
      if (sel === undefined || sel === null) return wrap([]);
      if (Array.isArray(sel)) return wrap(sel);
      return wrap([sel]);
    }
    function wrap(els) {
      return new Proxy(new J(els), {
        get: function (t, k) {
          if (k in t) return t[k];
          if (typeof k === "symbol") return undefined;
          return function () { return wrap(t._els); };
        }
      });
    }
    var F = J.prototype;
    function each(t, f) { for (var i = 0; i < t._els.length; i++) f(t._els[i], i); return wrap(t._els); }
    F.each = function (f) { return each(this, function (e, i) { f.call(e, i, e); }); };
    F.ready = function (f) { $(f); return this; };
    F.on = F.bind = F.one = F.live = F.delegate = function (ev, a, b) {
      var fn = typeof a === "function" ? a : b;
      if (typeof ev === "object") { for (var k in ev) this.on(k, ev[k]); return this; }
      return each(this, function (e) { str(ev).split(/\s+/).forEach(function (t) { if (t) e.addEventListener(t.split(".")[0], fn); }); });
    };
    F.off = F.unbind = function () { return this; };
    ["click", "dblclick", "mousedown", "mouseup", "mousemove", "mouseover", "mouseenter", "mouseleave", "keydown", "keyup", "keypress", "submit", "contextmenu", "focus", "blur", "change", "scroll", "resize", "load", "touchstart", "touchend", "hover"].forEach(function (t) {
      F[t] = function (fn) {
        if (typeof fn === "function") return this.on(t === "hover" ? "mouseenter" : t, fn);
        return this.trigger(t);
      };
    });
    F.trigger = F.triggerHandler = function (t) {
      t = str(t && t.type ? t.type : t);
      return each(this, function (e) {
        if (t === "click" && e.click) e.click();
        else if (t === "submit" && e.submit) e.submit();
        else if (e.dispatchEvent) e.dispatchEvent(new Event(t, { bubbles: true }));
      });
    };
    F.attr = function (k, v) {
      if (v === undefined && typeof k === "string") return this._els[0] && this._els[0].getAttribute ? this._els[0].getAttribute(k) : undefined;
      return each(this, function (e) { if (e.setAttribute) { if (typeof k === "object") for (var x in k) e.setAttribute(x, k[x]); else e.setAttribute(k, v); } });
    };
    // data reads data-* attributes as jQuery does (numbers, booleans,
    // JSON) and keeps what scripts store per element: plugins keep their
    // state there (a count-up of "threats found" read its start as a
    // jQuery object and stopped).
    var dataStore = typeof WeakMap === "function" ? new WeakMap() : null;
    function dataOf(e, make) {
      if (!dataStore || !e || typeof e !== "object") return null;
      var d = dataStore.get(e);
      if (!d && make) { d = {}; dataStore.set(e, d); }
      return d || null;
    }
    function camel(k) { return str(k).replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); }); }
    function fromAttr(v) {
      if (v === "true") return true;
      if (v === "false") return false;
      if (v === "null") return null;
      if (v !== "" && +v + "" === v) return +v;
      if (/^(?:\{[\w\W]*\}|\[[\w\W]*\])$/.test(v)) { try { return JSON.parse(v); } catch (e) { return v; } }
      return v;
    }
    F.data = function (k, v) {
      var e = this._els[0];
      if (k === undefined) {
        var all = {};
        if (e && e._attrs) for (var a in e._attrs) if (a.indexOf("data-") === 0) all[camel(a.slice(5))] = fromAttr(str(e._attrs[a]));
        var d0 = dataOf(e, false);
        if (d0) for (var x0 in d0) all[x0] = d0[x0];
        return all;
      }
      if (typeof k !== "object" && v === undefined) {
        if (!e) return undefined;
        var d = dataOf(e, false), ck = camel(k);
        if (d && Object.prototype.hasOwnProperty.call(d, ck)) return d[ck];
        var at = e.getAttribute ? e.getAttribute("data-" + str(k).replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); })) : null;
        return at === null || at === undefined ? undefined : fromAttr(str(at));
      }
      return each(this, function (el) {
        var st = dataOf(el, true);
        if (!st) return;
        if (typeof k === "object") { for (var x in k) st[camel(x)] = k[x]; } else st[camel(k)] = v;
      });
    };
    F.removeData = function (k) { return each(this, function (el) { var st = dataOf(el, false); if (st) { if (k === undefined) { for (var x in st) delete st[x]; } else delete st[camel(k)]; } }); };
    F.prop = function (k, v) { if (v === undefined) return this._els[0] ? this._els[0][k] : undefined; return each(this, function (e) { e[k] = v; }); };
    F.removeAttr = function (k) { return each(this, function (e) { e.removeAttribute && e.removeAttribute(k); }); };
    F.html = function (v) { if (v === undefined) return this._els[0] ? this._els[0].innerHTML : ""; return each(this, function (e) { if (e.nodeType === 1) e.innerHTML = v; }); };
    F.text = function (v) { if (v === undefined) return this._els[0] ? this._els[0].textContent : ""; return each(this, function (e) { if (e.nodeType === 1) e.textContent = v; }); };
    F.val = function (v) { if (v === undefined) return this._els[0] ? this._els[0].value : ""; return each(this, function (e) { e.value = v; }); };
    F.append = function (c) { return each(this, function (e) { if (typeof c === "string") { var n = inertHTML(c); R("decoded", c, "innerHTML"); n.forEach(function (x) { e.appendChild(x); }); } else if (c && c._els) c._els.forEach(function (x) { e.appendChild(x); }); else if (c) e.appendChild(c); }); };
    F.prepend = F.append; F.after = F.append; F.before = F.append;
    F.appendTo = function (t) { var els = this._els; $(t).each(function (i, e) { els.forEach(function (x) { e.appendChild(x); }); }); return this; };
    F.find = function (s) { var out = []; this._els.forEach(function (e) { if (e.querySelectorAll) out = out.concat(e.querySelectorAll(s)); }); return wrap(out); };
    F.eq = function (i) { return wrap(this._els[i] ? [this._els[i]] : []); };
    F.first = function () { return this.eq(0); };
    F.last = function () { return this.eq(this._els.length - 1); };
    F.get = function (i) { return i === undefined ? this._els : this._els[i]; };
    F.parent = function () { return wrap(this._els.map(function (e) { return e.parentNode; }).filter(Boolean)); };
    F.children = function () { var out = []; this._els.forEach(function (e) { out = out.concat(e.children || []); }); return wrap(out); };
    F.remove = function () { return each(this, function (e) { e.remove && e.remove(); }); };
    F.is = function () { return false; };
    F.css = function (k, v) {
      if (typeof k === "string" && v === undefined) return "";
      return each(this, function (e) { if (!e.style) return; if (typeof k === "object") { for (var x in k) e.style[x] = k[x]; } else e.style[k] = v; if (/cursor/i.test(str(k)) && /none/i.test(str(v))) R("style", "cursor:none", "css"); });
    };
    F.width = F.height = F.outerWidth = F.outerHeight = function (v) { return v === undefined ? 0 : this; };
    F.offset = function () { return { top: 0, left: 0 }; };
    F.play = function () { return each(this, function (e) { e.play && e.play(); }); };
    $.fn = F; $.prototype = F;
    $.each = function (o, f) { if (Array.isArray(o)) o.forEach(function (v, i) { f.call(v, i, v); }); else for (var k in o) f.call(o[k], k, o[k]); return o; };
    // extend as jQuery's: deep when the first argument is true, and one
    // object alone extends jQuery itself ($.extend) or its prototype
    // ($.fn.extend, where plugins add their methods).
    function extend() {
      var args = Array.prototype.slice.call(arguments), deep = false;
      if (typeof args[0] === "boolean") deep = args.shift();
      var t = args.length === 1 ? this : args.shift();
      if (t === null || (typeof t !== "object" && typeof t !== "function")) t = {};
      for (var i = 0; i < args.length; i++) {
        var o = args[i];
        if (o === null || o === undefined) continue;
        for (var k in o) {
          var v = o[k];
          if (v === t) continue;
          if (deep && v && typeof v === "object" && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype)) {
            var base = t[k] && typeof t[k] === "object" ? t[k] : Array.isArray(v) ? [] : {};
            t[k] = extend(true, base, v);
          } else if (v !== undefined) t[k] = v;
        }
      }
      return t;
    }
    $.extend = extend; F.extend = extend;
    $.ajax = $.get = $.post = $.getJSON = $.getScript = function () { var d = { done: function () { return d; }, fail: function () { return d; }, always: function () { return d; }, then: function () { return d; } }; return d; };
    $.noConflict = function () { return $; };
    $.isFunction = function (f) { return typeof f === "function"; };
    $.isArray = Array.isArray;
    $.trim = function (s) { return str(s).trim(); };
    $.param = function () { return ""; };
    $.support = {}; $.browser = {}; $.fx = { off: true }; $.expr = { ":": {} };
    W.jQuery = W.$ = $;
  }
})(this);
