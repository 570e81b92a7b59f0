package misp

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/tssguard/tssguard/export"
)

// Namespace seeds every UUID in the feed: UUIDv5(URL namespace, the
// module's URL + "#misp").
var Namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/tssguard/tssguard#misp"))

func newUUID(parts ...string) string {
	return uuid.NewSHA1(Namespace, []byte(strings.Join(parts, "\x00"))).String()
}

// Org is the creator organisation of every event.
var Org = Orgc{Name: "tssguard", UUID: newUUID("orgc", "tssguard")}

// Orgc is a MISP organisation.
type Orgc struct {
	Name string `json:"name"`
	UUID string `json:"uuid"`
}

// Tag is a MISP tag.
type Tag struct {
	Name string `json:"name"`
}

// Attribute is a MISP attribute (MISP core format). Numeric
// fields are strings, as MISP writes them.
type Attribute struct {
	UUID      string `json:"uuid"`
	Type      string `json:"type"`
	Category  string `json:"category"`
	Value     string `json:"value"`
	ToIDS     bool   `json:"to_ids"`
	Timestamp string `json:"timestamp"`
	Comment   string `json:"comment"`
	FirstSeen string `json:"first_seen,omitempty"`
	LastSeen  string `json:"last_seen,omitempty"`
	Deleted   bool   `json:"deleted"`
}

// Event is a MISP event (MISP core format).
type Event struct {
	UUID             string      `json:"uuid"`
	Info             string      `json:"info"`
	Date             string      `json:"date"`
	Timestamp        string      `json:"timestamp"`
	PublishTimestamp string      `json:"publish_timestamp"`
	Published        bool        `json:"published"`
	Analysis         string      `json:"analysis"`
	ThreatLevelID    string      `json:"threat_level_id"`
	Orgc             Orgc        `json:"Orgc"`
	Tag              []Tag       `json:"Tag"`
	Attribute        []Attribute `json:"Attribute"`
}

// ManifestEntry is an event's line in manifest.json. Numbers are numbers
// here, as MISP's feed generator writes them.
type ManifestEntry struct {
	Info          string `json:"info"`
	Date          string `json:"date"`
	Analysis      int    `json:"analysis"`
	ThreatLevelID int    `json:"threat_level_id"`
	Timestamp     int64  `json:"timestamp"`
	Orgc          Orgc   `json:"Orgc"`
	Tag           []Tag  `json:"Tag"`
}

// Analysis and threat levels (MISP core format).
const (
	analysisOngoing = 1
	threatMedium    = 2
	threatLow       = 3
)

// attributeType maps an indicator kind to a MISP type and category: domains
// and URLs are "Network activity"; a scam hotline is a phone-number in
// "Financial fraud" (MISP's default category for phone-number is Person,
// meant for people's details, not fraud lines).
func attributeType(k export.Kind) (typ, category string, ok bool) {
	switch k {
	case export.Domain:
		return "domain", "Network activity", true
	case export.URL:
		return "url", "Network activity", true
	case export.Number:
		return "phone-number", "Financial fraud", true
	}
	return "", "", false
}

// SeenFormat is how MISP writes first_seen and last_seen.
const SeenFormat = "2006-01-02T15:04:05.000000-07:00"

// Feed is a built MISP feed: file name to contents.
type Feed struct {
	files map[string][]byte
}

// Files returns every file of the feed by name (manifest.json, hashes.csv,
// <uuid>.json). The map is the feed's own: do not change it.
func (f *Feed) Files() map[string][]byte { return f.files }

// File returns one file, for serving the feed over HTTP.
func (f *Feed) File(name string) ([]byte, bool) {
	b, ok := f.files[name]
	return b, ok
}

// Names returns the file names: manifest.json, hashes.csv, then the events
// in UUID order.
func (f *Feed) Names() []string {
	return slices.SortedFunc(maps.Keys(f.files), func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
	})
}

func rank(name string) int {
	switch name {
	case "manifest.json":
		return 0
	case "hashes.csv":
		return 1
	}
	return 2
}

