package js

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	tjs "github.com/tdewolff/parse/v2/js"
)

// maxFold caps the length of a folded string: concatenation in a loop of
// doubling expressions must not exhaust memory.
const maxFold = 64 << 10

// value is a folded constant: a string or an array of strings.
type value struct {
	s     string
	arr   []string
	isArr bool
	num   bool // the string is a number's text
}

// fold computes the constant string value of e when it is built from
// literals with concatenation, templates, String.fromCharCode, atob,
// unescape, decodeURIComponent, split/reverse/join and friends.
func (w *walker) fold(e tjs.IExpr) (string, bool) {
	v, ok := w.foldValue(e, 0)
	if !ok || v.isArr {
		return "", false
	}
	return v.s, true
}

func (w *walker) foldValue(e tjs.IExpr, depth int) (value, bool) {
	if depth > 48 {
		return value{}, false
	}
	switch n := e.(type) {
	case *tjs.LiteralExpr:
		switch n.TokenType {
		case tjs.StringToken:
			return value{s: unquote(n.Data)}, true
		case tjs.DecimalToken, tjs.IntegerToken:
			return value{s: string(n.Data), num: true}, true
		case tjs.HexadecimalToken, tjs.OctalToken, tjs.BinaryToken:
			if i, err := strconv.ParseInt(strings.ReplaceAll(string(n.Data), "_", ""), 0, 64); err == nil {
				return value{s: strconv.FormatInt(i, 10), num: true}, true
			}
		}
		return value{}, false
	case *tjs.TemplateExpr:
		if n.Tag != nil {
			return value{}, false
		}
		var b strings.Builder
		for _, part := range n.List {
			b.WriteString(templateText(part.Value))
			v, ok := w.foldValue(part.Expr, depth+1)
			if !ok {
				return value{}, false
			}
			b.WriteString(v.str())
		}
		b.WriteString(templateText(n.Tail))
		return capped(b.String())
	case *tjs.GroupExpr:
		return w.foldValue(n.X, depth+1)
	case *tjs.Var:
		if s, ok := w.consts[string(n.Name())]; ok {
			return value{s: s}, true
		}
		return value{}, false
	case *tjs.BinaryExpr:
		if n.Op != tjs.AddToken {
			if n.Op == tjs.SubToken || n.Op == tjs.MulToken {
				return w.foldArith(n, depth)
			}
			return value{}, false
		}
		x, ok := w.foldValue(n.X, depth+1)
		if !ok {
			return value{}, false
		}
		y, ok := w.foldValue(n.Y, depth+1)
		if !ok {
			return value{}, false
		}
		if x.num && y.num {
			return w.foldArith(n, depth)
		}
		return capped(x.str() + y.str())
	case *tjs.ArrayExpr:
		var arr []string
		for _, el := range n.List {
			v, ok := w.foldValue(el.Value, depth+1)
			if !ok || len(arr) > 4096 {
				return value{}, false
			}
			arr = append(arr, v.str())
		}
		return value{arr: arr, isArr: true}, true
	case *tjs.CallExpr:
		return w.foldCall(n, depth)
	}
	return value{}, false
}

func (v value) str() string {
	if v.isArr {
		return strings.Join(v.arr, ",")
	}
	return v.s
}

func capped(s string) (value, bool) {
	if len(s) > maxFold {
		return value{}, false
	}
	return value{s: s}, true
}

func (w *walker) foldArith(n *tjs.BinaryExpr, depth int) (value, bool) {
	x, ok1 := w.foldValue(n.X, depth+1)
	y, ok2 := w.foldValue(n.Y, depth+1)
	if !ok1 || !ok2 || !x.num || !y.num {
		return value{}, false
	}
	a, err1 := strconv.ParseFloat(x.s, 64)
	b, err2 := strconv.ParseFloat(y.s, 64)
	if err1 != nil || err2 != nil {
		return value{}, false
	}
	var r float64
	switch n.Op {
	case tjs.AddToken:
		r = a + b
	case tjs.SubToken:
		r = a - b
	case tjs.MulToken:
		r = a * b
	default:
		return value{}, false
	}
	return value{s: strconv.FormatFloat(r, 'f', -1, 64), num: true}, true
}

