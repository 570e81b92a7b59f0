package stix

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/tssguard/tssguard/export"
)

var (
	t0  = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)
	gen = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
)

func testMeta() export.Meta {
	return export.Meta{Title: "tssguard test", Homepage: "https://tssguard.example", Generated: gen, TLP: "green"}
}

func testSource() export.Slice {
	return export.Slice{
		Camps: []export.Campaign{
			{ID: "c1", Name: "Fake Defender", Brand: "Microsoft", FirstSeen: t0, LastSeen: t0.Add(48 * time.Hour), Pages: 12, Numbers: []string{"+18005551234"}, Domains: []string{"scam.example"}},
			{ID: "c2", Name: "Apple lock", Brand: "Apple", FirstSeen: t0, LastSeen: t0},
		},
		Items: []export.Indicator{
			{Kind: export.Domain, Value: "scam.example", Verdict: "scam", FirstSeen: t0, LastSeen: t0.Add(time.Hour), Expires: gen.Add(72 * time.Hour), Campaign: "c1", Brand: "Microsoft", Evidence: "fake BSOD with hotline", Reference: "https://tssguard.example/scan/1"},
			{Kind: export.URL, Value: "https://host.example/it's\\odd?a=1&b=<2>", Verdict: "suspicious", FirstSeen: t0, LastSeen: t0, Campaign: "c1"},
			{Kind: export.URL, Value: "trusted.example/search?q=", Verdict: "scam", FirstSeen: t0, LastSeen: t0, Evidence: "reflected number", Reference: "scan-77"},
			{Kind: export.Number, Value: "+18005551234", Verdict: "scam", FirstSeen: t0, LastSeen: t0.Add(2 * time.Hour), Expires: gen.Add(time.Hour), Campaign: "c1", NumberType: "toll_free", Region: "US"},
			{Kind: export.Number, Value: "+442071234567", Verdict: "scam", FirstSeen: t0, LastSeen: t0, Campaign: "unknown-campaign"},
			{Kind: export.Domain, Value: "old.example", Verdict: "scam", FirstSeen: t0, LastSeen: t0, Expires: gen.Add(-time.Second), Campaign: "c1"},
			{Kind: export.Number, Value: "+18885550000", Verdict: "scam", FirstSeen: t0, LastSeen: t0, Expires: gen}, // expires exactly now: gone
		},
	}
}

type bundle struct {
	Type    string           `json:"type"`
	ID      string           `json:"id"`
	Objects []map[string]any `json:"objects"`
}

func writeBundle(t *testing.T, src export.Source, meta export.Meta) ([]byte, bundle) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteBundle(context.Background(), &buf, src, meta); err != nil {
		t.Fatal(err)
	}
	var b bundle
	if err := json.Unmarshal(buf.Bytes(), &b); err != nil {
		t.Fatalf("bundle is not JSON: %v\n%s", err, buf.String())
	}
	return buf.Bytes(), b
}

var (
	idRE = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	tsRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

func str(o map[string]any, k string) string { s, _ := o[k].(string); return s }

func parseTS(t *testing.T, o map[string]any, k string) time.Time {
	t.Helper()
	s := str(o, k)
	if !tsRE.MatchString(s) {
		t.Errorf("%s: %s = %q, want a millisecond UTC timestamp", o["id"], k, s)
		return time.Time{}
	}
	v, _ := time.Parse(time.RFC3339Nano, s)
	return v
}

// refs collects every *_ref and *_refs value in v, at any depth.
func refs(v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch {
			case strings.HasSuffix(k, "_ref"):
				*out = append(*out, x.(string))
			case strings.HasSuffix(k, "_refs"):
				for _, r := range x.([]any) {
					*out = append(*out, r.(string))
				}
			default:
				refs(x, out)
			}
		}
	case []any:
		for _, x := range v {
			refs(x, out)
		}
	}
}

