package sandbox

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/csstext"
)

// Text the page shows outside its DOM text: kits draw their alert on a
// canvas, put it in CSS generated content, SVG text, attributes or shadow
// roots, or paint it into an image, so that a reader of the DOM finds
// nothing. The sandbox reads each back and hands it on with its source.

// Budgets for text read from one page.
const (
	maxTextPieces = 4000
	maxSourceText = 64 << 10 // bytes of text kept per source
)

// textAcc collects text the instrumentation reports while the page runs
// (canvas drawing). Its caller holds the recorder's lock.
type textAcc struct {
	pieces []drawnText
	bytes  int
}

type drawnText struct {
	text    string
	x, y, w float64 // position and measured width (0: unknown)
}

func (t *textAcc) add(source, text string, x, y, w float64) {
	if source != capture.TextCanvas || strings.TrimSpace(text) == "" || len(t.pieces) >= maxTextPieces || t.bytes > maxSourceText {
		return
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0
	}
	if math.IsNaN(y) || math.IsInf(y, 0) {
		y = 0
	}
	if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
		w = 0
	}
	t.bytes += len(text)
	t.pieces = append(t.pieces, drawnText{text: strings.ToValidUTF8(text, ""), x: x, y: y, w: w})
}

// joinCanvas puts drawn pieces back into lines. Pieces of one or two
// characters drawn along one baseline are a message drawn letter by letter
// (to defeat exactly this hook): they are joined into words, with a space
// where the gap after a letter is wider than a fifth of the run's usual
// letter width (or, widths unknown, where the step to the next letter is
// clearly longer than the usual step).
func joinCanvas(pieces []drawnText) string {
	var b strings.Builder
	short := func(p drawnText) bool { return utf8.RuneCountInString(strings.TrimSpace(p.text)) <= 2 }
	median := func(v []float64) float64 {
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	for i := 0; i < len(pieces); {
		j := i + 1
		if short(pieces[i]) {
			for j < len(pieces) && short(pieces[j]) && math.Abs(pieces[j].y-pieces[i].y) < 1 && pieces[j].x > pieces[j-1].x {
				j++
			}
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		run := pieces[i:j]
		i = j
		b.WriteString(strings.TrimSpace(run[0].text))
		if len(run) == 1 {
			continue
		}
		steps, widths := make([]float64, 0, len(run)), make([]float64, 0, len(run))
		measured := true
		for k := range run {
			widths = append(widths, run[k].w)
			measured = measured && run[k].w > 0
			if k > 0 {
				steps = append(steps, run[k].x-run[k-1].x)
			}
		}
		stepMedian, widthMedian := median(steps), median(widths)
		for k := 1; k < len(run); k++ {
			gap := measured && run[k].x-(run[k-1].x+run[k-1].w) > widthMedian/5
			if !measured {
				gap = steps[k-1] > 1.6*stepMedian
			}
			if gap {
				b.WriteByte(' ')
			}
			b.WriteString(strings.TrimSpace(run[k].text))
		}
	}
	return b.String()
}

// pageTextExpr runs in an isolated world of each frame at the end of the
// watch and returns, as JSON, the text outside the DOM's text nodes — CSS
// generated content (attr() resolved), SVG text (inline, and of SVG
// pictures embedded as data: URLs), title/alt/aria-label and
// what fields show in their boxes (a live value, a placeholder), text a
// direction override shows reversed (read as shown), open shadow roots —
// and, for deciding on OCR, how much text and how much
// image/canvas area the viewport shows. It stops at 20,000 elements or
// 400 ms, whichever comes first.
const pageTextExpr = `(function(){
var t0 = performance.now(), total = 0, max = 65536, n = 0, vw = innerWidth, vh = innerHeight, area = 0;
var out = {css: [], svg: [], attr: [], reversed: [], shadow: [], lang: "", chars: 0, media: 0, vw: vw, vh: vh, cut: false};
var fields = {"": 1, text: 1, tel: 1, search: 1, email: 1, url: 1, number: 1, button: 1, submit: 1, reset: 1};
var mirror = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<"};
var lastReversed = null;
function reversed(s) { return Array.from(String(s)).reverse().map(function (c) { return mirror[c] || c; }).join(""); }
var svgPics = 0;
function svgPicture(src) {
  var m = /^\s*data:image\/svg\+xml([^,]*),([\s\S]*)$/i.exec(String(src || "").slice(0, 2 << 20));
  if (!m || ++svgPics > 100) return;
  try {
    var markup = /;\s*base64\s*$/i.test(m[1]) ? new TextDecoder().decode(Uint8Array.from(atob(m[2].replace(/\s/g, "")), function (c) { return c.charCodeAt(0); })) : decodeURIComponent(m[2]);
    if (markup.length > 256 << 10) return;
    var doc = new DOMParser().parseFromString(markup, "image/svg+xml");
    if (doc.documentElement && !doc.querySelector("parsererror")) push(out.svg, doc.documentElement.textContent);
  } catch (e) {}
}
function push(list, s) {
  s = String(s == null ? "" : s).replace(/\s+/g, " ").trim();
  if (!s || total > max) return;
  s = s.slice(0, 2000); total += s.length; list.push(s);
}
var seen = new Set();
function attr(el, name) {
  var v = el.getAttribute(name);
  if (v && v.trim() && !seen.has(v) && seen.size < 2000) { seen.add(v); push(out.attr, v); }
}
function content(el, pseudo) {
  var v;
  try { v = getComputedStyle(el, pseudo).content; } catch (e) { return; }
  if (!v || v === "none" || v === "normal" || v === '""' || total > max) return;
  v = v.replace(/attr\(\s*([\w-]+)\s*\)/g, function (m, name) {
    return '"' + String(el.getAttribute(name) || "").replace(/[\\"]/g, "\\$&").replace(/[\r\n]/g, " ") + '"';
  });
  v = v.slice(0, 2000); total += v.length; out.css.push(v);
}
function visible(el) {
  var r = el.getBoundingClientRect();
  var w = Math.min(r.right, vw) - Math.max(r.left, 0), h = Math.min(r.bottom, vh) - Math.max(r.top, 0);
  return w > 0 && h > 0 ? w * h : 0;
}
var media = {IMG: 1, CANVAS: 1, VIDEO: 1, OBJECT: 1, EMBED: 1};
function shadowText(root) {
  var w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), t, parts = [];
  while ((t = w.nextNode()) && parts.length < 2000) {
    var p = t.parentNode;
    if (p && (p.nodeName === "STYLE" || p.nodeName === "SCRIPT")) continue;
    parts.push(t.nodeValue);
  }
  push(out.shadow, parts.join(" "));
}
function walk(root) {
  var all = root.querySelectorAll("*");
  for (var i = 0; i < all.length; i++) {
    if (++n > 20000 || ((n & 63) === 0 && performance.now() - t0 > 400)) { out.cut = true; return false; }
    var el = all[i];
    if (el.namespaceURI === "http://www.w3.org/2000/svg") {
      if (el.localName === "text") push(out.svg, el.textContent);
      else if (el.localName === "svg" && !el.ownerSVGElement) area += visible(el);
      continue;
    }
    if (el.hasAttribute("title")) attr(el, "title");
    if (el.hasAttribute("alt")) attr(el, "alt");
    if (el.hasAttribute("aria-label")) attr(el, "aria-label");
    if (el.tagName === "IMG" || el.tagName === "INPUT" || el.tagName === "EMBED") svgPicture(el.getAttribute("src"));
    else if (el.tagName === "OBJECT") svgPicture(el.getAttribute("data"));
    if (el.tagName === "INPUT" || el.tagName === "TEXTAREA") {
      var v = el.tagName === "INPUT" && fields[String(el.getAttribute("type") || "").trim().toLowerCase()] ? el.value : "";
      if (v && v.trim() && !seen.has(v) && seen.size < 2000) { seen.add(v); push(out.attr, v); }
      if (el.hasAttribute("placeholder")) attr(el, "placeholder");
    }
    content(el, "::before");
    content(el, "::after");
    if (media[el.tagName]) area += visible(el);
    else {
      var cs = getComputedStyle(el), bg = cs.backgroundImage;
      if (bg && bg.indexOf("url(") >= 0) area += visible(el);
      if (cs.direction === "rtl" && /override/.test(cs.unicodeBidi) && !(lastReversed && lastReversed.contains(el))) {
        lastReversed = el;
        push(out.reversed, reversed(el.textContent));
      }
    }
    if (el.shadowRoot) {
      shadowText(el.shadowRoot);
      if (!walk(el.shadowRoot)) return false;
    }
  }
  return true;
}
try { walk(document); } catch (e) {}
out.lang = document.documentElement ? String(document.documentElement.lang || "") : "";
out.chars = document.body ? String(document.body.innerText || "").replace(/\s+/g, "").length : 0;
out.media = vw * vh > 0 ? Math.min(1, area / (vw * vh)) : 0;
return JSON.stringify(out);
})()`

// frameTexts is what pageTextExpr returns.
type frameTexts struct {
	CSS  []string `json:"css"`
	SVG  []string `json:"svg"`
	Attr []string `json:"attr"`
	// Reversed is the text of elements a direction override shows
	// reversed, as shown.
	Reversed []string `json:"reversed"`
	Shadow   []string `json:"shadow"`
	Lang     string   `json:"lang"`
	// Chars counts the visible text's non-space characters; Media is the
	// share of the viewport covered by images, canvases, video and
	// background images.
	Chars int     `json:"chars"`
	Media float64 `json:"media"`
	// VW and VH are the viewport's size in CSS pixels (on a phone, the
	// layout viewport of a page without a viewport tag is 980 wide).
	VW  float64 `json:"vw"`
	VH  float64 `json:"vh"`
	Cut bool    `json:"cut"`
}

func parseFrameTexts(s string) (frameTexts, error) {
	var f frameTexts
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		return f, fmt.Errorf("page text: %w", err)
	}
	return f, nil
}

// textSet gathers the texts of every frame, one joined text per source,
// each piece once, within maxSourceText.
type textSet struct {
	order []string
	parts map[string][]string
	seen  map[string]bool
	size  map[string]int
}

func newTextSet() *textSet {
	return &textSet{parts: map[string][]string{}, seen: map[string]bool{}, size: map[string]int{}}
}

func (t *textSet) add(source, text string) {
	text = strings.TrimSpace(text)
	if text == "" || t.size[source] > maxSourceText || t.seen[source+"\x00"+text] {
		return
	}
	t.seen[source+"\x00"+text] = true
	if _, ok := t.parts[source]; !ok {
		t.order = append(t.order, source)
	}
	t.parts[source] = append(t.parts[source], text)
	t.size[source] += len(text)
}

func (t *textSet) addFrame(f frameTexts) {
	for _, v := range f.CSS {
		t.add(capture.TextCSSContent, csstext.Text(v))
	}
	for _, v := range f.SVG {
		t.add(capture.TextSVG, v)
	}
	for _, v := range f.Attr {
		t.add(capture.TextAttribute, v)
	}
	for _, v := range f.Reversed {
		t.add(capture.TextReversed, v)
	}
	for _, v := range f.Shadow {
		t.add(capture.TextShadow, v)
	}
}

func (t *textSet) texts() []capture.Text {
	var out []capture.Text
	for _, s := range t.order {
		out = append(out, capture.Text{Source: s, Text: strings.Join(t.parts[s], "\n")})
	}
	return out
}

// ocrReason says why the screenshot should be read by OCR, or "" when it
// need not be: a locker was seen (lockers often show their alert as an
// image) and the page's text is not already plentiful, or the viewport
// shows little text for its size, beside images or canvases that may carry
// it.
func ocrReason(main frameTexts, events []capture.Event) string {
	blocks := main.VW * main.VH / 10000 // 100×100 px blocks of the viewport
	if blocks <= 0 {
		return ""
	}
	density := float64(main.Chars) / blocks
	plentiful := main.Chars >= 600 && (main.Media < 0.2 || density >= 10)
	for _, e := range events {
		if plentiful {
			break
		}
		if e.Gestured() {
			continue
		}
		switch e.Kind {
		case capture.EventFullscreen, capture.EventKeyboardLock, capture.EventPointerLock:
			return "a locker was seen (" + string(e.Kind) + ")"
		case capture.EventDialog:
			if e.Count >= 3 {
				return "a locker was seen (dialog loop)"
			}
		case capture.EventHistory:
			if e.Count >= 5 {
				return "a locker was seen (history flood)"
			}
		}
	}
	switch {
	case main.Media >= 0.2 && density < 2, main.Media >= 0.1 && density < 0.5:
		return fmt.Sprintf("little visible text (%d characters) beside images or canvases covering %.0f%% of the viewport", main.Chars, 100*main.Media)
	case main.Media >= 0.5 && density < 5:
		return fmt.Sprintf("mostly images or canvases (%.0f%% of the viewport)", 100*main.Media)
	}
	return ""
}