// foldCall folds the decoding functions and string methods kits use.
func (w *walker) foldCall(n *tjs.CallExpr, depth int) (value, bool) {
	callee := w.path(n.X)
	args := make([]value, 0, len(n.Args.List))
	argsOK := true
	for _, a := range n.Args.List {
		v, ok := w.foldValue(a.Value, depth+1)
		if !ok {
			argsOK = false
			break
		}
		args = append(args, v)
	}
	arg := func(i int) string {
		if i < len(args) {
			return args[i].str()
		}
		return ""
	}
	switch strings.TrimPrefix(strings.TrimPrefix(callee, "window."), "self.") {
	case "String.fromCharCode", "String.fromCodePoint":
		if !argsOK {
			return value{}, false
		}
		var b strings.Builder
		for _, a := range args {
			if a.isArr {
				return value{}, false
			}
			c, err := strconv.ParseFloat(a.s, 64)
			if err != nil || c < 0 || c > utf8.MaxRune {
				return value{}, false
			}
			b.WriteRune(rune(c))
		}
		return w.decoded("fromCharCode", b.String(), n)
	case "atob":
		if !argsOK || len(args) != 1 {
			return value{}, false
		}
		b, ok := decodeBase64(arg(0))
		if !ok {
			return value{}, false
		}
		return w.decoded("atob", string(b), n)
	case "unescape":
		if !argsOK || len(args) != 1 {
			return value{}, false
		}
		return w.decoded("unescape", jsUnescape(arg(0)), n)
	case "decodeURIComponent", "decodeURI":
		if !argsOK || len(args) != 1 {
			return value{}, false
		}
		s, err := url.PathUnescape(arg(0))
		if err != nil {
			return value{}, false
		}
		return w.decoded("decodeURIComponent", s, n)
	case "String", "encodeURIComponent", "encodeURI":
		if argsOK && len(args) == 1 {
			if callee == "String" {
				return value{s: arg(0)}, true
			}
			return value{s: url.PathEscape(arg(0))}, true
		}
	}
	// Methods on a folded receiver.
	d, ok := n.X.(*tjs.DotExpr)
	if !ok || !argsOK {
		return value{}, false
	}
	recv, ok := w.foldValue(d.X, depth+1)
	if !ok {
		return value{}, false
	}
	switch lastComponent(callee) {
	case "split":
		if recv.isArr || len(args) > 1 {
			return value{}, false
		}
		sep := arg(0)
		var parts []string
		if sep == "" {
			for _, r := range recv.s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(recv.s, sep)
		}
		return value{arr: parts, isArr: true}, true
	case "reverse":
		if !recv.isArr {
			return value{}, false
		}
		out := make([]string, len(recv.arr))
		for i, s := range recv.arr {
			out[len(out)-1-i] = s
		}
		return value{arr: out, isArr: true}, true
	case "join":
		if !recv.isArr {
			return value{}, false
		}
		sep := ","
		if len(args) > 0 {
			sep = arg(0)
		}
		return w.decoded("join", strings.Join(recv.arr, sep), n)
	case "concat":
		if recv.isArr {
			return value{}, false
		}
		var b strings.Builder
		b.WriteString(recv.s)
		for _, a := range args {
			b.WriteString(a.str())
		}
		return capped(b.String())
	case "replace", "replaceAll":
		if recv.isArr || len(args) != 2 {
			return value{}, false
		}
		if lastComponent(callee) == "replaceAll" {
			return capped(strings.ReplaceAll(recv.s, arg(0), arg(1)))
		}
		return capped(strings.Replace(recv.s, arg(0), arg(1), 1))
	case "toLowerCase":
		return value{s: strings.ToLower(recv.str())}, true
	case "toUpperCase":
		return value{s: strings.ToUpper(recv.str())}, true
	case "trim":
		return value{s: strings.TrimSpace(recv.str())}, true
	case "toString":
		return value{s: recv.str()}, true
	}
	return value{}, false
}

// decoded records a decoding for Deobfuscate and returns its value.
func (w *walker) decoded(method, s string, n *tjs.CallExpr) (value, bool) {
	if len(s) > maxFold {
		return value{}, false
	}
	if w.decodings != nil && len(s) >= 4 && len(*w.decodings) < maxFacts {
		*w.decodings = append(*w.decodings, Decoded{Method: method, Text: s, Offset: w.callOffset(n), Depth: 1})
	}
	return value{s: s}, true
}

// decodeBase64 decodes standard or URL-safe base64, padded or not,
// ignoring white space inside (kits wrap long blobs).
func decodeBase64(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\r', '\t':
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// jsUnescape implements JavaScript's unescape: %XX and %uXXXX.
func jsUnescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
				if v, err := strconv.ParseUint(s[i+2:i+6], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += 5
					continue
				}
			}
			if i+2 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
					b.WriteRune(rune(v))
					i += 2
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unquote decodes a JavaScript string literal including its quotes.
func unquote(lit []byte) string {
	if len(lit) < 2 {
		return ""
	}
	s, _ := unescapeJS(lit[1 : len(lit)-1])
	return s
}

// templateText decodes the text of a template part (without `, ${ or }).
func templateText(raw []byte) string {
	s := raw
	s = trimPrefixByte(s, '`')
	s = trimPrefixByte(s, '}')
	if len(s) >= 2 && s[len(s)-2] == '$' && s[len(s)-1] == '{' {
		s = s[:len(s)-2]
	} else if len(s) > 0 && s[len(s)-1] == '`' {
		s = s[:len(s)-1]
	}
	out, _ := unescapeJS(s)
	return out
}

func trimPrefixByte(b []byte, c byte) []byte {
	if len(b) > 0 && b[0] == c {
		return b[1:]
	}
	return b
}

// unescapeJS decodes the escapes of a string literal's body and says
// whether there were any that spell ordinary characters (\x74, \u0074).
func unescapeJS(s []byte) (string, bool) {
	if !strings.ContainsRune(string(s), '\\') {
		return string(s), false
	}
	var b strings.Builder
	escaped := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\n':
			// line continuation
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case 'x':
			if i+2 < len(s) {
				if v, err := strconv.ParseUint(string(s[i+1:i+3]), 16, 8); err == nil {
					b.WriteRune(rune(v))
					i += 2
					escaped = true
					continue
				}
			}
			b.WriteByte('x')
		case 'u':
			if i+1 < len(s) && s[i+1] == '{' {
				end := strings.IndexByte(string(s[i+1:]), '}')
				if end > 0 {
					if v, err := strconv.ParseUint(string(s[i+2:i+1+end]), 16, 32); err == nil && v <= utf8.MaxRune {
						b.WriteRune(rune(v))
						i += 1 + end
						escaped = true
						continue
					}
				}
			} else if i+4 < len(s) {
				if v, err := strconv.ParseUint(string(s[i+1:i+5]), 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += 4
					escaped = true
					continue
				}
			}
			b.WriteByte('u')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(string(s[i:j]), 8, 16)
			if v > 0 {
				escaped = true
			}
			b.WriteRune(rune(v))
			i = j - 1
		default:
			b.WriteByte(e)
		}
	}
	return b.String(), escaped
}
