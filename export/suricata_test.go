package export

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

type suricataRule struct {
	proto string
	opts  map[string][]string // option name to values, in order
}

// splitOptions splits a rule body at unescaped ';' outside quotes,
// unescaping quoted values; it fails on unbalanced quotes or an escape at
// the end.
func splitOptions(body string) ([][2]string, error) {
	var out [][2]string
	var cur strings.Builder
	quoted, esc := false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case esc:
			if !strings.ContainsRune(`;"\:,`, rune(c)) {
				return nil, fmt.Errorf("bad escape \\%c", c)
			}
			cur.WriteByte(c)
			esc = false
		case c == '\\':
			esc = true
		case c == '"':
			quoted = !quoted
			cur.WriteByte(c)
		case c == ';' && !quoted:
			opt := strings.TrimSpace(cur.String())
			cur.Reset()
			k, v, _ := strings.Cut(opt, ":")
			out = append(out, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		default:
			if c < 0x20 || c >= 0x7f {
				return nil, fmt.Errorf("byte %#x", c)
			}
			cur.WriteByte(c)
		}
	}
	if quoted || esc || strings.TrimSpace(cur.String()) != "" {
		return nil, fmt.Errorf("unterminated option %q", cur.String())
	}
	return out, nil
}

// suricataCheck is a minimal Suricata rule grammar: action, protocol,
// addresses, "( options )" with balanced parentheses outside quotes,
// known keywords, the required msg/sid/rev, content only after a sticky
// buffer, and SIDs unique across the file.
func suricataCheck(file string) ([]suricataRule, []string) {
	var rules []suricataRule
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	headRe := regexp.MustCompile(`^(alert|drop|pass|reject) (dns|tls|http) (any|\$\w+) any -> (any|\$\w+) any \((.*)\)$`)
	known := map[string]bool{"msg": true, "dns.query": true, "tls.sni": true, "dotprefix": true, "content": true, "nocase": true, "endswith": true, "classtype": true, "sid": true, "rev": true, "metadata": true, "flow": true, "reference": true}
	flags := map[string]bool{"dns.query": true, "tls.sni": true, "dotprefix": true, "nocase": true, "endswith": true}
	sids := map[int]bool{}
	for n, l := range lines(file) {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		depth, quoted := 0, false
		for i := 0; i < len(l); i++ {
			switch {
			case l[i] == '\\':
				i++
			case l[i] == '"':
				quoted = !quoted
			case l[i] == '(' && !quoted:
				depth++
			case l[i] == ')' && !quoted:
				depth--
				if depth < 0 {
					fail("line %d: unbalanced ')'", n+1)
				}
			}
		}
		if depth != 0 || quoted {
			fail("line %d: unbalanced parentheses or quotes", n+1)
			continue
		}
		m := headRe.FindStringSubmatch(l)
		if m == nil {
			fail("line %d: bad rule header: %q", n+1, l)
			continue
		}
		opts, err := splitOptions(m[5])
		if err != nil {
			fail("line %d: %v", n+1, err)
			continue
		}
		r := suricataRule{proto: m[2], opts: map[string][]string{}}
		buffer := false
		for _, o := range opts {
			k, v := o[0], o[1]
			switch {
			case !known[k]:
				fail("line %d: unknown keyword %q", n+1, k)
			case flags[k] && v != "":
				fail("line %d: %s takes no value", n+1, k)
			case !flags[k] && v == "":
				fail("line %d: %s needs a value", n+1, k)
			case k == "dns.query" || k == "tls.sni":
				buffer = true
			case k == "content":
				if !buffer {
					fail("line %d: content outside a sticky buffer", n+1)
				}
				if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
					fail("line %d: content not quoted", n+1)
				}
				v = v[1 : len(v)-1]
			case k == "msg":
				if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
					fail("line %d: msg not quoted", n+1)
				}
				v = v[1 : len(v)-1]
			}
			r.opts[k] = append(r.opts[k], v)
		}
		for _, req := range []string{"msg", "sid", "rev", "content"} {
			if len(r.opts[req]) != 1 {
				fail("line %d: %d %s", n+1, len(r.opts[req]), req)
			}
		}
		sid, err := strconv.Atoi(strings.Join(r.opts["sid"], ""))
		if err != nil || sid < 1 || sid >= 1<<31 || sids[sid] {
			fail("line %d: bad or duplicate sid %v", n+1, r.opts["sid"])
		}
		sids[sid] = true
		rules = append(rules, r)
	}
	return rules, errs
}

