package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Row is one figure of the table: tssguard's value beside its reference's,
// measured in the same run.
type Row struct {
	Figure string   `json:"figure"`
	TSS    *float64 `json:"tssguard,omitempty"`
	Ref    *float64 `json:"reference,omitempty"`
	Ratio  *float64 `json:"ratio,omitempty"` // tssguard / reference
	Unit   string   `json:"unit,omitempty"`
	Target *Target  `json:"target,omitempty"`
	OK     *bool    `json:"ok,omitempty"`
	// NA, when set, is why the figure could not be measured; the values
	// are then absent.
	NA string `json:"na,omitempty"`
	// Source is the sub-benchmark (a -only name) the row came from.
	Source string `json:"source"`
	// Note says how the figure was measured, for the JSON output.
	Note string `json:"note,omitempty"`
}

// Target is a goal from the issue: a bound on the ratio or on tssguard's
// own value.
type Target struct {
	On    string  `json:"on"` // "ratio" or "tssguard"
	Op    string  `json:"op"` // ">=", "<=", "<" or ">"
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"` // of Value, when On is tssguard
}

func (t Target) String() string {
	if t.On == "ratio" {
		return fmt.Sprintf("%s %sx", t.Op, trimFloat(t.Value))
	}
	return fmt.Sprintf("%s %s %s", t.Op, trimFloat(t.Value), t.Unit)
}

// Met reports whether r meets the target; false when the value it bounds
// is missing.
func (t Target) Met(r Row) bool {
	var v float64
	switch {
	case t.On == "ratio" && r.Ratio != nil:
		v = *r.Ratio
	case t.On == "tssguard" && r.TSS != nil:
		var ok bool
		if v, ok = convert(*r.TSS, r.Unit, t.Unit); !ok {
			return false
		}
	default:
		return false
	}
	switch t.Op {
	case ">=":
		return v >= t.Value
	case "<=":
		return v <= t.Value
	case "<":
		return v < t.Value
	case ">":
		return v > t.Value
	}
	return false
}

// durationUnits are the time units a target in one may be compared across.
var durationUnits = map[string]float64{"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1}

// convert expresses v, in unit from, in unit to (same unit, or two time
// units).
func convert(v float64, from, to string) (float64, bool) {
	if from == to || to == "" {
		return v, true
	}
	f, ok1 := durationUnits[from]
	t, ok2 := durationUnits[to]
	if !ok1 || !ok2 {
		return 0, false
	}
	return v * f / t, true
}

// num returns a pointer to v, for the optional values of a Row.
func num(v float64) *float64 { return &v }

// measured builds a row from two values; the ratio is tssguard/reference.
func measured(source, figure string, tss, ref float64, unit string, target *Target) Row {
	r := Row{Source: source, Figure: figure, TSS: num(tss), Ref: num(ref), Unit: unit, Target: target}
	if ref != 0 {
		r.Ratio = num(tss / ref)
	}
	r.judge()
	return r
}

// naRow is a figure that could not be measured, and why.
func naRow(source, figure, reason string) Row {
	return Row{Source: source, Figure: figure, NA: oneLine(reason)}
}

// judge sets OK from the target.
func (r *Row) judge() {
	r.OK = nil
	if r.Target != nil && r.NA == "" {
		ok := r.Target.Met(*r)
		r.OK = &ok
	}
}

// oneLine keeps an error message to its last non-empty line, trimmed, so a
// reason fits in the table (a failed command's stderr ends with the cause).
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return "no reason given"
}

// parseFigureLines reads the lines other benchmark programs print,
//
//	figure<TAB>tssguard<TAB>reference<TAB>ratio<TAB>unit[<TAB>target]
//
// and ignores everything else they print. A value may be "n/a (reason)",
// which makes the row not available; a reference may be "-" (none); a
// missing or "-" ratio is computed when both values are there; a ratio may
// end in "x". The optional target is like ">=0.8x" (on the ratio) or
// "<5 ms" (on tssguard's value); without one, targetFor chooses from the
// figure's name.
func parseFigureLines(source string, rd io.Reader) []Row {
	var rows []Row
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if r, ok := parseFigureLine(source, sc.Text()); ok {
			rows = append(rows, r)
		}
	}
	return rows
}