// group is an event being filled.
type group struct {
	key      string // campaign ID, or "day:2026-03-01"
	camp     *export.Campaign
	day      time.Time
	attrs    []Attribute
	scam     bool
	earliest time.Time
}

// Build reads src once and returns the feed. Indicators expired at
// meta.Generated (time.Now when zero) are left out, and so are events left
// without attributes.
func Build(ctx context.Context, src export.Source, meta export.Meta) (*Feed, error) {
	now := meta.Generated
	if now.IsZero() {
		now = time.Now()
	}
	tlp, err := tlpTag(meta.TLP)
	if err != nil {
		return nil, err
	}
	camps := map[string]*export.Campaign{}
	err = src.Campaigns(ctx, func(c export.Campaign) error {
		if c.ID != "" {
			camps[c.ID] = &c
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("misp: campaigns: %w", err)
	}
	groups := map[string]*group{}
	err = src.Indicators(ctx, func(it export.Indicator) error {
		if !it.Live(now) || it.Value == "" {
			return nil
		}
		typ, category, ok := attributeType(it.Kind)
		if !ok {
			return nil
		}
		key, day := "campaign:"+it.Campaign, time.Time{}
		if it.Campaign == "" {
			first := it.FirstSeen
			if first.IsZero() {
				first = now
			}
			day = first.UTC().Truncate(24 * time.Hour)
			key = "day:" + day.Format(time.DateOnly)
		}
		g := groups[key]
		if g == nil {
			g = &group{key: key, camp: camps[it.Campaign], day: day}
			groups[key] = g
		}
		g.attrs = append(g.attrs, attribute(eventUUID(key), typ, category, it, now))
		g.scam = g.scam || it.Verdict == "scam"
		if f := it.FirstSeen; !f.IsZero() && (g.earliest.IsZero() || f.Before(g.earliest)) {
			g.earliest = f
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("misp: indicators: %w", err)
	}

	feed := &Feed{files: map[string][]byte{}}
	manifest := map[string]ManifestEntry{}
	var hashes bytes.Buffer
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		g := groups[key]
		ev := event(g, tlp, now)
		b, err := json.Marshal(struct {
			Event *Event `json:"Event"`
		}{ev})
		if err != nil {
			return nil, fmt.Errorf("misp: encode event %s: %w", ev.UUID, err)
		}
		feed.files[ev.UUID+".json"] = b
		a, _ := strconv.Atoi(ev.Analysis)
		tl, _ := strconv.Atoi(ev.ThreatLevelID)
		manifest[ev.UUID] = ManifestEntry{Info: ev.Info, Date: ev.Date, Analysis: a, ThreatLevelID: tl,
			Timestamp: now.Unix(), Orgc: ev.Orgc, Tag: ev.Tag}
		for _, at := range ev.Attribute {
			sum := md5.Sum([]byte(at.Value))
			hashes.WriteString(hex.EncodeToString(sum[:]) + "," + ev.UUID + "\n")
		}
		delete(groups, key) // let the attributes go once encoded
	}
	m, err := json.Marshal(manifest)
	if err != nil {
		return nil, fmt.Errorf("misp: encode manifest: %w", err)
	}
	feed.files["manifest.json"] = m
	feed.files["hashes.csv"] = hashes.Bytes()
	return feed, nil
}

func eventUUID(key string) string { return newUUID("event", key) }

func attribute(event, typ, category string, it export.Indicator, now time.Time) Attribute {
	last := it.LastSeen
	if last.IsZero() {
		last = cmp.Or(it.FirstSeen, now)
	}
	a := Attribute{
		UUID:      newUUID("attribute", event, typ, it.Value),
		Type:      typ,
		Category:  category,
		Value:     it.Value,
		ToIDS:     it.Verdict == "scam",
		Timestamp: strconv.FormatInt(last.Unix(), 10),
		Comment:   comment(it),
	}
	if !it.FirstSeen.IsZero() {
		a.FirstSeen = it.FirstSeen.UTC().Format(SeenFormat)
		if !it.LastSeen.IsZero() && !it.LastSeen.Before(it.FirstSeen) {
			a.LastSeen = it.LastSeen.UTC().Format(SeenFormat)
		}
	}
	return a
}

// comment is the evidence, with what MISP has no field for.
func comment(it export.Indicator) string {
	var parts []string
	if it.Evidence != "" {
		parts = append(parts, it.Evidence)
	}
	if it.Kind == export.URL && !strings.Contains(it.Value, "://") {
		parts = append(parts, "URL pattern: any http(s) URL starting with it")
	}
	if it.Verdict != "" && it.Verdict != "scam" {
		parts = append(parts, "verdict: "+it.Verdict)
	}
	if it.Brand != "" {
		parts = append(parts, "impersonates "+it.Brand)
	}
	if it.NumberType != "" || it.Region != "" {
		parts = append(parts, strings.TrimSpace("number: "+it.NumberType+" "+it.Region))
	}
	if it.Reference != "" {
		parts = append(parts, it.Reference)
	}
	return strings.Join(parts, "; ")
}

func event(g *group, tlp string, now time.Time) *Event {
	slices.SortFunc(g.attrs, func(a, b Attribute) int {
		return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Value, b.Value), strings.Compare(a.UUID, b.UUID))
	})
	g.attrs = slices.CompactFunc(g.attrs, func(a, b Attribute) bool { return a.UUID == b.UUID })
	stamp := strconv.FormatInt(now.Unix(), 10)
	ev := &Event{
		UUID:             eventUUID(g.key),
		Timestamp:        stamp,
		PublishTimestamp: stamp,
		Published:        true,
		Analysis:         strconv.Itoa(analysisOngoing),
		ThreatLevelID:    strconv.Itoa(threatLow),
		Orgc:             Org,
		Tag:              []Tag{{Name: tlp}},
		Attribute:        g.attrs,
	}
	if g.scam {
		ev.ThreatLevelID = strconv.Itoa(threatMedium)
	}
	date := g.earliest
	switch {
	case g.camp != nil:
		c := g.camp
		ev.Info = "tssguard: tech support scam campaign " + cmp.Or(c.Name, c.ID)
		if c.Brand != "" {
			ev.Info += " impersonating " + c.Brand
			ev.Tag = append(ev.Tag, Tag{Name: machineTag("brand", c.Brand)})
		}
		ev.Tag = append(ev.Tag, Tag{Name: machineTag("campaign", c.ID)})
		if !c.FirstSeen.IsZero() {
			date = c.FirstSeen
		}
	case !g.day.IsZero():
		ev.Info = "tssguard: unclustered tech support scam indicators first seen " + g.day.Format(time.DateOnly)
		date = g.day
	default: // a campaign the source did not list
		id := strings.TrimPrefix(g.key, "campaign:")
		ev.Info = "tssguard: tech support scam campaign " + id
		ev.Tag = append(ev.Tag, Tag{Name: machineTag("campaign", id)})
	}
	ev.Tag = append(ev.Tag, Tag{Name: "tssguard:type=\"tech-support-scam\""})
	ev.Date = cmp.Or(date, now).UTC().Format(time.DateOnly)
	return ev
}

// machineTag is a MISP machine tag tssguard:predicate="value"; double
// quotes in the value become single ones.
func machineTag(predicate, value string) string {
	return "tssguard:" + predicate + "=\"" + strings.ReplaceAll(value, `"`, "'") + "\""
}

// tlpTag returns the MISP tlp taxonomy tag for Meta.TLP ("" is clear).
func tlpTag(s string) (string, error) {
	s = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "tlp:")
	switch s {
	case "", "white":
		return "tlp:clear", nil
	case "clear", "green", "amber", "amber+strict", "red":
		return "tlp:" + s, nil
	}
	return "", fmt.Errorf("misp: unknown TLP %q (want clear, green, amber, amber+strict or red)", s)
}
