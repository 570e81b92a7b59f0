package intel

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
)

// Synthetic deployments of the corpus kits: what a new operator changes
// when reusing a kit page. Swaps are deterministic per variant number.
var (
	reDigits = regexp.MustCompile(`[0-9]+`)
	reHost   = regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|dev|app|xyz|info|site|online|top|us|co|live|pages\.dev)\b`)
	reParam  = regexp.MustCompile(`([?&][A-Za-z_][A-Za-z0-9_]*=)[^&"'\s<>]*`)
	words    = [][]byte{[]byte("urgent"), []byte("warning"), []byte("device"), []byte("immediately"), []byte("technician"), []byte("blocked"), []byte("security"), []byte("support")}
)

// span is a part of a source document a new operator would change.
type span struct {
	start, end int
	kind       byte // 'p' URL parameter value, 'h' host, 'd' digits, 'w' word
}

// plan finds the spans of a document once, so that making each variant is
// a linear copy: the regular expressions would cost more than the
// fingerprint being measured.
func plan(doc []byte) []span {
	taken := make([]bool, len(doc))
	var spans []span
	mark := func(kind byte, locs [][]int) {
		for _, l := range locs {
			a, b := l[0], l[1]
			if a < 0 || a == b || slices.Contains(taken[a:b], true) {
				continue
			}
			for i := a; i < b; i++ {
				taken[i] = true
			}
			spans = append(spans, span{a, b, kind})
		}
	}
	var values [][]int // the value after "?name="
	for _, l := range reParam.FindAllSubmatchIndex(doc, -1) {
		values = append(values, []int{l[3], l[1]})
	}
	mark('p', values)
	mark('h', reHost.FindAllIndex(doc, -1))
	mark('d', reDigits.FindAllIndex(doc, -1))
	mark('w', wordSpans(doc))
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	return spans
}

// synthesize returns a copy of src with new numbers, host names, URL
// parameter values and about 3% of its visible words replaced. Resources
// are shared with src (kit files are what operators copy unchanged).
func synthesize(src *capture.Capture, spans []span, n int) *capture.Capture {
	r := rand.New(rand.NewPCG(uint64(n), 0x7e57))
	doc := src.Documents[0].Body
	out := make([]byte, 0, len(doc)+len(doc)/8)
	at := 0
	for _, sp := range spans {
		out = append(out, doc[at:sp.start]...)
		at = sp.start
		switch sp.kind {
		case 'p':
			out = fmt.Appendf(out, "%x", r.Uint32())
		case 'h':
			out = fmt.Appendf(out, "h%d-%x.example", r.IntN(1000), r.Uint32()&0xffff)
		case 'd':
			for range sp.end - sp.start {
				out = append(out, byte('0'+r.IntN(10)))
			}
		case 'w':
			if r.IntN(100) >= 3 {
				continue // this word stays
			}
			out = append(out, words[r.IntN(len(words))]...)
		}
		at = sp.end
	}
	out = append(out, doc[at:]...)
	c := *src
	c.Documents = append([]capture.Document{{URL: src.Documents[0].URL, Frame: "main", Body: out}}, src.Documents[1:]...)
	return &c
}

// wordSpans are the words (4 or more letters and digits) of text outside
// tags, scripts and style sheets.
func wordSpans(doc []byte) [][]int {
	var out [][]int
	inTag, raw := false, false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		switch {
		case c == '<':
			inTag = true
			rest := bytes.ToLower(doc[i+1 : min(len(doc), i+8)])
			if bytes.HasPrefix(rest, []byte("script")) || bytes.HasPrefix(rest, []byte("style")) {
				raw = true
			} else if bytes.HasPrefix(rest, []byte("/script")) || bytes.HasPrefix(rest, []byte("/style")) {
				raw = false
			}
		case c == '>':
			inTag = false
		case !inTag && !raw && isAlnum(c) && (i == 0 || !isAlnum(doc[i-1])):
			j := i
			for j < len(doc) && isAlnum(doc[j]) {
				j++
			}
			if j-i >= 4 {
				out = append(out, []int{i, j})
			}
			i = j - 1
		}
	}
	return out
}

// variantsResult fingerprints and clusters the corpus scam pages and
// total synthetic variants of them (sources first), and returns the share
// of variants in their source's campaign and the time spent
// fingerprinting and clustering.
func variantsResult(pages []corpusPage, total int) (share float64, took time.Duration, pagesDone int) {
	// The production path: a template signature and kit files per page,
	// linked into campaigns. Each variant sits on a new site of its own,
	// as operators swap hosts.
	start := time.Now()
	cl := NewLinker(LinkOptions{TemplateThreshold: DefaultTemplateLink})
	page := func(id string, c *capture.Capture) Page {
		return Page{ID: id, Site: id + ".example", Files: KitFiles(c), Template: Fingerprint(c)}
	}
	for _, p := range pages {
		cl.Add(page(p.Entry.File, p.Cap))
	}
	took = time.Since(start)
	spans := make([][]span, len(pages))
	for i, p := range pages {
		spans[i] = plan(p.Cap.Documents[0].Body)
	}
	same := 0
	for n := range total {
		src := pages[n%len(pages)]
		v := synthesize(src.Cap, spans[n%len(pages)], n)
		t0 := time.Now()
		camp := cl.Add(page(fmt.Sprint("variant-", n), v))
		took += time.Since(t0)
		if camp == cl.Campaign(src.Entry.File) {
			same++
		}
	}
	return float64(same) / float64(max(total, 1)), took, len(pages) + total
}

// TestVariantsJoinSource: synthetic redeployments of every corpus scam
// page land in their source page's campaign.
func TestVariantsJoinSource(t *testing.T) {
	pages := scamPages(t)
	share, _, _ := variantsResult(pages, 5*len(pages))
	t.Logf("synthetic variants in their source's campaign: %.3f", share)
	if share < 0.95 {
		t.Errorf("only %.3f of the variants joined their source's campaign, want >= 0.95", share)
	}
}

// BenchmarkFingerprintCluster fingerprints the corpus scam pages and
// 10,000 synthetic variants and links them into campaigns. ns/page counts
// fingerprinting, kit-file hashing and linking, not making the variants.
func BenchmarkFingerprintCluster(b *testing.B) {
	pages := scamPages(b)
	b.ReportAllocs()
	var took time.Duration
	var n int
	var share float64
	for b.Loop() {
		var t time.Duration
		var done int
		share, t, done = variantsResult(pages, 10000)
		took += t
		n += done
	}
	if share < 0.95 {
		b.Fatalf("only %.3f of the variants joined their source's campaign, want >= 0.95", share)
	}
	b.ReportMetric(float64(took.Nanoseconds())/float64(n), "ns/page")
	b.ReportMetric(share, "joined-source")
}

// BenchmarkFingerprint is one corpus page at a time.
func BenchmarkFingerprint(b *testing.B) {
	pages := scamPages(b)
	var size int64
	for _, p := range pages {
		size += int64(len(p.Cap.Documents[0].Body))
	}
	b.SetBytes(size / int64(len(pages)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Fingerprint(pages[i%len(pages)].Cap)
		i++
	}
}