func TestBundleConformsToSpec(t *testing.T) {
	_, b := writeBundle(t, testSource(), testMeta())
	if b.Type != "bundle" || !idRE.MatchString(b.ID) || !strings.HasPrefix(b.ID, "bundle--") {
		t.Fatalf("bundle header: type %q id %q", b.Type, b.ID)
	}
	byID := map[string]map[string]any{}
	for _, o := range b.Objects {
		id := str(o, "id")
		if _, dup := byID[id]; dup {
			t.Errorf("duplicate id %s", id)
		}
		byID[id] = o
	}
	counts := map[string]int{}
	for _, o := range b.Objects {
		typ, id := str(o, "type"), str(o, "id")
		counts[typ]++
		m := idRE.FindStringSubmatch(id)
		if m == nil || m[1] != typ {
			t.Errorf("id %q does not match type %q", id, typ)
		}
		if str(o, "spec_version") != "2.1" {
			t.Errorf("%s: spec_version %q", id, o["spec_version"])
		}
		sco := typ == PhoneNumberType
		if !sco {
			created := parseTS(t, o, "created")
			if typ != "marking-definition" {
				if modified := parseTS(t, o, "modified"); modified.Before(created) {
					t.Errorf("%s: modified before created", id)
				}
			}
		}
		if typ != "identity" && typ != "marking-definition" && !sco && str(o, "created_by_ref") != IdentityID {
			t.Errorf("%s: created_by_ref %q", id, o["created_by_ref"])
		}
		if typ != "marking-definition" && !slices.Contains(anyStrings(o["object_marking_refs"]), TLPGreen) {
			t.Errorf("%s: not marked TLP:GREEN", id)
		}
		switch typ {
		case "indicator":
			if str(o, "pattern") == "" || str(o, "pattern_type") != "stix" {
				t.Errorf("%s: pattern %q type %q", id, o["pattern"], o["pattern_type"])
			}
			from := parseTS(t, o, "valid_from")
			if _, ok := o["valid_until"]; ok && !parseTS(t, o, "valid_until").After(from) {
				t.Errorf("%s: valid_until not after valid_from", id)
			}
			if !slices.Equal(anyStrings(o["indicator_types"]), []string{"malicious-activity"}) {
				t.Errorf("%s: indicator_types %v", id, o["indicator_types"])
			}
		case "relationship":
			if str(o, "relationship_type") == "" || str(o, "source_ref") == "" || str(o, "target_ref") == "" {
				t.Errorf("%s: incomplete relationship %v", id, o)
			}
		case "campaign", "identity":
			if str(o, "name") == "" {
				t.Errorf("%s: no name", id)
			}
		case "extension-definition":
			if str(o, "name") == "" || str(o, "schema") == "" || str(o, "version") == "" ||
				!slices.Equal(anyStrings(o["extension_types"]), []string{"new-sco"}) {
				t.Errorf("%s: incomplete extension-definition %v", id, o)
			}
		case "marking-definition":
			if id != TLPGreen {
				t.Errorf("marking %s, want the OASIS TLP:GREEN", id)
			}
		case PhoneNumberType:
			for _, k := range []string{"created", "modified", "created_by_ref"} {
				if _, ok := o[k]; ok {
					t.Errorf("%s: SCO has %s", id, k)
				}
			}
			// ID contributing property: value, JCS-serialised, independently computed.
			v, _ := json.Marshal(map[string]string{"value": str(o, "value")})
			if want := "phone-number--" + uuid.NewSHA1(uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7"), v).String(); id != want {
				t.Errorf("SCO id %s, want %s", id, want)
			}
			ext, _ := o["extensions"].(map[string]any)
			if len(ext) != 1 {
				t.Errorf("%s: extensions %v", id, o["extensions"])
			}
			for k, e := range ext {
				def := byID[k]
				if def == nil || str(def, "type") != "extension-definition" {
					t.Errorf("%s: extension %s not defined in the bundle", id, k)
				}
				if str(e.(map[string]any), "extension_type") != "new-sco" {
					t.Errorf("%s: extension_type %v", id, e)
				}
			}
		}
		var rs []string
		refs(o, &rs)
		for _, r := range rs {
			if byID[r] == nil {
				t.Errorf("%s refers to %s, not in the bundle", id, r)
			}
		}
	}
	want := map[string]int{"identity": 1, "marking-definition": 1, "extension-definition": 1, "campaign": 2, "indicator": 5, PhoneNumberType: 2, "relationship": 4}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%d %s objects, want %d (all: %v)", counts[k], k, n, counts)
		}
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestBundleRoundTrip(t *testing.T) {
	src := testSource()
	_, b := writeBundle(t, src, testMeta())
	var got, want []string
	for _, it := range src.Items {
		if it.Live(gen) {
			want = append(want, string(it.Kind)+" "+it.Value)
		}
	}
	rels := map[string]bool{}
	for _, o := range b.Objects {
		switch str(o, "type") {
		case "indicator":
			kind, value, ok := ParsePattern(str(o, "pattern"))
			if !ok {
				t.Errorf("cannot parse pattern %q", o["pattern"])
				continue
			}
			got = append(got, string(kind)+" "+value)
			if str(o, "id") != IndicatorID(kind, value) {
				t.Errorf("indicator id %s for %s", o["id"], value)
			}
		case "relationship":
			rels[str(o, "source_ref")+" "+str(o, "relationship_type")+" "+str(o, "target_ref")] = true
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("indicators\n got %q\nwant %q", got, want)
	}
	c1 := CampaignID("c1")
	for _, r := range []string{
		IndicatorID(export.Domain, "scam.example") + " indicates " + c1,
		IndicatorID(export.Number, "+18005551234") + " indicates " + c1,
		c1 + " related-to " + PhoneNumberID("+18005551234"),
	} {
		if !rels[r] {
			t.Errorf("missing relationship %s", r)
		}
	}
}

func TestBundleDeterministic(t *testing.T) {
	a, _ := writeBundle(t, testSource(), testMeta())
	b, _ := writeBundle(t, testSource(), testMeta())
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same data differ")
	}
	// A later export keeps every object id.
	meta := testMeta()
	meta.Generated = gen.Add(time.Minute)
	_, x := writeBundle(t, testSource(), meta)
	_, y := writeBundle(t, testSource(), testMeta())
	ids := func(b bundle) (s []string) {
		for _, o := range b.Objects {
			s = append(s, str(o, "id"))
		}
		return s
	}
	if !slices.Equal(ids(x), ids(y)) {
		t.Error("object ids depend on the generation time")
	}
}

