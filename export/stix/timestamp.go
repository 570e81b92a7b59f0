package stix

import "time"

// TimeFormat is a STIX timestamp (section 3.2): RFC 3339, UTC, "Z", with
// millisecond precision.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Timestamp is a time written in TimeFormat. The zero Timestamp is omitted
// (fields carry omitzero). Time is a named field, not embedded, so that
// time.Time's own MarshalJSON does not take over.
type Timestamp struct{ Time time.Time }

func (t Timestamp) IsZero() bool            { return t.Time.IsZero() }
func (t Timestamp) Before(u time.Time) bool { return t.Time.Before(u) }
func (t Timestamp) After(u time.Time) bool  { return t.Time.After(u) }
func (t Timestamp) Equal(u time.Time) bool  { return t.Time.Equal(u) }

// ts truncates t to the millisecond in UTC, the precision every STIX
// timestamp here has, so comparisons match what is written.
func ts(t time.Time) Timestamp {
	if t.IsZero() {
		return Timestamp{}
	}
	return Timestamp{t.UTC().Truncate(time.Millisecond)}
}

// MarshalText writes TimeFormat; it is the hot path of every export, so it
// formats by hand rather than through time.Format.
func (t Timestamp) MarshalText() ([]byte, error) {
	u := t.Time.UTC()
	y, mo, d := u.Date()
	h, mi, s := u.Clock()
	if y < 0 || y > 9999 {
		return u.AppendFormat(nil, TimeFormat), nil
	}
	b := make([]byte, len(TimeFormat))
	put := func(i, v, n int) {
		for j := i + n - 1; j >= i; j-- {
			b[j] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	b[4] = '-'
	put(5, int(mo), 2)
	b[7] = '-'
	put(8, d, 2)
	b[10] = 'T'
	put(11, h, 2)
	b[13] = ':'
	put(14, mi, 2)
	b[16] = ':'
	put(17, s, 2)
	b[19] = '.'
	put(20, u.Nanosecond()/1e6, 3)
	b[23] = 'Z'
	return b, nil
}

func (t *Timestamp) UnmarshalText(b []byte) error {
	v, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return err
	}
	t.Time = v.UTC()
	return nil
}
