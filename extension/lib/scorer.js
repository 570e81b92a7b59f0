// tssguard on-device scorer: a small port of the server's scoring (analyze/)
// over the rule file rules.json, which `go run ./extension/gen` writes from
// analyze/rules/default.yaml. It reads the page's visible text, title, URL,
// dialog and spoken text, plus the behaviours the page-world guard reports,
// and returns a score, a verdict and the findings. Nothing leaves the device.
(function (root) {
  'use strict';

  // normalize lower-cases, folds full-width forms (NFKC), look-alike
  // letters in mixed words and curly quotes, drops invisible characters
  // and collapses white space, as the server's normalizeText does. fold is
  // folder(rules.fold); without it look-alikes and invisible characters
  // stay as they are.
  function normalize(s, fold) {
    s = String(s || '');
    if (s.includes(RLO)) s = unoverride(s);
    try { s = s.normalize('NFKC'); } catch (e) { /* keep it */ }
    if (OTHER_DIGITS.test(s)) s = s.replace(OTHER_DIGITS_ALL, (d) => String(d.charCodeAt(0) - DIGIT_ZERO.find((z) => d.charCodeAt(0) - z <= 9 && d.charCodeAt(0) >= z)));
    s = foldLookalikes(s, fold);
    if (QUOTES.test(s)) s = s.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u201c\u201d]/g, '"');
    return s.toLowerCase().replace(/\s+/g, ' ');
  }
  const QUOTES = /[\u2018\u2019\u02bc\u201c\u201d]/;

  // Text shown reversed (the server's bidi.go): a kit writes its number
  // backwards after a right-to-left override character (U+202E, up to a
  // pop, U+202C, or the line's end) and the browser shows it forwards;
  // the text keeps the written order. reversed gives s as such a run
  // shows it: its characters reversed, its brackets mirrored.
  const RLO = '\u202e';
  const OVERRIDE_RUN = /\u202e([^\u202c\n]*)\u202c?/g;
  const MIRROR = {'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<'};
  function reversed(s) {
    return Array.from(String(s)).reverse().map((c) => MIRROR[c] || c).join('');
  }
  function unoverride(s) {
    return s.replace(OVERRIDE_RUN, (m, run) => reversed(run));
  }
  // Digits of other scripts read as the server's phone scanner reads them
  // (phone/scan.go): Arabic-Indic, Extended Arabic-Indic, Devanagari,
  // Bengali, Thai. NFKC leaves them as they are.
  const DIGIT_ZERO = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50];
  const OTHER_DIGITS = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59]/;
  const OTHER_DIGITS_ALL = new RegExp(OTHER_DIGITS.source, 'g');

  // Look-alike letters (the server's homoglyph.go): kits write brand names
  // and key words with Cyrillic, Greek or Armenian letters drawn like
  // Latin ones ("Міcrosoft") and slip invisible characters into words, so
  // that no phrase matches while the visitor reads the word. In a word
  // that mixes Latin letters with look-alikes, the look-alikes become
  // Latin; a word wholly in Cyrillic or Greek stays, for the rules in those
  // languages. The table and the invisible characters come from the server
  // (rules.json fold).
  const FOLDABLE = /[\u0261\u0370-\u058f]/;
  const LATIN_LETTER = /\p{Script=Latin}/u;
  // folder gives the expressions of the rule file's fold (each compiled
  // once, by regexOf).
  function folder(rule) {
    if (!rule || !rule.lookalikes) return null;
    const inv = rule.invisible || '';
    const look = Object.keys(rule.lookalikes).join('');
    return {
      map: rule.lookalikes,
      invisible: inv ? regexOf('[' + inv + ']', 'u') : null,
      invisibleAll: inv ? regexOf('[' + inv + ']', 'gu') : null,
      word: regexOf('[\\p{L}\\p{M}\\p{N}' + inv + ']+', 'gu'),
      foreign: regexOf('[' + look + ']', 'u'),
      foreignAll: regexOf('[' + look + ']', 'gu'),
    };
  }
  function foldLookalikes(s, f) {
    if (!f || !(FOLDABLE.test(s) || (f.invisible && f.invisible.test(s)))) return s;
    // Whole-word tests, not a loop over each word's letters: a page in
    // Russian is mostly words with look-alikes and no Latin letter.
    return s.replace(f.word, (w) => {
      if (f.invisible && f.invisible.test(w)) w = w.replace(f.invisibleAll, '');
      if (!f.foreign.test(w) || !LATIN_LETTER.test(w.replace(f.foreignAll, ''))) return w;
      return w.replace(f.foreignAll, (ch) => f.map[ch]);
    });
  }

  // Letters of the scripts whose words stand between spaces, as the
  // server's isWordRune: a Latin term is a whole word beside Korean,
  // Chinese or Japanese text ("pc에서", on the PC).
  const WORD = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u;
  // isWord: a letter or digit of those scripts; ASCII without a regular
  // expression.
  function isWord(ch) {
    const c = ch.charCodeAt(0);
    if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    return WORD.test(ch);
  }

  // occurrences returns the [start, end) positions of a term in text. A
  // term ending in '*' matches as a prefix; other terms must stand as whole
  // words when they start or end with a Latin letter or digit. With ix,
  // the index of the text's three-letter runs (gramIndex), only the places
  // of the term's rarest run are looked at; the positions are the same.
  function occurrences(text, term, limit, ix) {
    const out = [];
    let prefix = false, suffix = false;
    if (term.endsWith('*')) { prefix = true; term = term.slice(0, -1); }
    // A leading '*': the end of a word ("*abteilung" in German compounds).
    if (term.length > 1 && term[0] === '*') { suffix = true; term = term.slice(1); }
    if (!term) return out;
    // Edges are checked where the term's own edge is a word's letter, as
    // on the server (Latin, Cyrillic and Greek: "не" is no word of
    // "Негайно").
    const checkStart = !suffix && isWord(term[0]);
    const checkEnd = !prefix && isWord(term[term.length - 1]);
    const take = (i) => {
      const end = i + term.length;
      const okStart = !checkStart || i === 0 || !isWord(text[i - 1]);
      let stop = end;
      if (prefix) while (stop < text.length && isWord(text[stop]) && stop - end < 30) stop++;
      const okEnd = !checkEnd || end >= text.length || !isWord(text[end]);
      if (okStart && okEnd) out.push([i, stop]);
    };
    if (ix && term.length >= 3) {
      const at = rarestRun(ix, term, term.length);
      if (at < 0) return out;
      const gram = ix.gram(term, at);
      for (let j = ix.start[gram]; j < ix.start[gram + 1] && out.length < limit; j++) {
        const i = ix.pos[j] - at;
        if (i >= 0 && text.startsWith(term, i)) take(i);
      }
      return out;
    }
    let i = 0;
    while (out.length < limit) {
      i = text.indexOf(term, i);
      if (i < 0) break;
      take(i);
      i = i + 1;
    }
    return out;
  }

  // Occurrences are cached per text and term within one score() call
  // (rules share term lists: @device, @call …), for each of its texts:
  // rules read the text, the title and the URL in turn.
  let texts = new Map(); // text -> {found: term -> occurrences, ix}
  let lastText = null, last = null; // the text of the call before, most often the same
  function cachedOccurrences(text, term) {
    let t = text === lastText ? last : texts.get(text);
    if (!t) { t = {found: new Map(), ix: text.length >= INDEXED ? gramIndex(text) : null}; texts.set(text, t); }
    lastText = text; last = t;
    // Most terms are nowhere in the text: no cache is needed to say so.
    const n = term.length - (term.endsWith('*') ? 1 : 0);
    if (t.ix && n >= 3 && rarestRun(t.ix, term, n) < 0) return NONE;
    let o = t.found.get(term);
    if (!o) { o = occurrences(text, term, 200, t.ix); t.found.set(term, o); }
    return o;
  }

  // Most of the rules' 3,000 terms are in no page, and searching a long
  // text for each, one after the other, cost most of a score. A text of
  // INDEXED characters or more is indexed once by its three-letter runs
  // (their hashes, in 2^bits buckets, each bucket's places in order).
  const INDEXED = 2048;
  const NONE = Object.freeze([]);
  // rarestRun says where the rarest three-letter run of the first n
  // letters of term (3 or more: a prefix term without its '*') starts, by
  // the indexed text's count of its hash; -1 when one of its runs is
  // nowhere in the text.
  function rarestRun(ix, term, n) {
    let at = 0, fewest = Infinity;
    for (let k = 0; k + 2 < n; k++) {
      const g = ix.gram(term, k);
      const count = ix.start[g + 1] - ix.start[g];
      if (count === 0) return -1;
      if (count < fewest) { fewest = count; at = k; }
    }
    return at;
  }
  function gramIndex(text) {
    const n = Math.max(text.length - 2, 0);
    const bits = Math.min(16, 32 - Math.clz32(n));
    const mask = (1 << bits) - 1;
    // The hash of the run at i, (c0 << 10 ^ c1 << 5 ^ c2) & mask, made as
    // the text is read: the loop runs cold, in a page's new context, where
    // a call per character costs more than the searches it saves.
    const of = new Uint16Array(n);
    const start = new Int32Array(mask + 2);
    let c0 = text.charCodeAt(0), c1 = text.charCodeAt(1);
    for (let i = 0; i < n; i++) {
      const c2 = text.charCodeAt(i + 2);
      const g = ((c0 << 10) ^ (c1 << 5) ^ c2) & mask;
      of[i] = g;
      start[g + 1]++;
      c0 = c1; c1 = c2;
    }
    for (let g = 0; g <= mask; g++) start[g + 1] += start[g];
    const next = start.slice(0, mask + 1);
    const pos = new Int32Array(n);
    for (let i = 0; i < n; i++) pos[next[of[i]]++] = i;
    const gram = (s, i) => ((s.charCodeAt(i) << 10) ^ (s.charCodeAt(i + 1) << 5) ^ s.charCodeAt(i + 2)) & mask;
    return {gram, start, pos};
  }

  function anyOf(text, terms, limit) {
    let all = [];
    for (const t of terms) {
      const o = cachedOccurrences(text, t);
      if (o.length) all = all.concat(o.length > limit ? o.slice(0, limit) : o);
      if (all.length >= limit) break;
    }
    // At one place the longest term first: it is the one a claim is
    // written in ("bel nu": "nu" is its wording there, not a denial).
    return all.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  }

  // As analyze/scope.go's isWideStop: the stops of other scripts need no space.
  const SENTENCE_END = /[.!?]\s|[。！？।॥؟۔]|\n/;

  // nearSpans gives the [start, end) of each place where one term of each
  // list falls within the window (in order when ordered, within one
  // sentence when sentence). Lists are sorted by position, so each term of
  // the first list only looks at the terms of the others that can fall
  // within the window.
  function nearSpans(text, near) {
    const spans = [];
    const lists = near.terms.map((l) => anyOf(text, l, 200));
    if (lists.some((l) => l.length === 0)) return spans;
    const starts = lists.map(() => 0);
    let lastEnd = -1;
    for (const a of lists[0]) {
      if (a[0] < lastEnd) continue;
      let ok = true;
      let start = a[0];
      let end = a[1];
      const own = [a]; // the terms matched, for claim scoping
      for (let k = 1; k < lists.length && ok; k++) {
        ok = false;
        const l = lists[k];
        // Skip the terms that end too far before a.
        while (starts[k] < l.length && l[starts[k]][1] < a[0] - near.window) starts[k]++;
        for (let j = starts[k]; j < l.length; j++) {
          const b = l[j];
          if (b[0] > a[1] + near.window) break;
          if (near.ordered && b[0] < a[1]) continue;
          const gapFrom = Math.min(a[1], b[1]);
          const gapTo = Math.max(a[0], b[0]);
          if (gapTo - gapFrom > near.window) continue;
          if (near.sentence && gapTo > gapFrom && SENTENCE_END.test(text.slice(gapFrom, gapTo))) continue;
          ok = true;
          start = Math.min(start, b[0]);
          end = Math.max(end, b[1]);
          own.push(b);
          break;
        }
      }
      if (ok) { spans.push([start, end, own]); lastEnd = end; }
    }
    return spans;
  }
  const nearCount = (text, near) => nearSpans(text, near).length;

  // --- Claim scoping, as the server's analyze/scope.go --------------------
  // Scam pages assert ("your computer is infected, call now"); help pages,
  // banks and vendors ask, quote, negate and warn ("if your computer is
  // locked, call the IT desk"; "we will never call you"). A claim rule's
  // match counts only where the page asserts it.
  const SENTENCE_MAX = 400; // how far scoping looks around a claim
  const WIDE_STOPS = '。！？।॥؟۔'; // full stops that need no space after them (analyze/scope.go)
  const NEGATION_GAP = 8; // a negation this close before a claim denies it

  // sentenceAround: the bounds of the sentence holding text[start, end)
  // and the character that ends it ('' when none).
  function sentenceAround(text, start, end) {
    const lo = Math.max(start - SENTENCE_MAX, 0);
    let sStart = lo;
    for (let i = start - 1; i >= lo; i--) {
      const c = text[i];
      if (((c === '.' || c === '!' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\n')) || WIDE_STOPS.includes(c)) { sStart = i + 1; break; }
    }
    const hi = Math.min(end + SENTENCE_MAX, text.length);
    for (let i = end; i < hi; i++) {
      const c = text[i];
      if ((c === '.' || c === '!' || c === '?') && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\n')) return [sStart, i + 1, c];
      if (c === '？' || c === '؟') return [sStart, i + 1, '?'];
      if (WIDE_STOPS.includes(c)) return [sStart, i + 1, c];
    }
    return [sStart, hi, ''];
  }

  // quoted: the sentence opens a quotation before at and closes it after.
  const CLOSERS = {'"': '"', '„': '"', '«': '»', '「': '」', '『': '』'};
  function quoted(sentence, at) {
    let closer = '';
    for (const ch of sentence.slice(0, at)) {
      if (closer) { if (ch === closer) closer = ''; continue; }
      closer = CLOSERS[ch] || '';
    }
    return closer !== '' && sentence.slice(at).includes(closer);
  }

  // inIdentifier: text[start, end) is part of a dotted, slashed or
  // underscored name (Win32/Hoax.Renos), not a word of the sentence.
  const JOINS = new Set(['.', '/', '\\', '_', ':']);
  const alnum = (ch) => !!ch && /[a-z0-9]/i.test(ch);
  const inIdentifier = (text, start, end) =>
    (start >= 2 && JOINS.has(text[start - 1]) && alnum(text[start - 2])) ||
    (end + 1 < text.length && JOINS.has(text[end]) && alnum(text[end + 1]));

  // hitsFrom calls fn with each hit of the sorted list that starts in
  // [lo, hi), until fn returns true; it says whether one did.
  function hitsFrom(list, lo, hi, fn) {
    let a = 0;
    let b = list.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (list[m][0] < lo) a = m + 1; else b = m;
    }
    for (let i = a; i < list.length && list[i][0] < hi; i++) if (fn(list[i])) return true;
    return false;
  }

  // notNegation: the negation h is another language's word of the same
  // spelling, told by the word after it (the server's scope.go):
  // Portuguese "no" before a possessive ("no seu PC", on your PC), Dutch
  // "nu" before an article or a possessive ("bel nu onze afdeling", call
  // our department now).
  const NOT_NEGATION = {
    no: /^ *(?:seu|sua|seus|suas|meu|minha|teu|tua|nosso|nossa)(?![a-z0-9])/,
    nu: /^ *(?:onze|ons|uw|je|jouw|de|het|een)(?![a-z0-9])/,
  };
  function notNegation(text, h) {
    const next = NOT_NEGATION[text.slice(h[0], h[1])];
    return !!next && next.test(text.slice(h[1], h[1] + 12));
  }

  // claimScoped says why the claim text[start, end) is not asserted
  // ('question', 'conditional', 'quoted', 'negated', 'advisory') or ''.
  let scopeText = null;
  let scopeHits = new Map();
  function claimScoped(text, start, end, negatable, scopes, own) {
    // Where the scoping words stand, once per text and list.
    if (text !== scopeText) { scopeText = text; scopeHits = new Map(); }
    const hits = (name) => {
      let h = scopeHits.get(name);
      if (!h) { h = anyOf(text, scopes[name] || [], 2048); scopeHits.set(name, h); }
      return h;
    };
    const [sStart, sEnd, term] = sentenceAround(text, start, end);
    if (term === '?') return 'question';
    // Inside the if-clause: the marker before the claim in its sentence
    // with no clause break between ("if your PC is locked, call IT", not
    // "if you close this page, your PC will be locked").
    if (hitsFrom(hits('conditional'), sStart, start, (h) => {
      const between = text.slice(h[1], start);
      return h[1] <= start && !/[,;:]/.test(between) && !between.includes(' then ');
    })) return 'conditional';
    // Or the marker opens a clause inside the claim that holds its end
    // ("your computer runs better than when it got infected").
    if (hitsFrom(hits('conditional'), start + 1, end, (h) => h[1] <= end && !/[,;:]/.test(text.slice(h[1], end)))) return 'conditional';
    if (quoted(text.slice(sStart, sEnd), start - sStart)) return 'quoted';
    // A negation before the claim in its sentence, or inside it ("is not infected").
    // A negation that is part of a term of the claim ("not active") is its
    // wording, not a denial.
    const ownWord = (h) => (own || []).some((t) => h[0] < t[1] && t[0] < h[1]);
    if (negatable && hitsFrom(hits('negation'), sStart, end, (h) => !ownWord(h) && !notNegation(text, h) &&
      ((h[0] > start && h[1] <= end) || (h[1] <= start && start - h[1] <= NEGATION_GAP)))) return 'negated';
    if (hitsFrom(hits('conditional_after'), end, sEnd, (h) => h[1] <= sEnd && !/[,;:、]/.test(text.slice(end, h[0])))) return 'conditional';
    // Advisory words count in the sentence before too.
    const pStart = sStart === 0 ? 0 : sentenceAround(text, Math.max(sStart - 2, 0), Math.max(sStart - 2, 0))[0];
    if (hitsFrom(hits('advisory'), pStart, sEnd, (h) => h[1] <= sEnd && !inIdentifier(text, h[0], h[1]))) return 'advisory';
    return '';
  }

  // regexOf compiles an expression of the rule file with flags once
  // (null when it does not compile).
  const regexCache = new Map();
  function regexOf(src, flags) {
    const key = flags + '/' + src;
    if (!regexCache.has(key)) {
      let re = null;
      try { re = new RegExp(src, flags); } catch (e) { re = null; }
      regexCache.set(key, re);
    }
    return regexCache.get(key);
  }
  // compile: a text rule's expression, with Unicode when it allows it.
  const compile = (src) => regexOf(src, 'gu') || regexOf(src, 'g');

  function weightOf(rule, n) {
    let w = rule.w + (rule.per ? rule.per * (n - 1) : 0);
    if (rule.max) w = Math.min(w, rule.max);
    return w;
  }

  // A phone number as pages print one, in any country: an optional
  // +country code, an optional area code in parentheses, then two to five
  // groups of digits parted by a space, dot or dash, 9 to 13 digits in
  // all (phoneNumber). Years, dates, prices and times have too few digits
  // or no groups. On a page that asks to call, it is the hotline.
  const PHONE_RE = /(?<![\d+])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{2,5}(?:[\s.\-]\d{2,5}){1,4}(?!\d)/g;
  // North American toll-free numbers, also written as ten digits in a row.
  const NANP_FREE = /\(?\b8(?:00|33|44|55|66|77|88)\)?[\s.\-]?\d{3}[\s.\-]?\d{4}\b/g;

  // tollFreeNANP: e164 (as phoneNumber gives it) is a North American
  // toll-free number.
  const tollFreeNANP = (e164) => /^\+18(?:00|33|44|55|66|77|88)\d{7}$/.test(e164);

  // phoneNumber gives a printed number's digits ("+" and the country code
  // when written; +1 for a ten-digit North American number), or "" when
  // it has too few or too many digits to be one.
  function phoneNumber(s) {
    const digits = s.replace(/\D/g, '');
    if (digits.length < 9 || digits.length > 13) return '';
    if (s.trimStart().startsWith('+')) return '+' + digits;
    if (digits.length === 10 && digits[0] >= '2') return '+1' + digits;
    if (digits.length === 11 && digits[0] === '1') return '+' + digits;
    return digits;
  }

  // score scores a page. page: {text, title, url, dialogs: [..],
  // speech: [..], calls: [the hrefs of its call links], progress: it
  // shows a progress bar}; behaviours: a Set or array of behaviour rule
  // IDs.
  function score(rules, page, behaviours) {
    texts = new Map();
    lastText = last = null;
    const fold = folder(rules.fold);
    const surfaces = {
      text: normalize([page.title || '', page.text || ''].join('\n'), fold),
      title: normalize(page.title || '', fold),
      url: normalize(decodeSafe(page.url || ''), fold),
      dialog: normalize((page.dialogs || []).join('\n'), fold),
      speech: normalize((page.speech || []).join('\n'), fold),
    };
    const findings = [];
    for (const rule of rules.text) {
      const names = rule.surfaces && rule.surfaces.length ? rule.surfaces : ['text', 'dialog', 'speech'];
      let n = 0;
      for (const s of names) {
        const t = surfaces[s];
        if (!t) continue;
        // A rule's phrases, near and regex each count, as on the server;
        // a claim only where the page asserts it.
        let spans = [];
        if (rule.phrases) spans = spans.concat(anyOf(t, rule.phrases, 20));
        if (rule.near) spans = spans.concat(nearSpans(t, rule.near));
        if (rule.regex && (!rule.keywords || rule.keywords.some((k) => t.includes(k)))) {
          const re = compile(rule.regex);
          if (re) {
            re.lastIndex = 0;
            for (const m of t.matchAll(re)) {
              spans.push([m.index, m.index + m[0].length]);
              if (spans.length >= 200 || m[0] === '') break;
            }
          }
        }
        if (rule.claim) spans = spans.filter(([a, b, own]) => !claimScoped(t, a, b, rule.negatable, rules.scopes || {}, own));
        n += spans.length;
      }
      if (n > 0) findings.push({id: rule.id, cat: rule.cat, w: weightOf(rule, n), n});
    }
    // Brands and hotlines, which the server finds with its own code.
    const text = surfaces.text + '\n' + surfaces.dialog + '\n' + surfaces.speech;
    const brands = [];
    let brandAt = [];
    for (const [name, terms] of Object.entries(rules.brands || {})) {
      const hits = anyOf(text, terms, 64);
      if (hits.length) { brands.push(name); brandAt = brandAt.concat(hits); }
    }
    const beh = new Set(behaviours || []);
    if (brands.length) beh.add('TSS-BRAND');
    // A fake scan (conversion.go): paths of the visitor's own machine in
    // the text, which no web page can see, and a progress bar beside
    // words saying the machine is being scanned or repaired.
    const conv = rules.conversion;
    if (conv) {
      if (rules.behaviour['TSS-SCAN-SYSTEM-PATHS'] && systemPaths(text, conv.system_path, conv.min_text_paths) >= conv.min_text_paths) {
        beh.add('TSS-SCAN-SYSTEM-PATHS');
      }
      if (page.progress && rules.behaviour['TSS-FAKE-PROGRESS'] && anyOf(text, conv.working || [], 1).length) {
        beh.add('TSS-FAKE-PROGRESS');
      }
    }
    // A number is the page's hotline as on the server: within hl.near
    // characters of a call, support or urgency word or of a brand name,
    // or any number on a page that traps its visitor. One weighs the
    // rule's weight, each further one and a North American toll-free one
    // add its per-match weight, up to its most.
    const hl = rules.hotline || {context: [], near: 0, trapping: []};
    const numbers = []; // [number, where]
    const hotlines = new Set();
    for (const re of [PHONE_RE, NANP_FREE]) {
      for (const m of text.matchAll(re)) {
        const n = phoneNumber(m[0]);
        if (!n) continue;
        hotlines.add(n);
        numbers.push([n, m.index]);
        if (hotlines.size >= 20) break;
      }
    }
    // The context words are looked for only on a page with a number.
    const context = numbers.length && hl.context.length ? anyOf(text, hl.context, 4096) : [];
    const trapped = hl.trapping.some((id) => beh.has(id));
    const near = (hits, at, d = hl.near) => hits.some((h) => Math.abs(h[0] - at) <= d);
    const supported = new Set();
    let tollFree = false;
    for (const [n, at] of numbers) {
      if (trapped || near(context, at) || near(brandAt, at)) {
        supported.add(n);
        tollFree = tollFree || tollFreeNANP(n);
      }
    }
    // The numbers the page's call links dial are its hotlines, wherever
    // the link is (as on the server).
    for (const href of (page.calls || []).slice(0, 20)) {
      const n = phoneNumber(String(href).replace(/^[a-z-]+:/i, '').split(/[?;,]/)[0]);
      if (!n) continue;
      hotlines.add(n);
      supported.add(n);
      tollFree = tollFree || tollFreeNANP(n);
    }
    // A North American number labelled toll-free that is not one: a lie a
    // business has no reason to tell (the server knows every country's
    // toll-free ranges; the device those of North America).
    const fake = rules.behaviour['TSS-HOTLINE-FAKE-TOLLFREE'];
    if (fake && numbers.length && (hl.tollfree || []).length) {
      const labels = anyOf(text, hl.tollfree, 1024);
      if (labels.length && numbers.some(([n, at]) => /^\+1\d{10}$/.test(n) && !tollFreeNANP(n) && near(labels, at, hl.tollfree_near))) {
        findings.push({id: 'TSS-HOTLINE-FAKE-TOLLFREE', cat: fake.cat, w: fake.w, n: 1});
      }
    }
    // A number the page's own URL hands it (?phone=…, #ph=…), the way
    // scam templates swap their numbers: the server's
    // TSS-TEMPLATE-NUMBER-PARAM, read from what the page shows rather
    // than from its code.
    if (rules.behaviour['TSS-TEMPLATE-NUMBER-PARAM'] && hotlines.size && urlNumbers(page.url, rules.number_param).some((u) => [...hotlines].some((n) => sameNumber(u, n)))) {
      beh.add('TSS-TEMPLATE-NUMBER-PARAM');
    }
    const hb = rules.behaviour['TSS-HOTLINE'];
    if (supported.size && hb) {
      // A toll-free number weighs as one more number.
      findings.push({id: 'TSS-HOTLINE', cat: hb.cat, w: weightOf(hb, supported.size + (tollFree ? 1 : 0)), n: supported.size});
    }
    // Code in an obfuscator's shapes counts as the server's
    // TSS-OBFUSCATED only beside scam words or a hotline it would hide.
    const hidden = findings.some((f) => f.cat === 'content' || f.id === 'TSS-HOTLINE');
    for (const id of beh) {
      const b = rules.behaviour[id];
      if (b && (id !== 'TSS-OBFUSCATED' || hidden)) findings.push({id, cat: b.cat, w: b.w, n: 1});
    }
    // Sum per category, damp quoted content on pages about scams, cap.
    const aware = findings.some((f) => f.cat === 'context');
    const damped = new Set(rules.damped || []);
    const perCat = {};
    for (const f of findings) {
      let w = f.w;
      if (aware && damped.has(f.cat)) w *= rules.damping;
      perCat[f.cat] = (perCat[f.cat] || 0) + w;
    }
    let total = 0;
    let kinds = 0;
    for (const [cat, w] of Object.entries(perCat)) {
      const cap = rules.caps[cat];
      const v = cap === undefined ? w : Math.min(w, cap);
      total += v;
      if (v > 0 && cat !== 'brand' && cat !== 'context') kinds++;
    }
    total = Math.round(total * 100) / 100;
    let verdict = 'clean';
    if ((total >= rules.scam && kinds >= (rules.min_categories || 1)) || beh.has('TSS-CALL-AUTODIAL') && kinds >= 2) verdict = 'scam';
    else if (total >= rules.suspicious) verdict = 'suspicious';
    // A brand, a call to action and a scare (blocked, infected, threats
    // found, do not close …), on a page that is not about scams: what a
    // full-screen page must not show. Vendor support pages name a brand
    // and a number but scare nobody.
    const CALLS = new Set(['TSS-TEXT-CALL-SUPPORT', 'TSS-TEXT-CALL-URGENT']);
    const callToAction = findings.some((f) => CALLS.has(f.id));
    const scare = findings.some((f) => f.cat === 'content' && !CALLS.has(f.id) && f.id !== 'TSS-TEXT-LICENSE');
    const risky = brands.length > 0 && callToAction && scare && !aware;
    // A fake alert whose number is not in its text (drawn in a picture,
    // filled in from the URL or after a click): a risky page whose scare
    // claims alone fill the content category's cap. Text cannot say more
    // than that; help, vendor and repair pages stay far below the cap.
    const saturated = risky && verdict !== 'scam' && (perCat.content || 0) >= rules.caps.content;
    if (saturated) verdict = 'scam';
    return {score: total, verdict, kinds, brands, hotlines: [...hotlines], aware, risky, saturated, findings};
  }

  // scorePage scores what content.js read of a page: its visible words
  // (page.text), and its hidden words too (page.hidden: a string, or null
  // when they hold no more than the visible ones) when the visible ones
  // do not make a scam, as the server reads every word; page.canvas is
  // what the page drew, scored as its text. It returns the page's score,
  // r, and that of its hidden words, hidden (r when they were not scored).
  // Its input comes from a page: anything not a string or a list of them
  // counts as empty.
  function scorePage(rules, page) {
    const str = (v) => typeof v === 'string' ? v : '';
    const strings = (a) => Array.isArray(a) ? a.filter((v) => typeof v === 'string') : [];
    const canvas = str(page.canvas);
    const input = (text) => ({
      text: canvas ? text + '\n' + canvas : text, title: str(page.title), url: str(page.url),
      dialogs: strings(page.dialogs), speech: strings(page.speech), calls: strings(page.calls), progress: page.progress === true,
    });
    const behaviours = strings(page.behaviours);
    let r = score(rules, input(str(page.text)), behaviours);
    let hidden = r;
    if (r.verdict !== 'scam' && typeof page.hidden === 'string') {
      hidden = score(rules, input(page.hidden), behaviours);
      if (hidden.verdict === 'scam') r = hidden;
    }
    return {r, hidden};
  }

  // systemPaths counts the distinct paths of the visitor's machine
  // (pattern, the server's systemPath) in text, up to enough.
  const PATH_MARK = /[a-z]:\\|hkey_|hk(?:lm|cu)\\|\/(?:system|library|private|usr)\//i;
  function systemPaths(text, pattern, enough) {
    const re = pattern && PATH_MARK.test(text) ? regexOf(pattern, 'gi') : null;
    if (!re) return 0;
    const seen = new Set();
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      seen.add(m[0].toLowerCase());
      if (seen.size >= enough || m[0] === '') break;
    }
    return seen.size;
  }

  // obfuscatorShapes says whether code was put through the string-array
  // obfuscator scam kits use (javascript-obfuscator): its _0x names, its
  // !![] for true, or the rotation of its string array at start-up,
  // a['push'](a['shift']()). These are the strongest of the server's
  // signs of obfuscation (analyze/js LooksObfuscated); its weaker ones
  // (eval, atob, escapes, base64, packers) are common in pages' own
  // analytics code, and the device cannot see whether the scam words
  // were hidden behind them.
  const ROTATES = /\[(['"])push\1\]\([^]{0,24}?\[\1shift\1\]\(\)/;
  const OBF_TRUE = /!!\[\](?![.[])/;
  function obfuscatorShapes(code) {
    if (!code) return false;
    if (ROTATES.test(code) || OBF_TRUE.test(code)) return true;
    let names = 0;
    for (let i = code.indexOf('_0x'); i >= 0 && names < 8; i = code.indexOf('_0x', i + 3)) names++;
    return names >= 8;
  }

  // urlNumbers gives the digits of the values of url's query and
  // fragment parameters named for a phone number (pattern, the server's
  // numberParam; digits standing for letters read as letters, as in
  // ph0ne), 7 to 15 digits each.
  const LEET = {0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't'};
  function urlNumbers(url, pattern) {
    const re = url && pattern ? regexOf(pattern, 'i') : null;
    if (!re) return [];
    let u;
    try { u = new URL(url); } catch (e) { return []; }
    const out = [];
    const read = (params) => {
      for (const [name, value] of params) {
        if (out.length >= 20) break;
        if (!re.test(name) && !re.test(name.replace(/[013457]/g, (d) => LEET[d]))) continue;
        const digits = value.replace(/\D/g, '');
        if (digits.length >= 7 && digits.length <= 15) out.push(digits);
      }
    };
    read(u.searchParams);
    if (u.hash.includes('=')) read(new URLSearchParams(u.hash.slice(1)));
    return out;
  }

  // sameNumber: digits from a URL and a number on the page are the same
  // number, one perhaps with its country code.
  function sameNumber(digits, number) {
    const n = number.replace(/\D/g, '');
    return n === digits || (n.endsWith(digits) && digits.length >= 9) || (digits.endsWith(n) && n.length >= 9);
  }

  function decodeSafe(s) {
    try { return decodeURIComponent(s); } catch (e) { return s; }
  }

  const api = {normalize, reversed, folder, occurrences, gramIndex, rarestRun, nearCount, score, scorePage, tollFreeNANP, systemPaths, obfuscatorShapes};
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.TSSScorer = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
