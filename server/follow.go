package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/store"
)

// LoadIndex fills the reputation index from the store: the allowlist, the
// live listings and the live numbers. It returns the time to follow the
// verdict history from.
func LoadIndex(ctx context.Context, db store.Store, ix *reputation.Index, now time.Time) (time.Time, error) {
	al, err := db.Allowlist(ctx)
	if err != nil {
		return time.Time{}, err
	}
	for _, a := range al {
		ix.Allow(a.Domain)
	}
	err = db.Listings(ctx, now, func(l store.Listed) error {
		if l.Pattern {
			addPattern(ix, l.Value, l.Verdict, l.Expires)
			return nil
		}
		kind := reputation.Domain
		if l.Kind == "url" {
			kind = reputation.URL
		}
		addEntry(ix, kind, l.Value, l.Verdict, l.Expires)
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	err = db.Hotlines(ctx, time.Time{}, func(h store.Hotline) error {
		if h.Expires.After(now) {
			addEntry(ix, reputation.Number, h.E164, h.Verdict, h.Expires)
		}
		return nil
	})
	return now, err
}

// verdictOf maps a stored verdict to the index's: anything listed that is
// not a scam is suspicious.
func verdictOf(verdict string) reputation.Verdict {
	if verdict == "scam" {
		return reputation.Scam
	}
	return reputation.Suspicious
}

func addPattern(ix *reputation.Index, value, verdict string, expires time.Time) {
	_ = ix.AddPattern(value, verdictOf(verdict), "scan", expires)
}

func addEntry(ix *reputation.Index, kind reputation.Kind, value, verdict string, expires time.Time) {
	_ = ix.Add(reputation.Entry{Kind: kind, Value: value, Verdict: verdictOf(verdict), Source: "scan", Expires: expires})
}

// Follow applies new verdicts from the store to the index until ctx ends,
// so that verdicts written by workers on other machines reach this
// server's index within a poll.
func Follow(ctx context.Context, db store.Store, ix *reputation.Index, since time.Time, every time.Duration, log *slog.Logger, changed func()) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	lastSweep := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// Expired entries never match; drop them now and then so that the
		// index holds only what is live.
		if time.Since(lastSweep) > 10*time.Minute {
			if n := ix.Sweep(time.Now()); n > 0 {
				log.Info("index swept", "expired", n)
			}
			lastSweep = time.Now()
		}
		// Re-read a little before the last verdict seen: transactions
		// commit out of order. Applying a verdict twice changes nothing.
		from := since.Add(-30 * time.Second)
		last := since
		err := db.Verdicts(ctx, from, func(v store.Verdict) error {
			if v.At.After(since) {
				since = v.At
			}
			if v.Pattern {
				addPattern(ix, v.Value, v.Verdict, v.Expires)
				return nil
			}
			var kind reputation.Kind
			switch v.Kind {
			case "url":
				kind = reputation.URL
			case "domain":
				kind = reputation.Domain
			case "number":
				kind = reputation.Number
			default:
				return nil
			}
			// The watch saw the page gone: its listing ended early.
			if v.Verdict == "gone" {
				ix.Remove(kind, v.Value)
				return nil
			}
			// A weaker verdict never replaces a live scam entry.
			if v.Verdict != "scam" && stronger(ix, kind, v.Value, v.Expires) {
				return nil
			}
			addEntry(ix, kind, v.Value, v.Verdict, v.Expires)
			return nil
		})
		if err != nil && ctx.Err() == nil {
			log.Warn("following verdicts", "err", err)
		}
		if since.After(last) && changed != nil {
			changed()
		}
	}
}

func stronger(ix *reputation.Index, kind reputation.Kind, value string, expires time.Time) bool {
	now := time.Now()
	var m reputation.Match
	var ok bool
	switch kind {
	case reputation.Domain:
		m, ok = ix.CheckDomain(value, now)
	case reputation.Number:
		m, ok = ix.CheckNumber(value, now)
	default:
		return false
	}
	return ok && m.Verdict == reputation.Scam && m.Matched == value && !m.Expires.Before(expires)
}
