package hunt

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/export/stix"
)

// TAXII reads the indicators of a TAXII 2.1 collection (another
// organisation's, or another tssguard's /taxii2/): URL and domain-name
// patterns become candidates. It pages with next and remembers the last
// date added, asking only for newer objects the next time.
type TAXII struct {
	Collection string // …/api-root/collections/ID/
	Client     *http.Client
	Header     http.Header // e.g. Authorization
	Label      string
	Limit      int // objects per page (default 500)

	addedAfter string
}

func (t *TAXII) Name() string {
	if t.Label != "" {
		return t.Label
	}
	return "taxii"
}

// taxiiMedia is what a TAXII 2.1 client accepts.
const taxiiMedia = "application/taxii+json;version=2.1"

func (t *TAXII) Fetch(ctx context.Context, emit func(Candidate) error) error {
	base := strings.TrimSuffix(t.Collection, "/") + "/objects/"
	limit := t.Limit
	if limit <= 0 {
		limit = 500
	}
	next, lastAdded := "", ""
	defer func() {
		if lastAdded != "" {
			t.addedAfter = lastAdded
		}
	}()
	for pages := 0; pages < 10_000; pages++ {
		q := url.Values{"limit": {fmt.Sprint(limit)}, "match[type]": {"indicator"}}
		if t.addedAfter != "" {
			q.Set("added_after", t.addedAfter)
		}
		if next != "" {
			q.Set("next", next)
		}
		h := t.Header.Clone()
		if h == nil {
			h = http.Header{}
		}
		h.Set("Accept", taxiiMedia)
		b, hdr, err := getBody(ctx, t.Client, base+"?"+q.Encode(), h)
		if err != nil {
			return fmt.Errorf("taxii: %w", err)
		}
		var env struct {
			More    bool   `json:"more"`
			Next    string `json:"next"`
			Objects []struct {
				Type    string `json:"type"`
				Pattern string `json:"pattern"`
			} `json:"objects"`
		}
		if err := json.Unmarshal(b, &env); err != nil {
			return fmt.Errorf("taxii: envelope: %w", err)
		}
		for _, o := range env.Objects {
			if o.Type != "indicator" {
				continue
			}
			kind, value, ok := stix.ParsePattern(o.Pattern)
			if !ok || (kind != export.URL && kind != export.Domain) {
				continue
			}
			// A URL pattern (host/path?param=) is scanned at its host/path.
			value = strings.TrimPrefix(value, "http%://")
			value = strings.TrimSuffix(value, "%")
			if c, ok := NewCandidate(value, t.Name()); ok {
				if err := emit(c); err != nil {
					return err
				}
			}
		}
		if last := hdr.Get("X-TAXII-Date-Added-Last"); last != "" {
			lastAdded = last
		}
		if !env.More || env.Next == "" {
			return nil
		}
		next = env.Next
	}
	return nil
}
