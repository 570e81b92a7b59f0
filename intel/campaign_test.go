package intel

import (
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// TestCorpusCampaignLinking measures campaigns against the corpus's kit
// column: scam pages of one kit must share a campaign, pages of different
// kits must not. Each page's site is its source repository (one
// operator's deployment, as a domain is in production). It prints pairwise
// precision and recall, with and without template links, and requires 0.9
// for both in the default configuration.
func TestCorpusCampaignLinking(t *testing.T) {
	pages := scamPages(t)
	for _, c := range []struct {
		name      string
		threshold float64
		guard     bool
		noSite    bool
	}{
		{"default (files, site, templates)", DefaultTemplateLink, true, false},
		{"files and site only", 0, false, false},
		{"files and templates, no site", DefaultTemplateLink, false, true},
		{"templates at 0.5", 0.5, false, false},
	} {
		l := NewLinker(LinkOptions{TemplateThreshold: c.threshold})
		for _, p := range pages {
			site := p.Entry.Repo
			if c.noSite {
				site = ""
			}
			l.Add(Page{ID: p.Entry.File, Site: site, Files: KitFiles(p.Cap), Template: p.Sig})
		}
		m := pairwise(pages, func(i int) string { return l.Campaign(pages[i].Entry.File) })
		t.Logf("%-34s pairwise precision %.3f (%d/%d), recall %.3f (%d/%d)", c.name, m.precision(), m.tp, m.sameCluster, m.recall(), m.tp, m.sameKit)
		if c.guard && (m.precision() < targetPR || m.recall() < targetPR) {
			t.Errorf("%s: pairwise precision %.3f, recall %.3f: want ≥ %.2f", c.name, m.precision(), m.recall(), targetPR)
		}
	}
}

// TestKitFiles: small files and libraries do not link pages.
func TestKitFiles(t *testing.T) {
	locker := strings.Repeat("document.onkeydown=function(){return false};\n", 10)
	c := &capture.Capture{Resources: []capture.Resource{
		{Kind: capture.KindScript, Body: []byte(locker)},
		{Kind: capture.KindScript, Body: []byte("navigator.keyboard.lock();")},
		{Kind: capture.KindScript, Body: []byte("/*! jQuery v3.7.1 | (c) OpenJS Foundation | jquery.org/license */" + locker)},
		{Kind: capture.KindStylesheet, Body: []byte(locker)}, // the same bytes: one file
	}}
	if got := KitFiles(c); len(got) != 1 {
		t.Errorf("KitFiles = %v, want the locker alone", got)
	}
}

// TestLinkerKeepsOlderName: merging keeps the older campaign's ID.
func TestLinkerKeepsOlderName(t *testing.T) {
	l := NewLinker(LinkOptions{})
	a := l.Add(Page{ID: "a", Site: "one.example", Files: []string{"f1"}})
	b := l.Add(Page{ID: "b", Site: "two.example", Files: []string{"f2"}})
	if a == b {
		t.Fatal("unrelated pages share a campaign")
	}
	if c, merged := l.Link(Page{ID: "c", Site: "three.example", Files: []string{"f2", "f1"}}); c != a || len(merged) != 1 || merged[0] != b {
		t.Errorf("bridge page got %s merging %v, want the older %s merging %s", c, merged, a, b)
	}
	if l.Campaign("b") != a {
		t.Errorf("b not merged into %s", a)
	}
	if again := l.Add(Page{ID: "b"}); again != a {
		t.Errorf("re-adding b gave %s", again)
	}
}

// TestCorpusBenignJoinsNoCampaign: no benign page of the corpus links to a
// scam campaign.
func TestCorpusBenignJoinsNoCampaign(t *testing.T) {
	all := corpusPages(t)
	l := NewLinker(LinkOptions{TemplateThreshold: DefaultTemplateLink})
	scam := map[string]bool{}
	for _, p := range scamPages(t) {
		scam[l.Add(Page{ID: p.Entry.File, Site: p.Entry.Repo, Files: KitFiles(p.Cap), Template: p.Sig})] = true
	}
	for _, b := range all {
		if b.Entry.Label != "benign" {
			continue
		}
		if c := l.Add(Page{ID: b.Entry.File, Site: b.Entry.Repo, Files: KitFiles(b.Cap), Template: b.Sig}); scam[c] {
			t.Errorf("benign %s joins scam campaign %s", b.Entry.File, c)
		}
	}
}

func TestPageRoundTrip(t *testing.T) {
	p := Page{Site: "scam.example", Files: []string{"aa", "bb"}, Template: FingerprintHTML([]byte("<p>Call Microsoft support now</p>"))}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParsePage(b)
	if err != nil || got.Site != p.Site || len(got.Files) != 2 || got.Files[1] != "bb" || got.Template != p.Template {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for i := range b {
		if _, err := ParsePage(b[:i]); err == nil {
			t.Fatalf("truncated at %d parsed", i)
		}
	}
}

// FuzzParsePage: stored pages come back from the database; a damaged one
// gives an error, never a panic, and what parses re-encodes to itself.
func FuzzParsePage(f *testing.F) {
	p := Page{Site: "scam.example", Files: []string{"aa"}, Template: FingerprintHTML([]byte("<p>Call now</p>"))}
	b, _ := p.MarshalBinary()
	f.Add(b)
	f.Add([]byte("TPG1\x00\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePage(b)
		if err != nil {
			return
		}
		again, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParsePage(again)
		if err != nil || q.Site != p.Site || len(q.Files) != len(p.Files) || q.Template != p.Template {
			t.Fatalf("re-encoding changed the page: %+v %v", q, err)
		}
	})
}
