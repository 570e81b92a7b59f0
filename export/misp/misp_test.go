package misp

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/export"
)

var (
	t0  = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	gen = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
)

func testMeta() export.Meta { return export.Meta{Title: "test", Generated: gen, TLP: "green"} }

func testSource() export.Slice {
	return export.Slice{
		Camps: []export.Campaign{{ID: "c1", Name: "Fake Defender", Brand: "Microsoft", FirstSeen: t0.Add(-48 * time.Hour), LastSeen: t0}},
		Items: []export.Indicator{
			{Kind: export.Domain, Value: "scam.example", Verdict: "scam", FirstSeen: t0, LastSeen: t0.Add(time.Hour), Campaign: "c1", Evidence: "fake BSOD"},
			{Kind: export.URL, Value: "https://scam.example/alert?x=1", Verdict: "suspicious", FirstSeen: t0, LastSeen: t0, Campaign: "c1"},
			{Kind: export.Number, Value: "+18005551234", Verdict: "scam", FirstSeen: t0, LastSeen: t0, Campaign: "c1", NumberType: "toll_free", Region: "US"},
			{Kind: export.Domain, Value: "lone.example", Verdict: "scam", FirstSeen: t0, LastSeen: t0},
			{Kind: export.URL, Value: "trusted.example/s?q=", Verdict: "scam", FirstSeen: t0.Add(24 * time.Hour), LastSeen: t0.Add(24 * time.Hour)},
			{Kind: export.Number, Value: "+442071234567", Verdict: "scam", FirstSeen: t0, LastSeen: t0, Campaign: "ghost"},
			{Kind: export.Domain, Value: "expired.example", Verdict: "scam", FirstSeen: t0, LastSeen: t0, Expires: gen.Add(-time.Minute), Campaign: "c1"},
			{Kind: export.Domain, Value: "expired2.example", Verdict: "scam", FirstSeen: t0, Expires: gen},
		},
	}
}

var (
	uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	dateRE = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
	digits = regexp.MustCompile(`^\d+$`)
)

type eventFile struct {
	Event struct {
		UUID, Info, Date, Timestamp, Analysis string
		ThreatLevelID                         string `json:"threat_level_id"`
		PublishTimestamp                      string `json:"publish_timestamp"`
		Published                             bool
		Orgc                                  Orgc
		Tag                                   []Tag
		Attribute                             []map[string]any
	}
}

