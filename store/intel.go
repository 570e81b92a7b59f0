package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

const hotlineColumns = `e164, type, region, brand, verdict, how, first_seen, last_seen, expires, sightings, campaign`

func hotlineRow(r row) (Hotline, error) {
	var h Hotline
	var how string
	var first, last, exp int64
	err := r.Scan(&h.E164, &h.Type, &h.Region, &h.Brand, &h.Verdict, &how, &first, &last, &exp, &h.Sightings, &h.Campaign)
	h.How = splitSet(how)
	h.FirstSeen, h.LastSeen, h.Expires = fromMicros(first), fromMicros(last), fromMicros(exp)
	return h, err
}

func splitSet(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// Hotline returns one number with the domains and pages it was seen on.
func (d *DB) Hotline(ctx context.Context, e164 string) (Hotline, error) {
	if err := CheckText("number", e164, 0); err != nil {
		return Hotline{}, err
	}
	h, err := hotlineRow(d.b.queryRow(ctx, `SELECT `+hotlineColumns+` FROM hotlines WHERE e164 = ?`, e164))
	if err != nil {
		return Hotline{}, fmt.Errorf("store: number %s: %w", e164, err)
	}
	var doms, tpls, pages uniq
	err = d.sightingsOf(ctx, `WHERE e164 = ?`, []any{e164}, func(_ string, dom, tpl, page string) {
		doms.add(dom)
		tpls.add(tpl)
		pages.add(page)
	})
	h.Domains, h.Templates, h.Pages = doms.list, tpls.list, pages.list
	return h, err
}

// uniq collects distinct non-empty strings in the order first seen. Past a
// few it keeps a set beside the list, so that a number seen on a hundred
// thousand pages, or a campaign on as many domains, costs linear time, not
// quadratic.
type uniq struct {
	list []string
	seen map[string]struct{}
}

// orEmpty is list, or an empty list for nil (JSON [] rather than null).
func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

const uniqScan = 16 // up to this many, a scan of the list is cheaper than a set

func (u *uniq) add(s string) {
	if s == "" {
		return
	}
	if u.seen == nil {
		if slices.Contains(u.list, s) {
			return
		}
		u.list = append(u.list, s)
		if len(u.list) > uniqScan {
			u.seen = make(map[string]struct{}, 2*len(u.list))
			for _, v := range u.list {
				u.seen[v] = struct{}{}
			}
		}
		return
	}
	if _, ok := u.seen[s]; ok {
		return
	}
	u.seen[s] = struct{}{}
	u.list = append(u.list, s)
}

func (d *DB) sightingsOf(ctx context.Context, where string, args []any, fn func(e164, domain, template, page string)) error {
	rs, err := d.b.query(ctx, `SELECT e164, domain, template, url FROM sightings `+where+` ORDER BY e164, seen_at`, args...)
	if err != nil {
		return fmt.Errorf("store: sightings: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var n, dom, tpl, page string
		if err := rs.Scan(&n, &dom, &tpl, &page); err != nil {
			return fmt.Errorf("store: sightings: %w", err)
		}
		fn(n, dom, tpl, page)
	}
	return rs.Err()
}

// Hotlines walks the numbers last seen since a time, by number, each with
// the domains and templates it was seen on.
func (d *DB) Hotlines(ctx context.Context, since time.Time, fn func(Hotline) error) error {
	type seen struct{ domains, templates uniq }
	byNumber := map[string]*seen{}
	err := d.sightingsOf(ctx, `WHERE e164 IN (SELECT e164 FROM hotlines WHERE last_seen >= ?)`, []any{micros(since)}, func(n, dom, tpl, _ string) {
		s := byNumber[n]
		if s == nil {
			s = &seen{}
			byNumber[n] = s
		}
		s.domains.add(dom)
		s.templates.add(tpl)
	})
	if err != nil {
		return err
	}
	rs, err := d.b.query(ctx, `SELECT `+hotlineColumns+` FROM hotlines WHERE last_seen >= ? ORDER BY e164`, micros(since))
	if err != nil {
		return fmt.Errorf("store: numbers: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		h, err := hotlineRow(rs)
		if err != nil {
			return fmt.Errorf("store: numbers: %w", err)
		}
		if s := byNumber[h.E164]; s != nil {
			h.Domains, h.Templates = s.domains.list, s.templates.list
			delete(byNumber, h.E164) // let it go once written
		}
		if err := fn(h); err != nil {
			return err
		}
	}
	return rs.Err()
}

const listingColumns = `kind, value, pattern, verdict, brand, evidence, first_seen, last_seen, expires, sightings, campaign, last_scan`

func listingRow(r row) (Listed, error) {
	var l Listed
	var pat, first, last, exp int64
	err := r.Scan(&l.Kind, &l.Value, &pat, &l.Verdict, &l.Brand, &l.Evidence, &first, &last, &exp, &l.Sightings, &l.Campaign, &l.LastScan)
	l.Pattern = pat != 0
	l.FirstSeen, l.LastSeen, l.Expires = fromMicros(first), fromMicros(last), fromMicros(exp)
	return l, err
}

// Domain returns a listed registrable domain, expired or not.
func (d *DB) Domain(ctx context.Context, domain string) (Listed, error) {
	if err := CheckText("domain", domain, 0); err != nil {
		return Listed{}, err
	}
	l, err := listingRow(d.b.queryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE kind = 'domain' AND value = ?`, domain))
	if err != nil {
		return Listed{}, fmt.Errorf("store: domain %s: %w", domain, err)
	}
	return l, nil
}

// Listings walks the live listings (not expired at now, not allowlisted):
// domains first, then URLs, each by value. URL patterns on allowlisted
// domains stay: they block one abused page, not the site.
func (d *DB) Listings(ctx context.Context, now time.Time, fn func(Listed) error) error {
	rs, err := d.b.query(ctx, `SELECT `+listingColumns+` FROM listings l
		WHERE expires > ? AND (pattern = 1 OR NOT EXISTS (SELECT 1 FROM allowlist a WHERE a.domain = l.domain))
		ORDER BY kind, value`, micros(now))
	if err != nil {
		return fmt.Errorf("store: listings: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		l, err := listingRow(rs)
		if err != nil {
			return fmt.Errorf("store: listings: %w", err)
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rs.Err()
}

// Verdicts walks the verdict history recorded at or after since, oldest
// first. Followers re-read a little overlap; applying a verdict twice is
// harmless.
func (d *DB) Verdicts(ctx context.Context, since time.Time, fn func(Verdict) error) error {
	rs, err := d.b.query(ctx, `SELECT scan_id, kind, value, pattern, verdict, at, expires FROM verdicts WHERE at >= ? ORDER BY at, scan_id, kind, value`, micros(since))
	if err != nil {
		return fmt.Errorf("store: verdicts: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var v Verdict
		var pat, at, exp int64
		if err := rs.Scan(&v.ScanID, &v.Kind, &v.Value, &pat, &v.Verdict, &at, &exp); err != nil {
			return fmt.Errorf("store: verdicts: %w", err)
		}
		v.Pattern = pat != 0
		v.At, v.Expires = fromMicros(at), fromMicros(exp)
		if err := fn(v); err != nil {
			return err
		}
	}
	return rs.Err()
}

// Campaigns lists the campaigns, most recently active first, with their
// numbers, domains and URL patterns.
func (d *DB) Campaigns(ctx context.Context) ([]Campaign, error) {
	return d.campaigns(ctx, "")
}

// Campaign returns one campaign.
func (d *DB) Campaign(ctx context.Context, id string) (Campaign, error) {
	if err := CheckText("campaign ID", id, 0); err != nil {
		return Campaign{}, err
	}
	cs, err := d.campaigns(ctx, id)
	if err != nil {
		return Campaign{}, err
	}
	if len(cs) == 0 {
		return Campaign{}, fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
	}
	return cs[0], nil
}

func (d *DB) campaigns(ctx context.Context, only string) ([]Campaign, error) {
	where, args := `WHERE campaign <> ''`, []any{}
	if only != "" {
		where, args = `WHERE campaign = ?`, []any{only}
	}
	rs, err := d.b.query(ctx, `SELECT campaign, brand, domain, finished_at FROM scans `+where+` AND status = 'done' ORDER BY campaign, finished_at`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	type building struct {
		Campaign
		domains, numbers, urls uniq
	}
	byID := map[string]*building{}
	var order []string
	for rs.Next() {
		var id, brand, dom string
		var fin int64
		if err := rs.Scan(&id, &brand, &dom, &fin); err != nil {
			rs.Close()
			return nil, fmt.Errorf("store: campaigns: %w", err)
		}
		c := byID[id]
		if c == nil {
			c = &building{Campaign: Campaign{ID: id, FirstSeen: fromMicros(fin)}}
			byID[id] = c
			order = append(order, id)
		}
		c.Pages++
		c.LastSeen = fromMicros(fin)
		if brand != "" {
			c.Brand = brand
		}
		c.domains.add(dom)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	// Numbers through their sightings; URL patterns through the listings.
	rs, err = d.b.query(ctx, `SELECT s.campaign, g.e164 FROM sightings g JOIN scans s ON s.id = g.scan_id `+strings.ReplaceAll(where, "campaign", "s.campaign")+` ORDER BY g.e164`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: campaign numbers: %w", err)
	}
	for rs.Next() {
		var id, n string
		if err := rs.Scan(&id, &n); err != nil {
			rs.Close()
			return nil, err
		}
		if c := byID[id]; c != nil {
			c.numbers.add(n)
		}
	}
	rs.Close()
	rs, err = d.b.query(ctx, `SELECT campaign, value FROM listings `+where+` AND kind = 'url' AND pattern = 1 ORDER BY value`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: campaign patterns: %w", err)
	}
	for rs.Next() {
		var id, v string
		if err := rs.Scan(&id, &v); err != nil {
			rs.Close()
			return nil, err
		}
		if c := byID[id]; c != nil {
			c.urls.add(v)
		}
	}
	rs.Close()
	out := make([]Campaign, 0, len(order))
	for _, id := range order {
		c := byID[id]
		c.Domains, c.Numbers, c.URLs = orEmpty(c.domains.list), orEmpty(c.numbers.list), c.urls.list
		slices.Sort(c.Domains)
		out = append(out, c.Campaign)
	}
	slices.SortStableFunc(out, func(a, b Campaign) int { return b.LastSeen.Compare(a.LastSeen) })
	return out, nil
}

// RenameCampaign moves everything of one campaign to another, when the
// clustering finds that two are one kit.
func (d *DB) RenameCampaign(ctx context.Context, from, to string) error {
	return d.inTx(ctx, func(tx txq) error { return renameCampaign(ctx, tx, from, to) })
}

func renameCampaign(ctx context.Context, q querier, from, to string) error {
	if from == "" || from == to {
		return nil
	}
	for _, table := range []string{"scans", "hotlines", "listings"} {
		if _, err := q.exec(ctx, `UPDATE `+table+` SET campaign = ? WHERE campaign = ?`, to, from); err != nil {
			return fmt.Errorf("store: rename campaign: %w", err)
		}
	}
	return nil
}
