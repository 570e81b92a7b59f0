package hunt

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// URLScan reads the JSON of a urlscan-style search ({"results": [{"page":
// {"url", "domain"}, "task": {"url"}, "sort": […]}], "has_more"}), newest
// first, paging with search_after. It remembers the newest result's sort
// key and reads the next time only what is newer; more new results than
// Pages pages hold are left unread (the source's rate limit).
type URLScan struct {
	URL    string // the search URL, with its query (q=…)
	Client *http.Client
	Header http.Header // e.g. API-Key
	Label  string
	Pages  int // pages per Fetch (default 10)

	newest []json.RawMessage // sort key of the newest result read
}

func (u *URLScan) Name() string {
	if u.Label != "" {
		return u.Label
	}
	return "urlscan"
}

func (u *URLScan) Fetch(ctx context.Context, emit func(Candidate) error) error {
	pages := u.Pages
	if pages <= 0 {
		pages = 10
	}
	after := ""
	var newest []json.RawMessage
	defer func() {
		if newest != nil {
			u.newest = newest
		}
	}()
	for p := 0; p < pages; p++ {
		target := u.URL
		if after != "" {
			pu, err := url.Parse(u.URL)
			if err != nil {
				return fmt.Errorf("urlscan: %w", err)
			}
			q := pu.Query()
			q.Set("search_after", after)
			pu.RawQuery = q.Encode()
			target = pu.String()
		}
		b, _, err := getBody(ctx, u.Client, target, u.Header)
		if err != nil {
			return fmt.Errorf("urlscan: %w", err)
		}
		var res struct {
			Results []struct {
				Page struct {
					URL    string `json:"url"`
					Domain string `json:"domain"`
				} `json:"page"`
				Task struct {
					URL string `json:"url"`
				} `json:"task"`
				Sort []json.RawMessage `json:"sort"`
			} `json:"results"`
			HasMore bool `json:"has_more"`
		}
		if err := json.Unmarshal(b, &res); err != nil {
			return fmt.Errorf("urlscan: %w", err)
		}
		for i, r := range res.Results {
			if p == 0 && i == 0 && len(r.Sort) > 0 {
				newest = r.Sort
			}
			if u.newest != nil && compareSort(r.Sort, u.newest) <= 0 {
				return nil // read in an earlier round
			}
			for _, raw := range []string{r.Task.URL, r.Page.URL, r.Page.Domain} {
				if c, ok := NewCandidate(raw, u.Name()); ok {
					if err := emit(c); err != nil {
						return err
					}
					break
				}
			}
		}
		if !res.HasMore || len(res.Results) == 0 {
			return nil
		}
		last := res.Results[len(res.Results)-1].Sort
		if len(last) == 0 {
			return nil
		}
		after = ""
		for i, s := range last {
			if i > 0 {
				after += ","
			}
			after += strings.Trim(string(s), `"`)
		}
	}
	return nil
}

// compareSort orders two sort keys element by element: numbers by value,
// anything else as text.
func compareSort(a, b []json.RawMessage) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		var x, y float64
		if json.Unmarshal(a[i], &x) == nil && json.Unmarshal(b[i], &y) == nil {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			continue
		}
		if c := compareStrings(strings.Trim(string(a[i]), `"`), strings.Trim(string(b[i]), `"`)); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}
