// Package feed reads the store as an export source: the live listings and
// numbers as indicators, and the campaigns.
package feed

import (
	"context"
	"time"

	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/store"
)

// Source is the store seen by the exporters, at Now (zero: the time of
// each call, for long-lived sources such as the TAXII collection).
type Source struct {
	DB  store.Store
	Now time.Time
}

func (s Source) now() time.Time {
	if s.Now.IsZero() {
		return time.Now()
	}
	return s.Now
}

var _ export.Source = Source{}

// Indicators yields live domains and URLs (allowlisted ones never), then
// live numbers.
func (s Source) Indicators(ctx context.Context, fn func(export.Indicator) error) error {
	now := s.now()
	err := s.DB.Listings(ctx, now, func(l store.Listed) error {
		kind := export.Domain
		if l.Kind == "url" {
			kind = export.URL
		}
		return fn(export.Indicator{
			Kind: kind, Value: l.Value, Verdict: l.Verdict,
			FirstSeen: l.FirstSeen, LastSeen: l.LastSeen, Expires: l.Expires,
			Sightings: l.Sightings, Campaign: l.Campaign, Brand: l.Brand, Evidence: l.Evidence,
			Reference: l.LastScan,
		})
	})
	if err != nil {
		return err
	}
	return s.DB.Hotlines(ctx, time.Time{}, func(h store.Hotline) error {
		if !h.Expires.After(now) {
			return nil
		}
		return fn(export.Indicator{
			Kind: export.Number, Value: h.E164, Verdict: h.Verdict,
			FirstSeen: h.FirstSeen, LastSeen: h.LastSeen, Expires: h.Expires,
			Sightings: h.Sightings, Campaign: h.Campaign, Brand: h.Brand,
			NumberType: h.Type, Region: h.Region, Status: "active",
		})
	})
}

// Campaigns yields the campaigns, most recently active first.
func (s Source) Campaigns(ctx context.Context, fn func(export.Campaign) error) error {
	cs, err := s.DB.Campaigns(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		err := fn(export.Campaign{
			ID: c.ID, Name: "TSS campaign " + c.ID, Brand: c.Brand, FirstSeen: c.FirstSeen, LastSeen: c.LastSeen,
			Pages: c.Pages, Numbers: c.Numbers, Domains: c.Domains, URLs: c.URLs,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
