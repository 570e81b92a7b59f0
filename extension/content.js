// tssguard: the isolated-world content script. It hands the page-world
// guard (content-main.js) a private channel before any page script runs,
// has the page scored on the device (the service worker runs
// lib/scorer.js over rules.json on what this script reads of the page),
// tells the guard to defuse a page that scores as a scam, and shows the
// in-page prompts: a stopped call with the number's reputation, and the
// full-page warning.
(() => {
  'use strict';
  if (window.__tssguardIsolated) return;
  window.__tssguardIsolated = true;

  const top = window === window.top;
  // The two worlds talk through events on an element that is in the
  // document only while the hello goes out, now, at document_start,
  // before any page script: the guard keeps it, and no page script can
  // reach it to read or forge what the two say (content-main.js).
  const channel = document.createElement('tssguard-channel');
  (document.documentElement || document).appendChild(channel);
  channel.dispatchEvent(new CustomEvent('tssguard:hello'));
  channel.remove();
  const toMain = (msg) => channel.dispatchEvent(new CustomEvent('tssguard:isolated', {detail: JSON.stringify(msg)}));

  const state = {
    behaviours: new Set(), // behaviour rule IDs seen on this page
    code: new Set(), // rule IDs the page's code and markup show at load (lockers it is armed with, a chat widget …), no behaviour it tried
    calls: [], // the hrefs of the page's call links
    progress: false, // the page shows a progress bar
    canvas: '', // the text the page drew on its canvases
    decoded: '', // code the page decoded from base64
    dialogs: [],
    speech: [],
    defused: false,
    warned: false,
    allowlisted: false,
    conversion: null, // the rules' conversion lists (chat hosts, affiliate parameters, system paths): set once the service worker answered page-init, and can score
    scamAt: 0, // the score from which a page is a scam
    rules: null, // the rule file, only in a frame that scores itself (scoreHere)
    last: null, // the last score result
    hiddenScore: null, // the last score of the hidden words too (or of the visible ones when nothing more is hidden)
    scoreMs: [], // time each scoring took the page to read it, for the benchmark
  };
  // Exposed to the extension's own tests and benchmark through the DOM of
  // the isolated world only; the page cannot see this object.
  window.__tssguardState = state;

  const send = (msg) => new Promise((resolve) => {
    try {
      chrome.runtime.sendMessage(msg, (resp) => { void chrome.runtime.lastError; resolve(resp); });
    } catch (e) { resolve(undefined); }
  });

  // --- Messages from the page-world guard ----------------------------------
  const BEHAVIOUR = {
    'dialog-loop': 'TSS-LOCK-DIALOG-LOOP', 'history-flood': 'TSS-LOCK-HISTORY-FLOOD',
    'beforeunload': 'TSS-LOCK-BEFOREUNLOAD', 'keyboard-lock': 'TSS-LOCK-KEYBOARD',
    'pointer-lock': 'TSS-LOCK-POINTER', 'fullscreen': 'TSS-LOCK-FULLSCREEN',
    'worker-flood': 'TSS-LOCK-WORKER-FLOOD', 'input-block': 'TSS-LOCK-INPUT-BLOCK',
    'download-flood': 'TSS-LOCK-DOWNLOAD-FLOOD', 'popup-flood': 'TSS-LOCK-POPUP-FLOOD',
  };
  // Takeovers, and whether each started without the visitor's gesture. A
  // page that takes two, one of them on its own, holds the browser hostage
  // whatever its words say (kits draw the warning and the number in a
  // picture): the server's TSS-LOCK-HOSTAGE. A game or a remote desktop
  // takes full screen, the pointer and the keyboard, all on a click.
  const TAKEOVERS = new Set(['fullscreen', 'keyboard-lock', 'pointer-lock', 'dialog-loop', 'history-flood', 'worker-flood']);
  const takeovers = new Map(); // what → started without a gesture
  function noteTakeover(what, activation) {
    if (!TAKEOVERS.has(what)) return false;
    takeovers.set(what, takeovers.get(what) || activation !== true);
    if (state.behaviours.has('TSS-LOCK-HOSTAGE') || takeovers.size < 2 || ![...takeovers.values()].some(Boolean)) return false;
    state.behaviours.add('TSS-LOCK-HOSTAGE');
    return true;
  }

  channel.addEventListener('tssguard:main', (ev) => {
    let msg;
    try { msg = JSON.parse(ev.detail); } catch (e) { return; }
    if (!msg || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'call-blocked':
        if (!msg.activation) state.behaviours.add('TSS-CALL-AUTODIAL');
        showCallPrompt(msg);
        rescore();
        break;
      case 'behaviour':
        if (BEHAVIOUR[msg.what]) state.behaviours.add(BEHAVIOUR[msg.what]);
        // What the dialog said: kits loop alert() with their warning and number.
        if ((msg.what === 'dialog' || msg.what === 'dialog-loop') && msg.text && state.dialogs.length < 20) {
          const said = String(msg.text).slice(0, 2000);
          if (!state.dialogs.includes(said)) state.dialogs.push(said);
        }
        if (noteTakeover(msg.what, msg.activation)) {
          checkFullscreen();
          break;
        }
        if (msg.what === 'audio' && !msg.activation) state.behaviours.add('TSS-MEDIA-AUTOPLAY');
        if (msg.what === 'speech') {
          if (!msg.activation) state.behaviours.add('TSS-MEDIA-SPEECH');
          if (state.speech.length < 20) state.speech.push(String(msg.text || ''));
        }
        if (msg.what === 'fullscreen') checkFullscreen();
        else rescore();
        break;
      case 'armed':
        if (BEHAVIOUR[msg.what]) {
          state.code.add(BEHAVIOUR[msg.what]);
          rescore();
        }
        break;
      case 'code':
        // Code the page decoded from base64 (atob), read with its inline
        // code by pageCode.
        if (state.decoded.length < CODE_BUDGET) {
          state.decoded = (state.decoded + '\n' + String(msg.text || '')).slice(0, CODE_BUDGET);
          rescore();
        }
        break;
      case 'canvas':
        // What the page drew on its canvases, scored as its text.
        if (state.canvas.length < 20000) {
          state.canvas = (state.canvas + '\n' + String(msg.text || '')).slice(0, 20000);
          rescore();
        }
        break;
      case 'warn':
        if (msg.why === 'fullscreen') checkFullscreen();
        break;
      case 'ping':
        // The guard asks whether this script still has its extension: an
        // update leaves it running without (chrome.runtime.id is gone),
        // and the new version's content.js takes the channel over.
        if (alive()) toMain({type: 'pong'});
        break;
    }
  });
  const alive = () => { try { return !!chrome.runtime.id; } catch (e) { return false; } };

  // --- Frames in shadow roots ------------------------------------------------
  // A sandboxed frame of another origin with allow-top-navigation sends
  // the page to tel: with no event the page's world sees, so the guard
  // turns that token into allow-top-navigation-by-user-activation
  // (content-main.js, fixSandbox). A frame in a shadow root the parser
  // made (<template shadowrootmode> in the HTML, setHTMLUnsafe) is out of
  // the guard's sight, and out of its reach when the root is closed; this
  // world reaches it through chrome.dom.openOrClosedShadowRoot (Firefox:
  // the element's openOrClosedShadowRoot). Asking that of every element
  // the parser adds cost a page about 18 ms (bench/extension); instead the
  // service worker tells a frame of each frame made in it, before its
  // request goes out (webNavigation). A frame that no frame element of
  // the document or of a root found here accounts for has every element
  // asked for its root, once. Each root found has its frames fixed and is
  // watched for more.
  const TOP_NAV = 'allow-top-navigation';
  const HOSTS = new Set(['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span']);
  const FRAMES = 'iframe,frame,object,embed';
  const shadowRootOf = (el) => {
    try {
      return chrome.dom && chrome.dom.openOrClosedShadowRoot ? chrome.dom.openOrClosedShadowRoot(el) : el.openOrClosedShadowRoot || null;
    } catch (e) { return null; }
  };
  const roots = [];
  const rootsFound = new WeakSet();
  const accounted = new WeakSet(); // frame elements matched to a frame made
  // In a root found here the guard sees nothing: its frames are fixed here.
  const rootWatch = new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType !== Node.ELEMENT_NODE) continue;
        fixFramesIn(n);
        findRoots(n);
      }
    }
  });
  // findRoots asks scope and every element in it for a shadow root (an
  // element of a kind that can host one); each root not found before has
  // its frames fixed, is watched, and has its own elements asked.
  function findRoots(scope) {
    const todo = [scope];
    while (todo.length) {
      const s = todo.pop();
      const ask = (el) => {
        if (!HOSTS.has(el.localName) && !el.localName.includes('-')) return;
        const root = shadowRootOf(el);
        if (!root || rootsFound.has(root)) return;
        rootsFound.add(root);
        roots.push(root);
        rootWatch.observe(root, {childList: true, subtree: true});
        fixFramesIn(root);
        todo.push(root);
      };
      if (s.nodeType === Node.ELEMENT_NODE) ask(s);
      if (s.firstElementChild) for (const el of s.querySelectorAll('*')) ask(el);
    }
  }
  // frameMade accounts for a frame the service worker saw made in this
  // document, by the first URL it goes to.
  const frameURL = (el) => {
    if (el.localName === 'iframe' && el.hasAttribute('srcdoc')) return 'about:srcdoc';
    return (el.localName === 'object' ? el.data : el.src) || 'about:blank';
  };
  function frameMade(url) {
    for (const scope of [document, ...roots]) {
      for (const el of scope.querySelectorAll(FRAMES)) {
        if (!accounted.has(el) && frameURL(el) === url) {
          accounted.add(el);
          return;
        }
      }
    }
    findRoots(document.documentElement || document);
  }
  function fixFramesIn(node) {
    if (node.localName === 'iframe') fixFrame(node);
    if (node.firstElementChild) for (const f of node.querySelectorAll('iframe[sandbox]')) fixFrame(f);
  }
  function fixFrame(el) {
    const v = el.getAttribute('sandbox');
    if (v === null) return;
    const tokens = v.split(/[\t\n\f\r ]+/).filter(Boolean);
    if (!tokens.some((w) => w.toLowerCase() === TOP_NAV)) return;
    el.setAttribute('sandbox', [TOP_NAV + '-by-user-activation', ...tokens.filter((w) => w.toLowerCase() !== TOP_NAV)].join(' '));
    if (!el.isConnected) return;
    // Put back in its place, the frame is made anew with the fixed flags.
    const parent = el.parentNode, next = el.nextSibling;
    parent.removeChild(el);
    parent.insertBefore(el, next);
  }

  // --- Scoring ---------------------------------------------------------------
  function pageText() {
    try {
      const body = document.body || document.documentElement;
      return body ? String(body.innerText || body.textContent || '').slice(0, 100000) : '';
    } catch (e) { return ''; }
  }

  // shownText is what the page shows beyond its text nodes in their
  // written order, as the server reads it: the text of elements that show
  // it reversed (<bdo dir="rtl">, a style or class that overrides the
  // direction to right-to-left) in the order shown, where a kit writes its number
  // backwards so that the text reads "2410-555-448-1+" (analyze/bidi.go);
  // and the prose of the alt, title and aria-label attributes of the
  // elements shown (the server's attribute text): a number kept only in
  // an image's alt; what fields show in their boxes; and the words of SVG
  // pictures. Bounded, as the other readings are.
  const REVERSING = 'bdo[dir], [style*="override" i]';
  const LABELLED = 'img[alt], area[alt], input[alt], [title], [aria-label]';
  const LABELS = ['alt', 'title', 'aria-label'];
  function shownText() {
    try {
      const parts = [];
      let n = 0;
      const add = (s) => {
        s = String(s).slice(0, 1000);
        parts.push(s);
        n += s.length + 1;
      };
      // Elements a class may reverse are asked only when a style element
      // overrides the direction; an element inside one read is not read
      // again.
      const rev = document.querySelectorAll(styleOverrides() ? REVERSING + ', body [class]' : REVERSING);
      let last = null;
      for (let i = 0, read = 0; i < rev.length && i < 3000 && read < 200 && n < 20000; i++) {
        const el = rev[i];
        if (last && last.contains(el)) continue;
        const cs = getComputedStyle(el);
        if (cs.direction === 'rtl' && /override/.test(cs.unicodeBidi)) {
          add(TSSScorer.reversed(el.textContent));
          last = el;
          read++;
        }
      }
      const seen = new Set();
      const els = document.querySelectorAll(LABELLED);
      for (let i = 0; i < els.length && i < 500 && n < 20000; i++) {
        const el = els[i];
        if (el.checkVisibility && !el.checkVisibility()) continue;
        for (const a of LABELS) {
          const v = (el.getAttribute(a) || '').trim();
          if (attributeProse(v) && !seen.has(v)) { seen.add(v); add(v); }
        }
      }
      // What a field shows in its box: its value (a read-only field
      // holding the number) and its placeholder; button labels are in
      // innerText already, but an <input type=button>'s is not.
      const fields = document.querySelectorAll('input, textarea');
      for (let i = 0; i < fields.length && i < 200 && n < 20000; i++) {
        const el = fields[i];
        const typ = (el.getAttribute('type') || '').trim().toLowerCase();
        if (el.nodeName === 'INPUT' && !FIELD_SHOWS.has(typ)) continue;
        if (el.checkVisibility && !el.checkVisibility()) continue;
        for (const v of [el.nodeName === 'INPUT' ? el.value : '', el.getAttribute('placeholder') || '']) {
          const t = String(v).trim();
          if (fieldProse(t) && !seen.has(t)) { seen.add(t); add(t); }
        }
      }
      // The words of SVG pictures embedded as data: URLs (an <img>, an
      // <object>, a CSS background), which no text node holds and the
      // browser draws as words (the server's svgtext.go).
      for (const t of svgPictureTexts()) {
        if (n >= 20000) break;
        if (t && !seen.has(t)) { seen.add(t); add(t); }
      }
      return parts.join('\n');
    } catch (e) { return ''; }
  }
  const SVG_DATA = /data:image\/svg\+xml[^"')\s]*/gi;
  function svgPictureTexts() {
    const srcs = [];
    const els = document.querySelectorAll('img[src^="data:image/svg+xml" i], input[src^="data:image/svg+xml" i], object[data^="data:image/svg+xml" i], embed[src^="data:image/svg+xml" i]');
    for (let i = 0; i < els.length && srcs.length < 100; i++) srcs.push(els[i].getAttribute(els[i].nodeName === 'OBJECT' ? 'data' : 'src'));
    const styled = document.querySelectorAll('style, [style*="svg+xml" i]');
    for (let i = 0; i < styled.length && i < 100 && srcs.length < 100; i++) {
      const css = (styled[i].nodeName === 'STYLE' ? styled[i].textContent : styled[i].getAttribute('style')) || '';
      for (const m of css.slice(0, 4 << 20).matchAll(SVG_DATA)) { if (srcs.length < 100) srcs.push(m[0]); }
    }
    const out = [];
    for (const src of srcs) {
      const d = dataURL(src, 2 << 20);
      if (!d || !/^image\/svg\+xml/i.test(d.type)) continue;
      const markup = d.body;
      if (markup.length > 256 << 10) continue;
      // Parsed inert: DOMParser runs nothing.
      const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
      const t = doc.documentElement ? String(doc.documentElement.textContent || '').replace(/\s+/g, ' ').trim() : '';
      if (t && !doc.querySelector('parsererror')) out.push(t.slice(0, 2000));
    }
    return out;
  }
  // FIELD_SHOWS: the inputs that show their value as text (the server's
  // showsValue, and buttons).
  const FIELD_SHOWS = new Set(['', 'text', 'tel', 'search', 'email', 'url', 'number', 'button', 'submit', 'reset']);
  // fieldProse: a number's line or words, as the server's prose reads a
  // field (a number alone counts here: it is on the screen).
  function fieldProse(v) {
    if (v.length < 7 || v.length > 1000 || /[<>{}=;]|:\/\//.test(v)) return false;
    if ((v.match(/\d/g) || []).length >= 7 && v.length <= 40) return true;
    return v.split(/\s+/).length >= 3 && /\p{L}/u.test(v);
  }
  function styleOverrides() {
    const styles = document.querySelectorAll('style');
    for (let i = 0; i < styles.length && i < 50; i++) {
      if (/bidi-override/i.test(styles[i].textContent.slice(0, 256 << 10))) return true;
    }
    return false;
  }
  // attributeProse: words (three or more) or a number's line with words,
  // not an identifier, a path or a setting (the server's keepAttrText).
  function attributeProse(v) {
    if (v.length < 7 || v.length > 1000 || !v.includes(' ') || !/\p{L}/u.test(v) || /[<>{}=;]|:\/\//.test(v)) return false;
    return v.split(/\s+/).length >= 3 || (v.match(/\d/g) || []).length >= 7;
  }

  // fullText is the text of the page's hidden elements too (not scripts
  // or styles): kits keep their warning hidden until they hold the screen,
  // in a hidden element or in a <template> they copy into the page after
  // the click (the server reads both); and the strings of its CSS
  // generated content.
  const SKIP_TEXT = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  function fullText() {
    try {
      const body = document.body || document.documentElement;
      if (!body) return '';
      const parts = [];
      let n = 0;
      const read = (root) => {
        // No filter function: the browser calling one for each text node
        // cost more than the test in the loop.
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t && n < 100000; t = walker.nextNode()) {
          if (t.parentNode && SKIP_TEXT.has(t.parentNode.nodeName)) continue;
          parts.push(t.data);
          n += t.data.length + 1;
        }
      };
      read(body);
      const templates = document.querySelectorAll('template');
      for (let i = 0; i < templates.length && i < 50 && n < 100000; i++) {
        if (templates[i].content) read(templates[i].content);
      }
      if (n < 100000) parts.push(cssContent());
      if (n < 100000) parts.push(embeddedText());
      return parts.join(' ').slice(0, 100000);
    } catch (e) { return ''; }
  }

  // dataURL decodes a data: URL (base64 or percent-encoded) of at most
  // limit characters: its media type (parameters included) and its body,
  // or null.
  function dataURL(u, limit) {
    const m = /^\s*data:([^,]*),([\s\S]*)$/i.exec(String(u || '').slice(0, limit));
    if (!m) return null;
    try {
      const body = /;\s*base64\s*$/i.test(m[1]) ? new TextDecoder().decode(Uint8Array.from(atob(m[2].replace(/\s/g, '')), (c) => c.charCodeAt(0))) : decodeURIComponent(m[2]);
      return {type: m[1].trim(), body};
    } catch (e) { return null; }
  }

  // embeddedText is the text of the documents the page embeds as data:
  // URLs with <object> and <embed>, which show as frames but may not run
  // the content script; parsed inert (DOMParser runs nothing), as the
  // server reads them.
  const EMBEDDED = 'object[data^="data:" i],embed[src^="data:" i]';
  function embeddedText() {
    const els = document.querySelectorAll(EMBEDDED);
    const out = [];
    for (let i = 0; i < els.length && i < 20; i++) {
      const d = dataURL(els[i].getAttribute(els[i].nodeName === 'OBJECT' ? 'data' : 'src'), 4 << 20);
      if (!d || !/^text\/html\b/i.test(d.type)) continue;
      const doc = new DOMParser().parseFromString(d.body, 'text/html');
      if (doc.body) out.push(doc.body.textContent);
    }
    return out.join('\n');
  }

  // cssContent is the strings of the page's CSS generated content
  // (::before, ::after): a kit can write every word of its warning there,
  // out of the text nodes (the server reads them too). Style sheets of
  // other origins cannot be read; the rest are read again only when the
  // page has more of them.
  let cssSeen = -1, cssText = '';
  const CSS_STRING = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;
  const CSS_ATTR = /\battr\(\s*([\w-]+)/gi;
  const cssUnescape = (s) => s.replace(/\\([0-9a-f]{1,6}\s?|[\s\S])/gi, (m, e) => {
    if (!/^[0-9a-f]/i.test(e)) return e === '\n' ? '' : e;
    const c = parseInt(e, 16);
    return c > 0 && c <= 0x10ffff ? String.fromCodePoint(c) : '';
  });
  function cssContent() {
    const sheets = document.styleSheets;
    if (sheets.length === cssSeen) return cssText;
    cssSeen = sheets.length;
    const out = [], attrs = new Set();
    let size = 0, visited = 0;
    const walk = (rules, depth) => {
      for (let i = 0; i < rules.length && visited < 20000 && size < 65536; i++, visited++) {
        const r = rules[i];
        const c = r.style && r.style.content;
        if (c && c !== 'normal' && c !== 'none') {
          for (const m of c.matchAll(CSS_STRING)) {
            const t = cssUnescape(m[1] !== undefined ? m[1] : m[2]).trim();
            if (t && /\p{L}/u.test(t)) { out.push(t); size += t.length; }
          }
          for (const m of c.matchAll(CSS_ATTR)) attrs.add(m[1].toLowerCase());
        }
        if (r.cssRules && depth < 4) walk(r.cssRules, depth + 1);
      }
    };
    for (let i = 0; i < sheets.length && i < 200; i++) {
      let rules;
      try { rules = sheets[i].cssRules; } catch (e) { continue; }
      if (rules) walk(rules, 0);
    }
    // What content: attr(name) shows: the attributes' values that read as
    // words or a number's line (as on the server), never links (print
    // style sheets show every href this way).
    for (const name of [...attrs].slice(0, 16)) {
      let els;
      try { els = document.querySelectorAll(`[${CSS.escape(name)}]`); } catch (e) { continue; }
      for (let i = 0; i < els.length && i < 500 && size < 65536; i++) {
        const v = els[i].getAttribute(name).trim();
        if (!v.includes('://') && (v.split(/\s+/).length >= 3 || (v.match(/\d/g) || []).length >= 7) && /\p{L}/u.test(v)) { out.push(v); size += v.length; }
      }
    }
    cssText = out.join('\n');
    return cssText;
  }

  // pageLocks adds what the page's markup and style do to the visitor,
  // as the server reads them: a context-menu handler in the
  // <html> or <body> tag (the guard sees the ones scripts add), and the
  // mouse cursor hidden over the whole page or over an overlay that
  // covers the window.
  function pageLocks() {
    try {
      const root = document.documentElement, body = document.body;
      if ((root && root.hasAttribute('oncontextmenu')) || (body && body.hasAttribute('oncontextmenu'))) {
        state.behaviours.add('TSS-LOCK-INPUT-BLOCK');
      }
      // A leave-page trap in the markup (<body onbeforeunload="return …">),
      // which the guard stops but cannot see being set; and audible media
      // that plays on its own (<audio autoplay>), which plays without a
      // play() call the guard would see. Both as the server reads them.
      const trap = [root, body].some((el) => el && /return|returnValue|preventDefault/.test(el.getAttribute('onbeforeunload') || ''));
      if (trap) state.behaviours.add('TSS-LOCK-BEFOREUNLOAD');
      if (document.querySelector('audio[autoplay],bgsound,video[autoplay]:not([muted])')) state.behaviours.add('TSS-MEDIA-AUTOPLAY');
      const els = [root, body];
      const mid = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
      if (mid) {
        const r = mid.getBoundingClientRect();
        if (r.width >= innerWidth * 0.9 && r.height >= innerHeight * 0.9) els.push(mid);
      }
      if (els.some((el) => el && getComputedStyle(el).cursor === 'none')) state.behaviours.add('TSS-LOCK-CURSOR-HIDDEN');
    } catch (e) { /* */ }
  }

  // Kits rewrite the page from a script (document.body.innerHTML = …) or
  // have it remove itself once it has run, which takes it out of
  // document.scripts before the page is scored. The inline scripts removed
  // while the page loads are kept for pageCode, up to REMOVED_MOST; the
  // observer stops with the last scoring of the load (see go). It watches
  // the children of the document, <html>, <head> and <body> only (a
  // removed element's scripts are found inside it): watching every node
  // cost a page of 20,000 elements some 30–50 ms before DOMContentLoaded.
  const REMOVED_MOST = 500;
  const removedScripts = [];
  const TOP = new Set(['HTML', 'HEAD', 'BODY']);
  const watched = new WeakSet();
  const watch = (node) => {
    if (node && !watched.has(node)) { watched.add(node); keepRemoved.observe(node, {childList: true}); }
  };
  // Only the document and <html> get the elements watched as they come
  // (a new <body>, say): the parser adds the page's nodes to <body> one by
  // one, and reading each made a script object of it (TestBenchProfile).
  const keepRemoved = new MutationObserver((records) => {
    const keep = (el) => { if (!el.src && removedScripts.length < REMOVED_MOST) removedScripts.push(el); };
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.target === document || r.target === document.documentElement) {
        for (const node of r.addedNodes) if (TOP.has(node.nodeName)) watch(node);
      }
      const removed = r.removedNodes;
      for (let j = 0; j < removed.length; j++) {
        const node = removed[j];
        if (removedScripts.length >= REMOVED_MOST) { keepRemoved.disconnect(); return; }
        if (node.nodeName === 'SCRIPT') keep(node);
        else if (node.nodeType === Node.ELEMENT_NODE && node.firstElementChild) {
          for (const el of node.getElementsByTagName('script')) keep(el);
        }
      }
    }
  });
  watch(document);
  watch(document.documentElement);
  watch(document.head);
  watch(document.body);

  // pageCode adds what the page's own code and links say at load, as the
  // server reads them: a locker API (full screen, keyboard lock, pointer
  // lock) named in an inline script or an event-handler attribute (the
  // guard reads the listeners that scripts from other files add), inline
  // code in an obfuscator's shapes, and a link that calls a number. Read
  // again only when the page has more scripts, within a budget of
  // characters.
  const ARMS = [
    ['TSS-LOCK-FULLSCREEN', /(?:request|enter)full-?screen/i],
    ['TSS-LOCK-KEYBOARD', /keyboard\s*\.\s*lock\b/],
    ['TSS-LOCK-POINTER', /requestpointerlock/i],
    // A key handler testing for F12 or F11, the keys people use to get
    // out (the server's escapeKeyCheck).
    ['TSS-LOCK-INPUT-BLOCK', /\b(?:keyCode|which|key)\s*={2,3}\s*(?:12[23]\b|["']F1[12]["'])/],
  ];
  // The call schemes: links to them are call links (CALL_LINKS selects
  // them), and numberOf reads their number (CALL_RE).
  const CALL_SCHEMES = ['tel', 'callto', 'facetime', 'facetime-audio', 'sip', 'sips', 'skype'];
  const CALL_RE = new RegExp(`^\\s*(${CALL_SCHEMES.join('|')})\\s*:`, 'i');
  const CALL_LINKS = CALL_SCHEMES.map((s) => `a[href^="${s}:" i]`).join(',');
  const NAMES_SCHEME = CALL_SCHEMES.map((s) => `a[href*="${s}" i]`).join(',');
  const CODE_BUDGET = 1 << 20;
  const HANDLERS = '[onclick],[onmousedown],[onmouseup],[onkeydown],[onkeyup],[ontouchstart],[onload]';
  let codeSeen = '';
  function pageCode() {
    try {
      const links = document.querySelectorAll(CALL_LINKS);
      if (links.length) state.behaviours.add('TSS-CALL-LINK');
      state.calls = [];
      for (let i = 0; i < links.length && i < 20; i++) state.calls.push(links[i].getAttribute('href'));
      state.progress = state.progress || !!document.querySelector('progress,[role="progressbar" i]');
      const scripts = document.scripts;
      const seen = scripts.length + '/' + removedScripts.length + '/' + state.decoded.length;
      if (seen === codeSeen) return;
      codeSeen = seen;
      const parts = [];
      let n = 0;
      const read = (list, most) => {
        for (let i = 0; i < list.length && i < most && n < CODE_BUDGET; i++) {
          if (list[i].src) continue;
          const t = list[i].text.slice(0, CODE_BUDGET - n);
          parts.push(t);
          n += t.length;
        }
      };
      read(scripts, 5000);
      read(removedScripts, REMOVED_MOST);
      const els = document.querySelectorAll(HANDLERS);
      for (let i = 0; i < els.length && i < 500 && n < CODE_BUDGET; i++) {
        for (const a of els[i].attributes) {
          if (a.name.startsWith('on')) { parts.push(a.value.slice(0, 4096)); n += Math.min(a.value.length, 4096); }
        }
      }
      if (state.decoded) parts.push(state.decoded);
      const code = parts.join('\n');
      for (const [id, re] of ARMS) if (re.test(code)) state.code.add(id);
      // Inline code in the string-array obfuscator's shapes (the scorer
      // counts it only beside scam words or a hotline).
      if (TSSScorer.obfuscatorShapes(code)) state.code.add('TSS-OBFUSCATED');
      conversion(scripts, code);
    } catch (e) { /* */ }
  }

  // conversion adds what the server's conversion detectors find in the
  // page's scripts and links (analyze/conversion.go): a live-chat
  // widget's script, a link with an affiliate network's parameter, the
  // paths a fake scan animates named in an inline script, and a progress
  // bar (an element, or a script that grows a width on a timer), which
  // the scorer counts beside "scanning" words.
  function conversion(scripts, code) {
    const conv = state.conversion;
    if (!conv) return;
    const hostOf = (u) => { try { return new URL(u, location.href).hostname.toLowerCase(); } catch (e) { return ''; } };
    const chat = (h) => conv.chat_hosts.some((c) => h === c || h.endsWith('.' + c));
    for (let i = 0; i < scripts.length && i < 500; i++) {
      if (scripts[i].src && chat(hostOf(scripts[i].src))) { state.code.add('TSS-CONVERT-CHAT-WIDGET'); break; }
    }
    const affiliate = (u) => {
      const q = u.indexOf('?');
      if (q < 0) return false;
      for (const name of new URLSearchParams(u.slice(q + 1).split('#')[0]).keys()) {
        if (conv.affiliate_params.includes(name.toLowerCase())) return true;
      }
      return false;
    };
    // Only links with a query can carry a parameter: the page's other
    // links are not read (their resolved href is a string made each).
    const links = document.querySelectorAll('a[href*="?"],area[href*="?"]');
    for (let i = 0; i < links.length && i < 1000; i++) {
      if (affiliate(links[i].href)) { state.code.add('TSS-CONVERT-AFFILIATE'); break; }
    }
    let urls = 0;
    for (const m of code.matchAll(/https?:\/\/[^\s"'`<>\\]{1,2048}/g)) {
      if (affiliate(m[0])) { state.code.add('TSS-CONVERT-AFFILIATE'); break; }
      if (++urls >= 2000) break;
    }
    if (TSSScorer.systemPaths(code, conv.system_path, conv.min_script_paths) >= conv.min_script_paths) {
      state.code.add('TSS-SCAN-SYSTEM-PATHS');
    }
    state.progress = state.progress || (/\.style\.width\s*=/.test(code) && /\b(?:setInterval|setTimeout|requestAnimationFrame)\s*\(/.test(code));
  }

  // letters counts what is not white space: the hidden text is scored
  // only when it holds more than the visible text (innerText and the text
  // nodes space their words differently).
  const letters = (s) => s.length - (s.match(/\s/g) || []).length;

  // FRAME_SHARE: a frame that scores as a scam has the warning shown in
  // the page when it takes at least this share of the screen.
  const FRAME_SHARE = 0.25;

  let scoring = null;
  function rescore() {
    if (scoring) return;
    scoring = setTimeout(() => { scoring = null; scoreNow(); }, 50);
  }

  // The service worker scores the page (lib/scorer.js over rules.json).
  // It scores page after page, so its scorer's code is compiled and
  // optimised once; in a content script, which every page and frame
  // starts anew, the first scorings ran cold (bench/extension). The page
  // pays for reading its text and sending it.
  //
  // scoreNow reads the page and resolves to its score: the last one when
  // nothing changed, null before the service worker has answered
  // page-init or when it cannot score. One scoring at a time: a call
  // while one is in flight has the page read again once that one is done.
  let lastInput = '';
  let inFlight = null, again = false;
  function scoreNow() {
    if (!state.conversion || state.allowlisted) return Promise.resolve(state.last);
    if (inFlight) { again = true; return inFlight; }
    const t0 = performance.now();
    pageLocks();
    pageCode();
    const shown = shownText();
    const text = shown ? pageText() + '\n' + shown : pageText();
    const hidden = shown ? fullText() + '\n' + shown : fullText();
    // Nothing new since the last score: keep it.
    const input = [text.length, hidden.length, state.canvas.length, document.title, state.behaviours.size, state.code.size, state.calls.join(), state.progress, state.dialogs.length, state.speech.length].join('|');
    if (input === lastInput && state.last) return Promise.resolve(state.last);
    lastInput = input;
    // Kits keep their warning hidden until the visitor's first click lets
    // them take the screen; the server reads every word of the page, and
    // so does the scorer when the visible words alone do not make a scam
    // (the service worker scores the hidden words then). The hidden
    // words' score is kept for checkFullscreen.
    const page = {
      text, hidden: letters(hidden) > letters(text) ? hidden : null, canvas: state.canvas,
      title: document.title, url: location.href, dialogs: state.dialogs, speech: state.speech,
      calls: state.calls, progress: state.progress, behaviours: [...state.behaviours, ...state.code],
    };
    state.scoreMs.push(performance.now() - t0);
    inFlight = send({type: 'score', page}).then((resp) => resp && resp.self ? scoreHere(page) : resp).then((resp) => {
      inFlight = null;
      if (resp && resp.r) scored(resp.r, resp.hidden || resp.r);
      else lastInput = ''; // not scored: the next call tries again
      if (again) { again = false; return scoreNow(); }
      return state.last;
    });
    return inFlight;
  }

  // scoreHere scores page in this frame, as the service worker does, for a
  // tab that took more than its share of the worker's time (background.js):
  // then the page pays for its own scoring. The rules come once.
  async function scoreHere(page) {
    if (!state.rules) state.rules = ((await send({type: 'rules'})) || {}).rules || null;
    if (!state.rules || !globalThis.TSSScorer) return null;
    return TSSScorer.scorePage(state.rules, page);
  }

  // scored acts on a score: r, and hidden, the score of the hidden words
  // too (r when none were scored).
  function scored(r, hidden) {
    state.hiddenScore = hidden;
    state.last = r;
    toMain({type: 'risky', value: r.risky});
    if (r.verdict === 'scam' && defuse()) {
      if (top) showWarning(r, 'score');
      else relayWhenShown(r);
    }
    if (document.fullscreenElement && r.risky) checkFullscreen();
  }

  // relayWhenShown has the page show the warning for this frame, which
  // scored as a scam, once the frame takes FRAME_SHARE of the screen. A
  // kit can show its whole alert in a frame (srcdoc, a data: URL, a page
  // elsewhere) over an empty page: the warning belongs in the visible
  // page. Not for a frame the size of an ad. Kits also keep that frame
  // hidden (display: none, no size) behind a harmless landing until the
  // visitor's click shows it and takes the screen with it: the frame is
  // watched until it is shown that large: by the window's resize event,
  // and by a ResizeObserver of its root element, which no page script can
  // stop as it can stop an event.
  function relayWhenShown(r) {
    const large = () => innerWidth * innerHeight >= FRAME_SHARE * screen.availWidth * screen.availHeight;
    const relay = () => send({type: 'relay-warning', r: {score: r.score, saturated: r.saturated, brands: r.brands, hotlines: r.hotlines, findings: r.findings.map((f) => ({id: f.id, cat: f.cat}))}});
    if (large()) return relay();
    let watch = null;
    const check = () => {
      if (!large()) return;
      removeEventListener('resize', check, true);
      if (watch) watch.disconnect();
      relay();
    };
    addEventListener('resize', check, true);
    if (typeof ResizeObserver === 'function' && document.documentElement) {
      watch = new ResizeObserver(check);
      watch.observe(document.documentElement);
    }
  }

  // defuse has the guard release the page's locks and silence it for
  // good; it says whether it did so now (not before).
  function defuse() {
    if (state.defused) return false;
    state.defused = true;
    toMain({type: 'defuse'});
    return true;
  }

  // checkFullscreen: a page in full screen that names a brand and asks to
  // call is defused and covered by the warning at once, as Edge's scareware
  // blocker does; so is one that holds the browser hostage.
  function checkFullscreen() {
    scoreNow().then(takeScreenBack);
  }
  function takeScreenBack(r) {
    if (!r) return;
    if (!r.risky && r.verdict !== 'scam' && document.fullscreenElement) {
      // Once the page holds the screen, what it keeps hidden counts too:
      // the warning it is about to reveal (scored by scoreNow).
      const h = state.hiddenScore;
      if (h && (h.risky || h.verdict === 'scam')) r = h;
    }
    if (r.risky || r.verdict === 'scam' || state.behaviours.has('TSS-LOCK-HOSTAGE')) {
      defuse();
      try { if (document.fullscreenElement) document.exitFullscreen().catch(() => {}); } catch (e) { /* */ }
      if (top) showWarning(r, 'fullscreen');
    }
  }
  // The prefixed event too: Chromium fires only webkitfullscreenchange for
  // a page that went full screen through webkitRequestFullScreen.
  for (const type of ['fullscreenchange', 'webkitfullscreenchange']) {
    document.addEventListener(type, () => { if (document.fullscreenElement) checkFullscreen(); }, true);
  }

  // --- Start ----------------------------------------------------------------
  // The service worker answers with the settings for this page and what
  // the conversion detectors read of the rules (a content script cannot
  // fetch extension files that pages must not see); it scores the page.
  send({type: 'page-init', url: location.href}).then((cfg) => {
    state.allowlisted = !!(cfg && cfg.allowlisted);
    state.conversion = cfg && cfg.conversion;
    state.scamAt = cfg && cfg.scam;
    if (state.allowlisted) { keepRemoved.disconnect(); return; }
    const go = () => {
      scoreNow();
      lookupNumbers();
      // Kits write their text late (templates, timers): score again a few times.
      let n = 0;
      const iv = setInterval(() => {
        scoreNow();
        if (++n >= 4) { clearInterval(iv); keepRemoved.disconnect(); }
      }, 1000);
    };
    // The first scoring waits for the page's first frame. Reading the
    // visible text (innerText) needs the page laid out: in the
    // DOMContentLoaded handler it laid the page out early and held back
    // its first paint and its load event (bench/extension). A tab in the
    // background draws no frame: the timer scores it then.
    const afterFirstFrame = () => {
      let done = false;
      const once = () => { if (!done) { done = true; go(); } };
      requestAnimationFrame(() => setTimeout(once, 0));
      setTimeout(once, 250);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', afterFirstFrame, {once: true});
    else afterFirstFrame();
  });

  // lookupNumbers asks the server (through the service worker, cached)
  // about the numbers of the page's call links, so that a click on a link
  // to a listed scam hotline is stopped too.
  async function lookupNumbers() {
    const nums = new Set();
    // Links whose href names a call scheme anywhere (numberOf reads it
    // exactly), not every link of the page.
    for (const a of document.querySelectorAll(NAMES_SCHEME)) {
      const n = numberOf(a.getAttribute('href'));
      if (n) nums.add(n);
      if (nums.size >= 10) break;
    }
    if (!nums.size) return;
    const resp = await send({type: 'numbers', numbers: [...nums]});
    const scam = (resp && resp.results || []).filter((x) => x.verdict === 'scam').map((x) => x.e164);
    if (scam.length) toMain({type: 'scam-numbers', numbers: scam});
  }

  function numberOf(url) {
    if (!url || !CALL_RE.test(url)) return '';
    let rest = url.replace(CALL_RE, '');
    try { rest = decodeURIComponent(rest); } catch (e) { /* */ }
    rest = rest.split(/[;?@]/)[0];
    const digits = rest.replace(/\D/g, '');
    if (digits.length < 7) return '';
    if (/^\s*\+/.test(rest)) return '+' + digits;
    if (digits.length === 10) return '+1' + digits;
    if (digits.length === 11 && digits[0] === '1') return '+' + digits;
    return '+' + digits;
  }

  // --- Prompts ----------------------------------------------------------------
  // Overlays live in a closed shadow root so the page's styles and scripts
  // cannot reach into them.
  function overlay(id) {
    const old = document.getElementById(id);
    if (old) old.remove();
    const host = document.createElement('tssguard-overlay');
    host.id = id;
    host.style.cssText = 'all:initial;position:fixed;inset:0;z-index:2147483647;display:block';
    const root = host.attachShadow({mode: 'closed'});
    (document.body || document.documentElement).appendChild(host);
    return {host, root};
  }

  const STYLE = `<style>
    .bg{position:fixed;inset:0;background:rgba(20,20,30,.72);display:flex;align-items:center;justify-content:center;font:15px/1.45 system-ui,sans-serif}
    .box{background:#fff;color:#111;max-width:460px;margin:16px;padding:22px 24px;border-radius:10px;box-shadow:0 8px 40px rgba(0,0,0,.4)}
    h2{margin:0 0 10px;font-size:19px;color:#a40000} .num{font:600 20px ui-monospace,monospace}
    .rep{margin:8px 0;padding:8px;background:#f4f4f6;border-radius:6px}
    button{font:inherit;padding:8px 14px;margin:12px 8px 0 0;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}
    button.primary{background:#0b57d0;color:#fff;border-color:#0b57d0}
  </style>`;

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));

  function numberType(e164) {
    if (globalThis.TSSScorer && TSSScorer.tollFreeNANP(e164)) return 'toll-free (North America)';
    if (/^\+1\d{10}$/.test(e164)) return 'North American number';
    return e164 ? 'phone number' : 'unknown';
  }

  async function showCallPrompt(msg) {
    if (!top) {
      // A hidden frame tried to dial: the prompt belongs in the visible page.
      send({type: 'relay-prompt', msg});
      return;
    }
    const {host, root} = overlay('tssguard-call-prompt');
    host.dataset.number = msg.number || '';
    host.dataset.how = msg.how || '';
    root.innerHTML = STYLE + `<div class="bg"><div class="box" role="alertdialog" aria-label="Call stopped">
      <h2>${msg.activation ? 'This number is listed as a scam hotline' : 'This page tried to start a phone call'}</h2>
      <div>The page asked your phone app to call:</div>
      <div class="num">${esc(msg.number || msg.url)}</div>
      <div>${esc(numberType(msg.number))}</div>
      <div class="rep" id="rep">Checking the number…</div>
      <div>Real companies never make your phone dial a support line by themselves, and never ask you to call about a virus alert.</div>
      <button class="primary" id="no">Don't call</button><button id="yes">Call anyway</button>
    </div></div>`;
    root.getElementById('no').addEventListener('click', () => host.remove());
    root.getElementById('yes').addEventListener('click', () => {
      host.remove();
      toMain({type: 'allow-call', url: msg.url});
      location.href = msg.url;
    });
    const rep = await send({type: 'numbers', numbers: msg.number ? [msg.number] : []});
    const r = rep && rep.results && rep.results[0];
    const el = root.getElementById('rep');
    if (!el) return;
    if (!r) el.textContent = 'No reputation server configured.';
    else if (r.verdict === 'scam') {
      const h = r.hotline || {};
      el.textContent = `Listed as a scam hotline${h.first_seen ? `, seen since ${String(h.first_seen).slice(0, 10)}` : ''}${h.pages ? ` on ${h.pages} pages` : ''}.`;
      host.dataset.verdict = 'scam';
    } else el.textContent = r.error ? 'The reputation server could not be reached.' : 'Not listed (unknown is not the same as safe).';
  }

  function showWarning(r, why) {
    if (state.warned) return;
    state.warned = true;
    const {host, root} = overlay('tssguard-warning');
    host.dataset.why = why;
    const findings = (r.findings || []).filter((f) => f.cat !== 'brand' && f.cat !== 'context').slice(0, 5);
    // Whether it tried anything yet: a page judged on its words alone
    // (at load) has not, and is told what it can no longer do.
    const locked = why === 'fullscreen' || [...state.behaviours].some((b) => b.startsWith('TSS-LOCK-') || b === 'TSS-CALL-AUTODIAL');
    host.dataset.locked = String(locked);
    root.innerHTML = STYLE + `<div class="bg"><div class="box" role="alertdialog" aria-label="Scam warning">
      <h2>This page looks like a tech support scam</h2>
      <div>${locked ? 'It was stopped from locking your browser' : 'It can no longer lock your browser, dial or play sounds'}${r.brands.length ? ` and pretends to come from ${esc(r.brands.join(', '))}` : ''}.
      Your computer is not infected because a web page says so. ${r.saturated && !r.hotlines.length ? 'Do not call any number it shows you.' : 'Do not call the number on the page.'}</div>
      <ul>${findings.map((f) => `<li>${esc(f.id)}</li>`).join('')}</ul>
      <div>${r.saturated ? `Score ${esc(r.score)}: every kind of scare a fake alert uses, with a brand and a request to call.` : `Score ${esc(r.score)} (scam at ${esc(state.scamAt)}).`}</div>
      <button class="primary" id="leave">Leave this page</button><button id="stay">Dismiss</button>
    </div></div>`;
    const stopKeeping = keepShown(host);
    root.getElementById('leave').addEventListener('click', () => send({type: 'leave'}));
    root.getElementById('stay').addEventListener('click', () => { stopKeeping(); host.remove(); });
  }

  // keepShown keeps the warning on the page while it lives: it hangs from
  // <html>, after <body>, which kits rewrite (document.body.innerHTML =
  // …); a page that takes it out, moves it, hides it or puts an element
  // after it gets it back as it was, and a page that fights it (more than
  // KEEP_MOST times in KEEP_WINDOW_MS: a script that appends to <html> now
  // and then is no fight) is left for about:blank, as "Leave this page"
  // does. The guard keeps the page's modal dialogs and popovers, which
  // show above any z-index, shut (content-main.js). It returns the
  // function that stops it (Dismiss).
  const KEEP_MOST = 20, KEEP_WINDOW_MS = 2000;
  function keepShown(host) {
    const attrs = [...host.attributes].map((a) => [a.name, a.value]);
    const place = () => {
      const root = document.documentElement;
      if (root && (host.parentNode !== root || host.nextSibling)) root.appendChild(host);
    };
    place();
    const restored = []; // when the page changed it, the last KEEP_MOST times
    const mo = new MutationObserver(() => {
      const moved = host.parentNode !== document.documentElement || host.nextSibling;
      const changed = host.attributes.length !== attrs.length || attrs.some(([n, v]) => host.getAttribute(n) !== v);
      if (!moved && !changed) return;
      const t = performance.now();
      restored.push(t);
      if (restored.length > KEEP_MOST && t - restored.shift() < KEEP_WINDOW_MS) {
        mo.disconnect();
        send({type: 'leave'});
        return;
      }
      for (const a of [...host.attributes]) host.removeAttribute(a.name);
      for (const [n, v] of attrs) host.setAttribute(n, v);
      place();
      watch();
    });
    const watch = () => {
      mo.observe(document, {childList: true});
      if (document.documentElement) mo.observe(document.documentElement, {childList: true});
      mo.observe(host, {attributes: true});
    };
    watch();
    return () => mo.disconnect();
  }

  // --- Messages from the extension (popup, service worker) --------------------
  chrome.runtime.onMessage.addListener((msg, sender, reply) => {
    if (!msg) return;
    // In any frame: a frame made in this one (Frames in shadow roots).
    if (msg.type === 'frame-made' && typeof msg.url === 'string') frameMade(msg.url);
    if (!top) return;
    if (msg.type === 'show-prompt' && msg.msg) showCallPrompt(msg.msg);
    if (msg.type === 'show-warning' && msg.r) {
      defuse();
      showWarning(msg.r, 'frame');
    }
    if (msg.type === 'page-text') reply({url: location.href, title: document.title, text: pageText().slice(0, 20000), score: state.last && {score: state.last.score, verdict: state.last.verdict}});
    // The DOM for a report the user consented to (where chrome.scripting is missing).
    if (msg.type === 'page-html') reply({url: location.href, html: document.documentElement ? document.documentElement.outerHTML : ''});
  });
})();
