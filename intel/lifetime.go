package intel

import (
	"slices"
	"time"
)

// Sighting is one observation of a hotline number.
type Sighting struct {
	Number string // E.164
	Seen   time.Time
}

// FirstLast folds sightings into each number's first and last sighting,
// the input of Lifetimes.
func FirstLast(sightings []Sighting) map[string][2]time.Time {
	out := make(map[string][2]time.Time)
	for _, s := range sightings {
		fl, ok := out[s.Number]
		if !ok {
			out[s.Number] = [2]time.Time{s.Seen, s.Seen}
			continue
		}
		if s.Seen.Before(fl[0]) {
			fl[0] = s.Seen
		}
		if s.Seen.After(fl[1]) {
			fl[1] = s.Seen
		}
		out[s.Number] = fl
	}
	return out
}

// Bucket counts the numbers whose lifetime is below Below (and at or
// above the previous bucket's bound); Below is 0 for the last, open bucket.
type Bucket struct {
	Label string        `json:"label"`
	Below time.Duration `json:"below_ns,omitempty"`
	Count int           `json:"count"`
}

// LifetimeStats summarises how long hotline numbers stay in use: the time
// from a number's first sighting to its last. Scammers rotate numbers
// within hours, so the share under a day says how fast a blocklist of
// numbers goes stale.
type LifetimeStats struct {
	Numbers       int           `json:"numbers"`
	UnderDay      int           `json:"under_day"`
	ShareUnderDay float64       `json:"share_under_day"`
	P50           time.Duration `json:"p50_ns"`
	P90           time.Duration `json:"p90_ns"`
	Max           time.Duration `json:"max_ns"`
	Buckets       []Bucket      `json:"buckets"`
}

const day = 24 * time.Hour

// lifetimeBuckets are the bucket bounds: <1h, <1d, <7d, <30d, >=30d.
var lifetimeBuckets = []Bucket{
	{Label: "<1h", Below: time.Hour},
	{Label: "<1d", Below: day},
	{Label: "<7d", Below: 7 * day},
	{Label: "<30d", Below: 30 * day},
	{Label: ">=30d"},
}

// Lifetimes computes lifetime statistics from each number's first and
// last sighting. A number seen once has lifetime 0; a pair given in the
// wrong order counts as its absolute difference. Percentiles are nearest
// rank.
func Lifetimes(firstLast map[string][2]time.Time) LifetimeStats {
	st := LifetimeStats{Numbers: len(firstLast), Buckets: slices.Clone(lifetimeBuckets)}
	if len(firstLast) == 0 {
		return st
	}
	d := make([]time.Duration, 0, len(firstLast))
	for _, fl := range firstLast {
		l := fl[1].Sub(fl[0])
		if l < 0 {
			l = -l
		}
		d = append(d, l)
		if l < day {
			st.UnderDay++
		}
		for i := range st.Buckets {
			if b := st.Buckets[i].Below; b == 0 || l < b {
				st.Buckets[i].Count++
				break
			}
		}
	}
	slices.Sort(d)
	st.ShareUnderDay = float64(st.UnderDay) / float64(len(d))
	st.P50 = percentile(d, 50)
	st.P90 = percentile(d, 90)
	st.Max = d[len(d)-1]
	return st
}

// percentile is the nearest-rank percentile of sorted d.
func percentile(d []time.Duration, p int) time.Duration {
	rank := (p*len(d) + 99) / 100 // ceil(p/100 * n)
	return d[max(rank, 1)-1]
}
