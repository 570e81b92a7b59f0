// Package export writes what tssguard knows (live indicators and campaigns)
// in the formats that DNS filters, proxies, ad blockers, browsers and
// threat-intel platforms already load. Every writer streams: it reads the
// indicators once, through a callback, and never holds them all.
package export

import (
	"context"
	"io"
	"time"
)

// Kind is what an indicator names.
type Kind string

const (
	Domain Kind = "domain" // a registrable domain, or a free-hosting subdomain kept apart
	URL    Kind = "url"    // a canonical URL, or a URL pattern (host/path?param=) for reflected numbers
	Number Kind = "number" // an E.164 phone number
)

// Indicator is one thing to block or watch, with the evidence behind it.
type Indicator struct {
	Kind    Kind   `json:"kind"`
	Value   string `json:"value"`
	Verdict string `json:"verdict"` // "scam" or "suspicious"

	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Expires   time.Time `json:"expires"` // dropped from every export once past

	Sightings int    `json:"sightings"`          // scans that saw it; capped formats keep the most active
	Campaign  string `json:"campaign,omitempty"` // campaign ID
	Brand     string `json:"brand,omitempty"`    // brand impersonated
	Evidence  string `json:"evidence,omitempty"` // one line: why it is listed
	Reference string `json:"reference,omitempty"`

	// Numbers only.
	NumberType string `json:"number_type,omitempty"` // toll_free, fixed_line, mobile, voip, ...
	Region     string `json:"region,omitempty"`      // ISO 3166 alpha-2
	Status     string `json:"status,omitempty"`      // active, expired
}

// Campaign is the pages of one kit, across the domains and numbers its
// operators use.
type Campaign struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Brand     string    `json:"brand,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Pages     int       `json:"pages"`
	Numbers   []string  `json:"numbers"`
	Domains   []string  `json:"domains"`
	URLs      []string  `json:"urls,omitempty"` // URL patterns, for reflected numbers on trusted sites
}

// Source yields live indicators: not expired, never allowlisted. Writers
// still skip anything that expired before Meta.Generated.
type Source interface {
	Indicators(ctx context.Context, fn func(Indicator) error) error
	Campaigns(ctx context.Context, fn func(Campaign) error) error
}

// Meta is what a list says about itself.
type Meta struct {
	Title      string        // "tssguard tech support scam blocklist"
	Homepage   string        // project or feed homepage
	Generated  time.Time     // when written; also "now" for expiry
	Refresh    time.Duration // how often consumers should fetch again (ABP "! Expires")
	WarningURL string        // where MV3 rules redirect blocked pages
	TLP        string        // TLP 2.0 marking for STIX/MISP: "clear", "green", "amber"
	RPZOrigin  string        // RPZ zone name; empty means DefaultRPZOrigin
}

// Live reports whether an indicator is still listed at t.
func (i Indicator) Live(t time.Time) bool { return i.Expires.IsZero() || i.Expires.After(t) }

// Slice is a Source held in memory, for tests and small feeds.
type Slice struct {
	Items []Indicator
	Camps []Campaign
}

func (s Slice) Indicators(ctx context.Context, fn func(Indicator) error) error {
	for _, it := range s.Items {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

func (s Slice) Campaigns(ctx context.Context, fn func(Campaign) error) error {
	for _, c := range s.Camps {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// Format is one output format.
type Format struct {
	Name        string // as typed on the command line: "hosts", "abp", "rpz", ...
	Description string
	ContentType string
	Ext         string // file extension for -o defaults
	Write       func(ctx context.Context, w io.Writer, src Source, meta Meta) error
}
