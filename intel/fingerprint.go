package intel

import (
	"bytes"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/tssguard/tssguard/capture"
)

// Bounds on the work one page can cause: a hostile page may be 50 MB of
// nested tags or binary junk. Kits are small; what lies past these limits
// is padding, and ignoring it keeps Fingerprint linear and its memory flat.
const (
	maxDocBytes    = 4 << 20  // of the top document
	maxTags        = 20000    // start tags read for the DOM section
	maxWords       = 20000    // words of visible text
	maxCodes       = 64       // scripts and style sheets, inline and external
	maxCodeBytes   = 1 << 20  // of each script or style sheet
	libraryBytes   = 64 << 10 // larger external files are libraries or frameworks
	maxCodeTokens  = 100000   // of each script or style sheet
	maxHandlerCode = 64 << 10
	maxClasses     = 8
)

// Shingle widths and the per-script sample size.
const (
	domShingle  = 4  // consecutive start tags
	textShingle = 3  // consecutive words
	codeShingle = 5  // consecutive code tokens
	codeSample  = 64 // smallest shingle hashes kept per script (bottom-k)
)

// Fingerprint computes the template fingerprint of a page from its top
// document and the scripts and style sheets that document references.
//
// Three kinds of evidence go into separate sections of the signature,
// because they differ in size by orders of magnitude and one would
// otherwise drown the others:
//   - dom: shingles of consecutive start tags, each tag with its sorted,
//     normalised class names;
//   - text: shingles of three normalised words of visible text;
//   - code: for every inline or external script and style sheet, a hash of
//     its whole normalised token stream and a bounded sample of its token
//     shingles (so a 90 kB library weighs no more than a 2 kB locker), plus
//     the file names of external ones, which survive even when the file
//     itself could not be read.
//
// Numbers, URLs, host names, URL parameters and long opaque tokens are
// normalised away (see wordTokens, codeTokens), so pages of one kit
// deployed by different operators get near-identical signatures.
// Fingerprint never fails; a page with nothing readable gets an empty
// signature, which is similar to nothing.
func Fingerprint(c *capture.Capture) Signature {
	var s Signature
	var doc []byte
	if c != nil && len(c.Documents) > 0 {
		doc = c.Documents[0].Body
	}
	b := newBuilder(&s)
	b.document(doc[:min(len(doc), maxDocBytes)])
	if c != nil {
		for _, r := range c.Resources {
			if r.Doc != 0 || (r.Kind != capture.KindScript && r.Kind != capture.KindStylesheet) {
				continue
			}
			b.fileName(r.Ref)
			// A kit's own code is small; a large file is a library or
			// framework (often renamed) shared by unrelated pages, so
			// only its name counts.
			if len(r.Body) > 0 && len(r.Body) <= libraryBytes {
				b.code(r.Body)
			}
		}
	}
	b.finish()
	return s
}

// FingerprintHTML is Fingerprint for a bare HTML document without external
// files.
func FingerprintHTML(doc []byte) Signature {
	return Fingerprint(&capture.Capture{Documents: []capture.Document{{Frame: "main", Body: doc}}})
}

// builder accumulates the three sections of one signature.
type builder struct {
	s        *Signature
	m        [numSections]minhash
	codes    int
	tags     [domShingle]uint64
	ntags    int
	words    [textShingle]uint64
	nwords   int
	handlers []byte
	sample   []uint64 // reused by code
	tmpBuf   []byte
}

func newBuilder(s *Signature) *builder {
	b := &builder{s: s}
	for i, sec := range sections {
		b.m[i] = newMinhash(s.Mins[sec.off : sec.off+sec.size])
	}
	return b
}

func (b *builder) finish() {
	if b.ntags > 0 && b.ntags < domShingle {
		b.addShingle(secDOM, b.tags[:b.ntags])
	}
	if b.nwords > 0 && b.nwords < textShingle {
		b.addShingle(secText, b.words[:b.nwords])
	}
	if len(b.handlers) > 0 {
		b.code1(b.handlers)
	}
	for i, m := range b.m {
		b.s.Sizes[i] = uint32(min(m.n, 1<<31))
	}
}

// addShingle folds the hash of a window of tokens into section sec.
func (b *builder) addShingle(sec int, window []uint64) {
	h := uint64(sec + 1)
	for _, t := range window {
		h = combine(h, t)
	}
	b.m[sec].add(h, sections[sec].off)
}

// pushTag and pushWord slide a shingle window by one token and add it.
func (b *builder) pushTag(t uint64) {
	copy(b.tags[:], b.tags[1:])
	b.tags[domShingle-1] = t
	b.ntags++
	if b.ntags >= domShingle {
		b.addShingle(secDOM, b.tags[:])
	}
}

func (b *builder) pushWord(t uint64) {
	copy(b.words[:], b.words[1:])
	b.words[textShingle-1] = t
	b.nwords++
	if b.nwords >= textShingle {
		b.addShingle(secText, b.words[:])
	}
}

