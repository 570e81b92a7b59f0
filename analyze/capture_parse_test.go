package analyze

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// A page captured with ParseForCapture is the page captured without it:
// same documents, same scripts and style sheets, same notes, over the
// fixtures and the shared corpus; and its analysis takes the parse over
// and reports what a fresh parse reports.
func TestParseForCaptureCapturesTheSame(t *testing.T) {
	dirs := testdirs.All()
	ctx := context.Background()
	e := mustEngine(t, Options{NoFastPath: true})
	pages, taken := 0, 0
	for _, p := range corpusPages(t, dirs...) {
		en, opts := p.Entry, p.Opts
		plain, err := capture.FromFile(ctx, p.Path, opts)
		if err != nil {
			continue
		}
		opts.Parse = ParseForCapture
		parsed, err := capture.FromFile(ctx, p.Path, opts)
		if err != nil {
			t.Errorf("%s: %v with Parse, none without", en.File, err)
			continue
		}
		pages++
		for i := range parsed.Documents {
			if parsed.Documents[i].Parsed != nil {
				taken++
			}
			parsed.Documents[i].Parsed = nil
		}
		plain.Took, parsed.Took = 0, 0
		if !reflect.DeepEqual(plain, parsed) {
			t.Errorf("%s: the capture differs with Parse", en.File)
			continue
		}
		// Again with the parse kept: the analysis takes it over.
		again, _ := capture.FromFile(ctx, p.Path, opts)
		a, b := e.Analyze(ctx, again), e.Analyze(ctx, plain)
		if a.Verdict != b.Verdict || a.Score != b.Score || !reflect.DeepEqual(ruleIDs(a), ruleIDs(b)) {
			t.Errorf("%s: %s %.1f %v when the analysis takes the capture's parse over, %s %.1f %v when it parses", en.File, a.Verdict, a.Score, ruleIDs(a), b.Verdict, b.Score, ruleIDs(b))
		}
	}
	t.Logf("%d pages, %d documents parsed at capture", pages, taken)
	if taken == 0 {
		t.Fatal("no document was parsed at capture")
	}
}

func ruleIDs(r *Report) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule)
	}
	return ids
}

// ParseForCapture lists what capture.References lists, on any bytes.
func FuzzParseForCapture(f *testing.F) {
	f.Add([]byte(`<script src=a.js></script><link rel=stylesheet href=b.css><iframe src=c>`))
	f.Add([]byte("<script src='\x00'>"))
	f.Add([]byte(`<iframe srcdoc="<script src=x.js></script>"></iframe><base href=/k/><noscript><script src=n.js>`))
	f.Add([]byte(`<script>"</script><script src=b.js>`))
	f.Add([]byte(`<SCRIPT SRC=" a.js " src=b.js></SCRIPT><frame src=f><link REL="Alternate StyleSheet" href=s.css><base href=""><base href=x>`))
	f.Add([]byte(`<title><script src=t.js></title><textarea><script src=ta.js></textarea><style><script src=s.js></style><!-- <script src=c.js> --><script src=ok.js>`))
	f.Add([]byte(strings.Repeat(`<script src=x.js a=1>`, capture.MaxRefs+3)))
	f.Fuzz(func(t *testing.T, b []byte) {
		refs, _, _, ok := ParseForCapture(b)
		if !ok {
			return
		}
		want := capture.AllReferences(b)
		if len(refs) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(refs, want) {
			t.Fatalf("ParseForCapture lists %+v, References %+v", refs, want)
		}
	})
}

// A page fetched with ParseForCapture is the page fetched without it.
func TestParseForCaptureFetchesTheSame(t *testing.T) {
	dir := testdirs.Fixtures()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	f := capture.NewFetcher(policy)
	ctx := context.Background()
	pages, taken, resources := 0, 0, 0
	for _, en := range entries {
		if !en.IsPage() || pages >= 40 {
			continue
		}
		u := srv.URL + "/" + filepath.ToSlash(en.File)
		plain, err := f.Capture(ctx, u, capture.Options{})
		if err != nil {
			continue
		}
		parsed, err := f.Capture(ctx, u, capture.Options{Parse: ParseForCapture})
		if err != nil {
			t.Errorf("%s: %v with Parse, none without", en.File, err)
			continue
		}
		pages++
		for i := range parsed.Documents {
			if parsed.Documents[i].Parsed != nil {
				taken++
			}
			parsed.Documents[i].Parsed = nil
		}
		resources += len(parsed.Resources)
		plain.Took, parsed.Took = 0, 0
		if !reflect.DeepEqual(plain, parsed) {
			t.Errorf("%s: the fetched capture differs with Parse", en.File)
		}
	}
	t.Logf("%d pages fetched, %d documents parsed at capture, %d resources", pages, taken, resources)
	if pages == 0 || taken == 0 || resources == 0 {
		t.Fatal("nothing fetched, parsed or referenced")
	}
}
