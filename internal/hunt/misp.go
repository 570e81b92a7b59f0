package hunt

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// MISPFeed reads a MISP feed (manifest.json and one JSON file per event,
// as MISP and tssguard's export misp write them): url, domain and
// hostname attributes become candidates. Events already read at the same
// timestamp are not read again.
type MISPFeed struct {
	URL    string // the folder that holds manifest.json
	Client *http.Client
	Header http.Header
	Label  string

	seen map[string]int64 // event UUID → timestamp read
}

func (m *MISPFeed) Name() string {
	if m.Label != "" {
		return m.Label
	}
	return "misp"
}

type mispAttribute struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

func (m *MISPFeed) Fetch(ctx context.Context, emit func(Candidate) error) error {
	base := strings.TrimSuffix(m.URL, "/") + "/"
	b, _, err := getBody(ctx, m.Client, base+"manifest.json", m.Header)
	if err != nil {
		return fmt.Errorf("misp: %w", err)
	}
	var manifest map[string]struct {
		Timestamp json.Number `json:"timestamp"`
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		return fmt.Errorf("misp: manifest: %w", err)
	}
	if m.seen == nil {
		m.seen = map[string]int64{}
	}
	ids := make([]string, 0, len(manifest))
	for id := range manifest {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !uuidLike(id) {
			continue // never let a manifest key choose a path
		}
		ts, _ := manifest[id].Timestamp.Int64()
		if old, ok := m.seen[id]; ok && old >= ts {
			continue
		}
		b, _, err := getBody(ctx, m.Client, base+id+".json", m.Header)
		if err != nil {
			return fmt.Errorf("misp: event %s: %w", id, err)
		}
		var ev struct {
			Event struct {
				Attribute []mispAttribute `json:"Attribute"`
				Object    []struct {
					Attribute []mispAttribute `json:"Attribute"`
				} `json:"Object"`
			} `json:"Event"`
		}
		if err := json.Unmarshal(b, &ev); err != nil {
			return fmt.Errorf("misp: event %s: %w", id, err)
		}
		attrs := ev.Event.Attribute
		for _, o := range ev.Event.Object {
			attrs = append(attrs, o.Attribute...)
		}
		for _, a := range attrs {
			switch a.Type {
			case "url", "link", "domain", "hostname":
			default:
				continue
			}
			if c, ok := NewCandidate(a.Value, m.Name()); ok {
				if err := emit(c); err != nil {
					return err
				}
			}
		}
		m.seen[id] = ts
	}
	return nil
}

func uuidLike(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F'):
		default:
			return false
		}
	}
	return true
}
