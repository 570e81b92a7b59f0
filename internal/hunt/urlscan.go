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
// {"url", "domain"}, "task": {"url"}, "sort": […]}], "has_more"}), paging
// with search_after, and remembers the newest result's sort key.
type URLScan struct {
	URL    string // the search URL, with its query (q=…)
	Client *http.Client
	Header http.Header // e.g. API-Key
	Label  string
	Pages  int // pages per Fetch (default 10)
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
		for _, r := range res.Results {
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
