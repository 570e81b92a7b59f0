package ui

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
)

// chart is a server-rendered SVG; every label in it is escaped here.
type chart struct {
	SVG   template.HTML
	Empty bool
}

type bar struct {
	Label   string
	Value   float64
	Note    string
	Current bool
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

// hbars draws horizontal bars, one per label; share means values are
// fractions shown as percentages.
func hbars(bars []bar, title string, share bool) chart {
	if len(bars) == 0 {
		return chart{Empty: true}
	}
	const width, labelW, rowH = 640, 200, 26
	height := rowH*len(bars) + 10
	maxV := 0.0
	for _, b := range bars {
		maxV = max(maxV, b.Value)
	}
	if share || maxV == 0 {
		maxV = max(maxV, 1)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`, width, height, html.EscapeString(title), html.EscapeString(title))
	for i, b := range bars {
		y := 5 + i*rowH
		w := int(float64(width-labelW-70) * b.Value / maxV)
		val := strconv.FormatFloat(b.Value, 'f', -1, 64)
		if share {
			val = strconv.Itoa(int(b.Value*100+0.5)) + "%"
		}
		cls := "bar"
		if b.Current {
			cls = "bar current"
		}
		fmt.Fprintf(&sb, `<g><title>%s: %s (%s)</title><text x="0" y="%d" class="label">%s</text><rect class="%s" x="%d" y="%d" width="%d" height="%d"></rect><text x="%d" y="%d" class="value">%s</text></g>`,
			html.EscapeString(b.Label), val, html.EscapeString(b.Note), y+17, html.EscapeString(shorten(b.Label, 26)), cls, labelW, y+3, max(w, 1), rowH-8, labelW+w+6, y+17, val)
	}
	sb.WriteString(`</svg>`)
	return chart{SVG: template.HTML(sb.String())}
}

// perDay draws, for each day between a campaign's first and last
// sighting, how many numbers it started using that day.
func perDay(ns []numberLife, title string) chart {
	if len(ns) == 0 {
		return chart{Empty: true}
	}
	counts := map[string]int{}
	var days []time.Time
	for _, n := range ns {
		d := n.First.UTC().Truncate(24 * time.Hour)
		k := d.Format("2006-01-02")
		if counts[k] == 0 {
			days = append(days, d)
		}
		counts[k]++
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	// Every day from first to last, quiet ones included (at most 90).
	var all []time.Time
	for d := days[0]; !d.After(days[len(days)-1]) && len(all) < 90; d = d.Add(24 * time.Hour) {
		all = append(all, d)
	}
	const width, height, pad = 640, 180, 30
	maxV := 1
	for _, c := range counts {
		maxV = max(maxV, c)
	}
	bw := float64(width-2*pad) / float64(len(all))
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`, width, height, html.EscapeString(title), html.EscapeString(title))
	fmt.Fprintf(&sb, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"></line>`, pad, height-pad, width-pad, height-pad)
	for i, d := range all {
		k := d.Format("2006-01-02")
		c := counts[k]
		h := int(float64(height-2*pad) * float64(c) / float64(maxV))
		x := pad + int(float64(i)*bw)
		fmt.Fprintf(&sb, `<g><title>%s: %s</title><rect class="bar" x="%d" y="%d" width="%d" height="%d"></rect></g>`,
			k, plural(c, "new number"), x+1, height-pad-h, max(int(bw)-2, 1), h)
	}
	fmt.Fprintf(&sb, `<text class="label" x="%d" y="%d">%s</text>`, pad, height-8, all[0].Format("2 Jan 2006"))
	if len(all) > 1 {
		fmt.Fprintf(&sb, `<text class="label end" x="%d" y="%d">%s</text>`, width-pad, height-8, all[len(all)-1].Format("2 Jan 2006"))
	}
	fmt.Fprintf(&sb, `<text class="label" x="%d" y="%d">%d</text>`, 2, pad+4, maxV)
	sb.WriteString(`</svg>`)
	return chart{SVG: template.HTML(sb.String())}
}

// timeline draws sightings as marks along time.
func timeline(ts []time.Time, title string) chart {
	if len(ts) == 0 {
		return chart{Empty: true}
	}
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	first, last := ts[0], ts[len(ts)-1]
	span := last.Sub(first)
	const width, height, pad = 640, 70, 30
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`, width, height, html.EscapeString(title), html.EscapeString(title))
	fmt.Fprintf(&sb, `<line class="axis" x1="%d" y1="30" x2="%d" y2="30"></line>`, pad, width-pad)
	for _, t := range ts {
		x := width / 2
		if span > 0 {
			x = pad + int(float64(width-2*pad)*float64(t.Sub(first))/float64(span))
		}
		fmt.Fprintf(&sb, `<g><title>%s</title><circle class="dot" cx="%d" cy="30" r="6"></circle></g>`, t.UTC().Format("2006-01-02 15:04 MST"), x)
	}
	fmt.Fprintf(&sb, `<text class="label" x="%d" y="%d">%s</text>`, pad, height-8, first.UTC().Format("2 Jan 2006 15:04"))
	if span > 0 {
		fmt.Fprintf(&sb, `<text class="label end" x="%d" y="%d">%s</text>`, width-pad, height-8, last.UTC().Format("2 Jan 2006 15:04"))
	}
	sb.WriteString(`</svg>`)
	return chart{SVG: template.HTML(sb.String())}
}
