package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// NumbersHeader is the first record of the numbers format.
var NumbersHeader = []string{"e164", "type", "region", "first_seen", "last_seen", "campaign", "brand", "status", "sightings"}

// Numbers is the scam phone numbers as CSV (RFC 4180, header row
// NumbersHeader), times in RFC 3339 UTC, empty when unknown. Status is
// "active" unless the indicator says otherwise.
//
// Text fields are made safe for spreadsheets: control characters become
// spaces, and a field that would start with '=', '+', '-' or '@' (a
// formula in Excel or LibreOffice) is prefixed with an apostrophe. The
// e164 column is exempt: it is checked to be '+' and digits only.
var Numbers = Format{
	Name:        "numbers",
	Description: "scam phone numbers as CSV (e164,type,region,first_seen,last_seen,campaign,brand,status,sightings)",
	ContentType: "text/csv; charset=utf-8",
	Ext:         "csv",
	Write:       writeNumbers,
}

// csvText cleans a free-text field.
func csvText(v string, max int) string {
	v = cleanText(v, max)
	if v != "" && strings.IndexByte("=+-@", v[0]) >= 0 {
		v = "'" + v
	}
	return v
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func writeNumbers(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	s := newSink(w)
	cw := csv.NewWriter(s.bw)
	var st stats
	seen := hashSet{}
	if err := cw.Write(NumbersHeader); err != nil {
		return err
	}
	rec := make([]string, len(NumbersHeader))
	isNumber := func(k Kind) bool { return k == Number }
	err := each(ctx, src, meta, &st, isNumber, func(it Indicator) error {
		n, err := NormalizeE164(it.Value)
		if err != nil {
			st.invalid++
			return nil
		}
		if !seen.add(n) {
			st.dup++
			return nil
		}
		st.written++
		region := ""
		if r := strings.ToUpper(it.Region); len(r) == 2 && r[0] >= 'A' && r[0] <= 'Z' && r[1] >= 'A' && r[1] <= 'Z' {
			region = r
		}
		status := csvText(it.Status, 20)
		if status == "" {
			status = "active"
		}
		rec[0] = n
		rec[1] = csvText(it.NumberType, 40)
		rec[2] = region
		rec[3] = csvTime(it.FirstSeen)
		rec[4] = csvTime(it.LastSeen)
		rec[5] = csvText(it.Campaign, 100)
		rec[6] = csvText(it.Brand, 100)
		rec[7] = status
		rec[8] = strconv.Itoa(it.Sightings)
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return s.flush()
}