func TestIndicatorFields(t *testing.T) {
	_, b := writeBundle(t, testSource(), testMeta())
	for _, o := range b.Objects {
		if str(o, "id") != IndicatorID(export.Domain, "scam.example") {
			continue
		}
		if str(o, "valid_from") != "2026-03-01T12:00:00.123Z" || str(o, "modified") != "2026-03-01T13:00:00.123Z" ||
			str(o, "valid_until") != "2026-03-13T00:00:00.000Z" {
			t.Errorf("times: %v %v %v", o["valid_from"], o["modified"], o["valid_until"])
		}
		if o["confidence"] != 85.0 || str(o, "description") != "fake BSOD with hotline" ||
			!slices.Contains(anyStrings(o["labels"]), "brand:Microsoft") {
			t.Errorf("indicator %v", o)
		}
		return
	}
	t.Fatal("domain indicator missing")
}

func TestPatterns(t *testing.T) {
	for _, c := range []struct {
		kind  export.Kind
		value string
		want  string
	}{
		{export.Domain, "example.com", `[domain-name:value = 'example.com']`},
		{export.URL, `http://a.example/it's\x`, `[url:value = 'http://a.example/it\'s\\x']`},
		{export.URL, "trusted.example/p?n=", `[url:value LIKE 'http%://trusted.example/p?n=%']`},
		{export.Number, "+18005551234", `[phone-number:value = '+18005551234']`},
	} {
		p := Pattern(c.kind, c.value)
		if p != c.want {
			t.Errorf("Pattern(%s, %q) = %s, want %s", c.kind, c.value, p, c.want)
		}
		k, v, ok := ParsePattern(p)
		if !ok || k != c.kind || v != c.value {
			t.Errorf("ParsePattern(%s) = %s %q %v", p, k, v, ok)
		}
	}
	for _, bad := range []string{"", "[x]", `[url:value = 'a'b']`, `[url:value = 'a\b']`, `[file:name = 'x']`} {
		if _, _, ok := ParsePattern(bad); ok {
			t.Errorf("ParsePattern(%q) accepted", bad)
		}
	}
}

func TestTLP(t *testing.T) {
	for in, want := range map[string]string{"": TLPClear, "white": TLPClear, "TLP:AMBER+STRICT": TLPAmberStrict, "red": TLPRed} {
		meta := testMeta()
		meta.TLP = in
		_, b := writeBundle(t, export.Slice{}, meta)
		if got := str(b.Objects[1], "id"); got != want {
			t.Errorf("TLP %q: marking %s, want %s", in, got, want)
		}
	}
	meta := testMeta()
	meta.TLP = "purple"
	if err := WriteBundle(context.Background(), &bytes.Buffer{}, export.Slice{}, meta); err == nil {
		t.Error("unknown TLP accepted")
	}
}

func TestJCS(t *testing.T) {
	for _, s := range []string{"+18005551234", "a\"b\\c\n\x01", "<&>", "\u2028é"} {
		var b strings.Builder
		jcsString(&b, s)
		var back string
		if err := json.Unmarshal([]byte(b.String()), &back); err != nil || back != s {
			t.Errorf("jcsString(%q) = %s", s, b.String())
		}
	}
	var b strings.Builder
	jcsString(&b, "<\u2028\x01")
	if b.String() != "\"<\u2028\\u0001\"" {
		t.Errorf("jcsString escapes %s", b.String())
	}
}

func TestStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	err := Objects(context.Background(), testSource(), testMeta(), func(Object) error {
		if n++; n == 5 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 5 {
		t.Errorf("err %v after %d objects", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteBundle(ctx, &bytes.Buffer{}, testSource(), testMeta()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestTimestampFormat(t *testing.T) {
	for _, v := range []time.Time{t0, gen, time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", 3600))} {
		b, _ := ts(v).MarshalText()
		if want := v.UTC().Format(TimeFormat); string(b) != want {
			t.Errorf("%v: %s, want %s", v, b, want)
		}
		var back Timestamp
		if err := back.UnmarshalText(b); err != nil || !back.Equal(ts(v).Time) {
			t.Errorf("%s: back %v %v", b, back, err)
		}
	}
}