func TestSuricata(t *testing.T) {
	out := run(t, Suricata, fixture(), testMeta())
	rules, errs := suricataCheck(out)
	for _, e := range errs {
		t.Error(e)
	}
	var dnsD, tlsD []string
	for _, r := range rules {
		d, ok := strings.CutPrefix(r.opts["content"][0], ".")
		if !ok {
			t.Errorf("content %q without the leading dot", r.opts["content"][0])
		}
		if r.proto == "dns" {
			dnsD = append(dnsD, d)
		} else {
			tlsD = append(tlsD, d)
		}
	}
	sameList(t, "dns rules", dnsD, wantDomains)
	sameList(t, "tls rules", tlsD, wantDomains)
	// The brand with quotes and ';' is escaped, and unescapes back.
	if msg := rules[2].opts["msg"][0]; msg != `tssguard TSS domain xn--bcher-kva.de - Apple "Support"; x` {
		t.Errorf("msg %q", msg)
	}
	if !strings.HasSuffix(out, "# Entries: 4\n") {
		t.Errorf("no trailer")
	}
}

// A domain keeps its SIDs whatever else is in the list.
func TestSuricataSIDsStable(t *testing.T) {
	sidsOf := func(src Slice) map[string]string {
		rules, errs := suricataCheck(run(t, Suricata, src, testMeta()))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		m := map[string]string{}
		for _, r := range rules {
			m[r.proto+r.opts["content"][0]] = r.opts["sid"][0]
		}
		return m
	}
	a := sidsOf(Slice{Items: []Indicator{{Kind: Domain, Value: "a.example.com"}, {Kind: Domain, Value: "b.example.com"}}})
	b := sidsOf(Slice{Items: []Indicator{{Kind: Domain, Value: "c.example.com"}, {Kind: Domain, Value: "b.example.com"}, {Kind: Domain, Value: "a.example.com"}}})
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s: sid %s then %s", k, v, b[k])
		}
	}
}

// Two domains in one slot: the first keeps it, the second takes the next
// free one, wrapping at the end of the range.
func TestSuricataSIDCollision(t *testing.T) {
	a := sidAlloc{}
	const base = SuricataSIDBase
	for i, c := range []struct {
		slot uint32
		want int64
	}{
		{5, base + 10}, {5, base + 12}, {6, base + 14}, {5, base + 16},
		{sidSlots - 1, base + 2*(sidSlots-1)}, {sidSlots - 1, base}, {0, base + 2},
	} {
		if got := a.alloc(c.slot); got != c.want {
			t.Errorf("alloc %d: slot %d got sid %d, want %d", i, c.slot, got, c.want)
		}
	}
	if max := int64(base + 2*sidSlots - 1); max >= 1<<31 {
		t.Errorf("highest SID %d does not fit a signed 32-bit int", max)
	}
}

func TestSuricataCheckerRejects(t *testing.T) {
	for _, bad := range []string{
		`alert dns any any -> any any (msg:"x"; dns.query; content:"a"; sid:1; rev:1;`,
		`alert dns any any -> any any (msg:"x"; content:"a"; sid:1; rev:1;)`,
		`alert dns any any -> any any (msg:"x"; dns.query; content:"a"; rev:1;)`,
		`alert dns any any -> any any (msg:"x"; dns.query; content:"a"; sid:1; rev:1; pcre:"/x/";)`,
		`alert dns any any -> any any (msg:"x"y"; dns.query; content:"a"; sid:1; rev:1;)`,
		`alert dns any any -> any any (msg:"x"; dns.query; content:"a"; sid:1; rev:1;)` + "\n" + `alert tls any any -> any any (msg:"x"; tls.sni; content:"a"; sid:1; rev:1;)`,
	} {
		if _, errs := suricataCheck(bad); len(errs) == 0 {
			t.Errorf("checker accepted %q", bad)
		}
	}
}