// document reads one HTML document with the tokenizer: linear, no tree, so
// deep nesting costs nothing.
func (b *builder) document(doc []byte) {
	if len(doc) == 0 {
		return
	}
	z := html.NewTokenizer(bytes.NewReader(doc))
	raw := "" // the raw-text element whose content comes next
	for b.ntags < maxTags || b.nwords < maxWords {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			raw = ""
			tag := string(name)
			var class []byte
			external := false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch {
				case string(k) == "class" && class == nil:
					class = v
				case string(k) == "src" && tag == "script":
					external = true
				case len(k) > 2 && k[0] == 'o' && k[1] == 'n' || bytes.HasPrefix(bytes.TrimSpace(v), []byte("javascript:")):
					// Event handlers are kit code, gathered into one script.
					if len(b.handlers)+len(v) < maxHandlerCode {
						b.handlers = append(append(b.handlers, v...), ';', '\n')
					}
				}
			}
			if b.ntags < maxTags {
				b.pushTag(b.tagToken(tag, class))
			}
			if tt == html.StartTagToken {
				switch tag {
				case "script":
					if !external {
						raw = tag
					} else {
						raw = "skip"
					}
				case "style":
					raw = tag
				case "noscript", "iframe", "noembed", "noframes", "xmp":
					raw = "skip" // not shown when scripts run
				}
			}
		case html.EndTagToken:
			raw = ""
		case html.TextToken:
			switch raw {
			case "script", "style":
				b.code(z.Text())
			case "skip":
			default:
				if b.nwords < maxWords {
					wordTokens(z.Text(), maxWords-b.nwords, b.pushWord)
				}
			}
		}
	}
}

// tagToken is a tag name with its sorted, normalised class names.
func (b *builder) tagToken(tag string, class []byte) uint64 {
	h := hashString(tag)
	if len(class) == 0 {
		return h
	}
	var names [maxClasses]uint64
	n := 0
	for _, f := range bytes.Fields(class) {
		if n == maxClasses {
			break
		}
		names[n] = b.nameHash(f)
		n++
	}
	slices.Sort(names[:n])
	for _, c := range slices.Compact(names[:n]) {
		h = combine(h, c)
	}
	return h
}

// nameHash normalises a class or file name: its letter runs kept and
// lower-cased, digit-bearing runs ("a3f9", "2024") folded to one
// placeholder, overlong runs to another, separators dropped.
func (b *builder) nameHash(name []byte) uint64 {
	h := uint64(fnvOffset)
	lastNum := false
	for i := 0; i < len(name); {
		if !isAlnum(name[i]) {
			i++
			continue
		}
		j, digit := i, false
		for j < len(name) && isAlnum(name[j]) {
			digit = digit || '0' <= name[j] && name[j] <= '9'
			j++
		}
		var t uint64
		switch {
		case j-i > maxWordLen:
			t = tokLong
		case digit:
			if lastNum {
				i = j
				continue
			}
			t = tokNum
		default:
			b.tmpBuf = append(b.tmpBuf[:0], bytes.ToLower(name[i:j])...)
			t = hashBytes(b.tmpBuf)
		}
		lastNum = digit
		h = combine(h, t)
		i = j
	}
	return h
}

// fileName adds the normalised base name of an external file reference
// (path only: the query string carries the operator's parameters).
func (b *builder) fileName(ref string) {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(strings.ToLower(ref), "data:") {
		return
	}
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		ref = ref[:i]
	}
	ref = strings.TrimRight(ref, "/")
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		ref = ref[i+1:]
	}
	if ref == "" {
		return
	}
	b.m[secCode].add(combine(hashString("\x00file"), b.nameHash([]byte(ref))), sections[secCode].off)
}

// code adds one script or style sheet, if the page has not had too many.
func (b *builder) code(src []byte) {
	if b.codes >= maxCodes {
		return
	}
	b.codes++
	b.code1(src)
}

// code1 adds the whole-body hash and the bottom-k sample of shingles of
// one script or style sheet.
func (b *builder) code1(src []byte) {
	src = src[:min(len(src), maxCodeBytes)]
	var window [codeShingle]uint64
	n := 0
	whole := hashString("\x00code")
	b.sample = b.sample[:0]
	codeTokens(src, maxCodeTokens, func(t uint64) {
		whole = combine(whole, t)
		copy(window[:], window[1:])
		window[codeShingle-1] = t
		n++
		if n >= codeShingle {
			h := uint64(secCode + 1)
			for _, w := range window {
				h = combine(h, w)
			}
			b.sample = append(b.sample, h)
			if len(b.sample) >= 8*codeSample {
				b.sample = bottomK(b.sample, codeSample)
			}
		}
	})
	if n == 0 {
		return
	}
	if n < codeShingle {
		h := uint64(secCode + 1)
		for _, w := range window[codeShingle-n:] {
			h = combine(h, w)
		}
		b.sample = append(b.sample, h)
	}
	off := sections[secCode].off
	b.m[secCode].add(whole, off)
	for _, h := range bottomK(b.sample, codeSample) {
		b.m[secCode].add(h, off)
	}
}

// bottomK keeps the k smallest distinct values of s, in place.
func bottomK(s []uint64, k int) []uint64 {
	slices.Sort(s)
	s = slices.Compact(s)
	return s[:min(len(s), k)]
}