func parseFigureLine(source, line string) (Row, bool) {
	f := strings.Split(strings.TrimRight(line, "\r"), "\t")
	if len(f) != 5 && len(f) != 6 {
		return Row{}, false
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	r := Row{Source: source, Figure: f[0], Unit: f[4]}
	if r.Figure == "" {
		return Row{}, false
	}
	for _, v := range f[1:3] {
		if reason, ok := naReason(v); ok {
			return naRow(source, r.Figure, reason), true
		}
	}
	tss, err := strconv.ParseFloat(f[1], 64)
	if err != nil {
		return Row{}, false // not a figure line, whatever it is
	}
	r.TSS = num(tss)
	if f[2] != "-" && f[2] != "" {
		ref, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return Row{}, false
		}
		r.Ref = num(ref)
	}
	if ratio := strings.TrimRight(f[3], "x×"); ratio != "-" && ratio != "" {
		v, err := strconv.ParseFloat(ratio, 64)
		if err != nil {
			return Row{}, false
		}
		r.Ratio = num(v)
	} else if r.Ref != nil && *r.Ref != 0 {
		r.Ratio = num(tss / *r.Ref)
	}
	if len(f) == 6 && f[5] != "" && f[5] != "-" {
		t, err := parseTarget(f[5])
		if err != nil {
			return Row{}, false
		}
		r.Target = &t
	} else {
		r.Target = targetFor(r.Figure, r.Unit)
	}
	r.judge()
	return r, true
}

// naReason recognises "n/a" and "n/a (reason)".
func naReason(v string) (string, bool) {
	rest, ok := strings.CutPrefix(v, "n/a")
	if !ok {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	rest = strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")")
	if rest == "" {
		rest = "not measured"
	}
	return rest, true
}

// parseTarget reads ">=0.8x" (a ratio) or "<5 ms" (a bound on tssguard's
// value in a unit).
func parseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	var t Target
	for _, op := range []string{">=", "<=", "<", ">"} {
		if rest, ok := strings.CutPrefix(s, op); ok {
			t.Op, s = op, strings.TrimSpace(rest)
			break
		}
	}
	if t.Op == "" {
		return t, fmt.Errorf("target %q: want an operator (>=, <=, <, >)", s)
	}
	if v, ok := strings.CutSuffix(s, "x"); ok {
		t.On = "ratio"
		s = v
	} else {
		t.On = "tssguard"
		i := strings.IndexFunc(s, func(c rune) bool { return !(c >= '0' && c <= '9' || c == '.') })
		if i > 0 {
			s, t.Unit = s[:i], strings.TrimSpace(s[i:])
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return t, fmt.Errorf("target: %v", err)
	}
	t.Value = v
	return t, nil
}

// targetFor gives the goal for a figure another program printed
// without one, recognised by its name: CheckURL's p50 within 2x the
// reference lookup (canonicalising and a map, not the map alone), the check API at 0.8x a minimal server's req/s with
// p99 under 5 ms, the service (scans through the API) at 0.8x the CLI or
// the pool.
func targetFor(figure, unit string) *Target {
	f := strings.ToLower(figure)
	switch {
	case strings.Contains(f, "checkurl"):
		// Against the same work done with a plain map, not against the
		// bare map lookup, which skips canonicalising the URL.
		if strings.Contains(f, "p50") && !strings.Contains(f, "alone") {
			return &Target{On: "ratio", Op: "<=", Value: 2}
		}
	case strings.Contains(f, "check") && strings.Contains(f, "p99"):
		if _, ok := durationUnits[unit]; ok {
			return &Target{On: "tssguard", Op: "<", Value: 5, Unit: "ms"}
		}
	case strings.Contains(f, "check") && strings.Contains(unit, "/s"):
		return &Target{On: "ratio", Op: ">=", Value: 0.8}
	case (strings.Contains(f, "service") || strings.Contains(f, "api")) && (strings.Contains(unit, "/") || strings.Contains(f, "/min")):
		return &Target{On: "ratio", Op: ">=", Value: 0.8}
	}
	return nil
}