func build(t *testing.T) *Feed {
	t.Helper()
	f, err := Build(context.Background(), testSource(), testMeta())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFeed(t *testing.T) {
	feed := build(t)
	files := feed.Files()
	var manifest map[string]ManifestEntry
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	var events []string
	for name := range files {
		if name != "manifest.json" && name != "hashes.csv" {
			events = append(events, strings.TrimSuffix(name, ".json"))
		}
	}
	slices.Sort(events)
	if keys := slices.Sorted(maps.Keys(manifest)); !slices.Equal(keys, events) {
		t.Fatalf("manifest lists %v, event files are %v", keys, events)
	}
	// c1, the unlisted campaign "ghost", and two days of unclustered indicators.
	if len(events) != 4 {
		t.Errorf("%d events, want 4", len(events))
	}

	wantHashes := map[string]bool{}
	values := map[string]string{} // value -> type
	for _, id := range events {
		var ef eventFile
		if err := json.Unmarshal(files[id+".json"], &ef); err != nil {
			t.Fatalf("%s.json: %v", id, err)
		}
		e := ef.Event
		if e.UUID != id || !uuidRE.MatchString(e.UUID) || e.Info == "" || !dateRE.MatchString(e.Date) ||
			!digits.MatchString(e.Timestamp) || !digits.MatchString(e.PublishTimestamp) || !e.Published ||
			e.Orgc != Org || !uuidRE.MatchString(e.Orgc.UUID) || e.Analysis != "1" {
			t.Errorf("event %s: %+v", id, e)
		}
		m := manifest[id]
		if m.Info != e.Info || m.Date != e.Date || m.Orgc != e.Orgc || !slices.Equal(m.Tag, e.Tag) || m.Timestamp != gen.Unix() {
			t.Errorf("manifest entry %+v does not match event %+v", m, e)
		}
		if !slices.Contains(e.Tag, Tag{Name: "tlp:green"}) {
			t.Errorf("event %s tags %v", id, e.Tag)
		}
		if len(e.Attribute) == 0 {
			t.Errorf("event %s is empty", id)
		}
		for _, a := range e.Attribute {
			typ, _ := a["type"].(string)
			cat, _ := a["category"].(string)
			val, _ := a["value"].(string)
			want := map[string]string{"domain": "Network activity", "url": "Network activity", "phone-number": "Financial fraud"}[typ]
			if want == "" || cat != want || val == "" || !uuidRE.MatchString(a["uuid"].(string)) || !digits.MatchString(a["timestamp"].(string)) {
				t.Errorf("attribute %v", a)
			}
			if _, ok := a["to_ids"].(bool); !ok {
				t.Errorf("attribute %v: to_ids is not a boolean", a)
			}
			if fs, ok := a["first_seen"].(string); ok {
				if _, err := time.Parse(time.RFC3339Nano, fs); err != nil {
					t.Errorf("first_seen %q", fs)
				}
			}
			sum := md5.Sum([]byte(val))
			wantHashes[hex.EncodeToString(sum[:])+","+id] = true
			values[val] = typ
		}
	}
	lines := strings.Split(strings.TrimSuffix(string(files["hashes.csv"]), "\n"), "\n")
	if len(lines) != len(wantHashes) {
		t.Errorf("hashes.csv has %d lines, %d attributes", len(lines), len(wantHashes))
	}
	for _, l := range lines {
		if !wantHashes[l] {
			t.Errorf("hashes.csv line %q is no attribute's md5,event", l)
		}
	}
	var want []string
	for _, it := range testSource().Items {
		if it.Live(gen) {
			want = append(want, it.Value)
		}
	}
	if got := slices.Sorted(maps.Keys(values)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("values %v, want %v (expired ones left out)", got, want)
	}
}

func TestCampaignEvent(t *testing.T) {
	feed := build(t)
	var ef eventFile
	b, ok := feed.File(eventUUID("campaign:c1") + ".json")
	if !ok {
		t.Fatal("no event for campaign c1")
	}
	if err := json.Unmarshal(b, &ef); err != nil {
		t.Fatal(err)
	}
	e := ef.Event
	if e.Date != "2026-02-27" || !strings.Contains(e.Info, "Fake Defender") || e.ThreatLevelID != "2" ||
		!slices.Contains(e.Tag, Tag{Name: `tssguard:brand="Microsoft"`}) || len(e.Attribute) != 3 {
		t.Errorf("campaign event %+v", e)
	}
	for _, a := range e.Attribute {
		if a["value"] == "https://scam.example/alert?x=1" && a["to_ids"] != false {
			t.Errorf("suspicious URL has to_ids %v", a["to_ids"])
		}
		if a["value"] == "+18005551234" && (a["type"] != "phone-number" || a["to_ids"] != true) {
			t.Errorf("number %v", a)
		}
	}
	if _, ok := feed.File(eventUUID("day:2026-03-02") + ".json"); !ok {
		t.Error("no unclustered event for 2026-03-02")
	}
}

func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(context.Background(), &a, testSource(), testMeta()); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), &b, testSource(), testMeta()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two exports differ")
	}
	// A later export keeps every UUID.
	meta := testMeta()
	meta.Generated = gen.Add(time.Hour)
	later, err := Build(context.Background(), testSource(), meta)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(later.Names(), build(t).Names()) {
		t.Error("event UUIDs depend on the generation time")
	}
	// The tar holds every file, manifest first.
	tr := tar.NewReader(&a)
	var names []string
	feed := build(t)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if want, _ := feed.File(h.Name); !bytes.Equal(b, want) {
			t.Errorf("tar %s differs", h.Name)
		}
		names = append(names, h.Name)
	}
	if !slices.Equal(names, feed.Names()) || names[0] != "manifest.json" {
		t.Errorf("tar entries %v", names)
	}
}

func TestWriteFeed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "feed")
	if err := WriteFeed(context.Background(), dir, testSource(), testMeta()); err != nil {
		t.Fatal(err)
	}
	feed := build(t)
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(feed.Files()) {
		t.Errorf("%d files in %s, want %d", len(entries), dir, len(feed.Files()))
	}
	for name, want := range feed.Files() {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBadTLP(t *testing.T) {
	meta := testMeta()
	meta.TLP = "purple"
	if _, err := Build(context.Background(), testSource(), meta); err == nil {
		t.Error("unknown TLP accepted")
	}
}