// parseMarkdownRows reads figures from a Markdown table whose header names
// the columns figure, tssguard, reference and ratio (and maybe unit), for
// programs that print one instead of figure lines. Without a unit column
// the unit is the figure's word with a slash ("scans/min"), if any.
func parseMarkdownRows(source string, rd io.Reader) []Row {
	var rows []Row
	col := map[string]int{}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
			col = map[string]int{} // a table ends at the first other line
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(col) == 0 {
			for i, c := range cells {
				col[strings.ToLower(c)] = i
			}
			if _, ok := col["figure"]; !ok {
				col = map[string]int{}
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(cells) {
				return cells[i]
			}
			return "-"
		}
		unit := get("unit")
		if unit == "-" {
			unit = ""
			for _, w := range strings.FieldsFunc(get("figure"), func(r rune) bool { return r == ' ' || r == ',' }) {
				if strings.Contains(w, "/") {
					unit = w
					break
				}
			}
		}
		fields := []string{get("figure"), get("tssguard"), get("reference"), get("ratio"), unit}
		if r, ok := parseFigureLine(source, strings.Join(fields, "\t")); ok {
			rows = append(rows, r)
		}
	}
	return rows
}

// trimFloat prints a target's value without trailing zeros.
func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// fmtValue prints a measured value with about three significant digits.
func fmtValue(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case a == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// fmtRatio prints a ratio with two decimals (three significant digits
// when it is under 0.01).
func fmtRatio(v float64) string {
	if math.Abs(v) < 0.01 && v != 0 {
		return strconv.FormatFloat(v, 'g', 3, 64) + "x"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "x"
}

// cells are a row's columns as printed.
func (r Row) cells() []string {
	if r.NA != "" {
		return []string{r.Figure, "n/a (" + r.NA + ")"}
	}
	val := func(p *float64) string {
		if p == nil {
			return "-"
		}
		if r.Unit == "" {
			return fmtValue(*p)
		}
		return fmtValue(*p) + " " + r.Unit
	}
	ratio, target, ok := "-", "-", "-"
	if r.Ratio != nil {
		ratio = fmtRatio(*r.Ratio)
	}
	if r.Target != nil {
		target = r.Target.String()
	}
	if r.OK != nil {
		ok = map[bool]string{true: "yes", false: "NO"}[*r.OK]
	}
	return []string{r.Figure, val(r.TSS), val(r.Ref), ratio, target, ok}
}

// writeTable prints the rows as a fixed-width table. A row that is not
// available prints its reason across the value columns.
func writeTable(w io.Writer, rows []Row) {
	head := []string{"figure", "tssguard", "reference", "ratio", "target", "ok?"}
	width := make([]int, len(head))
	for i, h := range head {
		width[i] = len([]rune(h))
	}
	for _, r := range rows {
		c := r.cells()
		if r.NA != "" {
			c = c[:1]
		}
		for i, s := range c {
			width[i] = max(width[i], len([]rune(s)))
		}
	}
	line := func(c []string) {
		var b strings.Builder
		for i, s := range c {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(s)
			if i < len(c)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-len([]rune(s))))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(head)
	var rule []string
	for _, n := range width {
		rule = append(rule, strings.Repeat("-", n))
	}
	line(rule)
	for _, r := range rows {
		line(r.cells())
	}
}

// writeNotes prints how each figure was measured, under the table.
func writeNotes(w io.Writer, rows []Row) {
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(w, "- %s: %s\n", strings.TrimSpace(r.Figure), r.Note)
		}
	}
}
