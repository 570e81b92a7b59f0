package urlx

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
)

// MaxHosts and MaxPaths bound the expressions of one URL: at most five host
// strings and six path strings, so at most thirty expressions.
const (
	MaxHosts = 5
	MaxPaths = 6
)

// Split splits a canonical URL (as returned by Canonicalize, with or without
// its scheme) into its host and the rest, which starts with '/' and may end
// in "?query".
func Split(canonical string) (host, pathQuery string) {
	s := canonical
	switch {
	case strings.HasPrefix(s, "http://"):
		s = s[len("http://"):]
	case strings.HasPrefix(s, "https://"):
		s = s[len("https://"):]
	}
	// The first '/' or '?': two IndexByte scans cost less than IndexAny
	// or a loop.
	i := strings.IndexByte(s, '/')
	if i < 0 {
		i = len(s)
	}
	if j := strings.IndexByte(s[:i], '?'); j >= 0 {
		i = j
	}
	if i == len(s) {
		return s, "/"
	}
	if s[i] == '?' {
		// Not canonical (the path is missing); tolerate it.
		return s[:i], "/" + s[i:]
	}
	return s[:i], s[i:]
}

// HostSuffixes appends to dst the host strings a canonical host is looked
// up under, most specific first: the exact host name and, unless the host
// is an IP address, up to four host names formed from its last five
// components by successively removing the leading component. The top-level
// domain alone is skipped.
func HostSuffixes(dst []string, host string) []string {
	dst = append(dst, host)
	// An IP address ends in a digit or starts with '['.
	if n := len(host); n > 0 && (host[0] == '[' || isDigit(host[n-1])) && IsIP(host) {
		return dst
	}
	// dots[j] is the position of the (j+1)th dot from the end; the
	// suffix after dots[j] has j+1 components.
	var dots [5]int
	k := 0
	for i := len(host) - 1; i >= 0 && k < len(dots); i-- {
		if host[i] == '.' {
			dots[k] = i
			k++
		}
	}
	// From the last five components (or all but the first) down to two.
	for j := k - 1; j >= 1; j-- {
		dst = append(dst, host[dots[j]+1:])
	}
	return dst
}

// PathVariants appends to dst the path strings a canonical path (with its
// query, if any) is looked up under, in the order the specification lists
// them: the exact path with the query, the exact path without the query,
// and up to four paths formed by starting at the root ("/") and successively
// appending path components, each with a trailing slash. Duplicates are
// left out.
func PathVariants(dst []string, pathQuery string) []string {
	path := pathQuery
	if i := strings.IndexByte(pathQuery, '?'); i >= 0 {
		path = pathQuery[:i]
		dst = append(dst, pathQuery)
	}
	dst = append(dst, path)
	// Prefixes: "/", then each directory, up to four in all. The last
	// component (after the last '/') is the file name, never a prefix.
	end := 0 // path[:end+1] is the current prefix, ending in '/'
	for k := 0; k < 4; k++ {
		if p := path[:end+1]; p != path {
			dst = append(dst, p)
		}
		j := strings.IndexByte(path[end+1:], '/')
		if j < 0 {
			break
		}
		end += 1 + j
	}
	return dst
}

// Expressions returns the host-suffix/path-prefix expressions of a canonical
// URL (see Canonicalize), as the specification lists them: for each host
// string of HostSuffixes, each path string of PathVariants. For example
// "http://a.b.c/1/2.html?param=1" gives
//
//	a.b.c/1/2.html?param=1
//	a.b.c/1/2.html
//	a.b.c/
//	a.b.c/1/
//	b.c/1/2.html?param=1
//	b.c/1/2.html
//	b.c/
//	b.c/1/
func Expressions(canonical string) []string {
	host, pq := Split(canonical)
	var hb [MaxHosts]string
	var pb [MaxPaths]string
	hosts := HostSuffixes(hb[:0], host)
	paths := PathVariants(pb[:0], pq)
	out := make([]string, 0, len(hosts)*len(paths))
	for _, h := range hosts {
		for _, p := range paths {
			out = append(out, h+p)
		}
	}
	return out
}

// IsIP reports whether a canonical host is an IP address: a dotted quad of
// decimal numbers, or a bracketed IPv6 literal.
func IsIP(host string) bool {
	if strings.HasPrefix(host, "[") {
		return true
	}
	parts := 0
	digits := 0
	for i := 0; i < len(host); i++ {
		switch b := host[i]; {
		case b == '.':
			if digits == 0 {
				return false
			}
			parts++
			digits = 0
		case isDigit(b):
			digits++
			if digits > 3 {
				return false
			}
		default:
			return false
		}
	}
	return parts == 3 && digits > 0
}

// Hash returns the SHA-256 hash of an expression.
func Hash(expr string) [32]byte { return sha256.Sum256([]byte(expr)) }

// Prefix returns the first four bytes of a hash as a big-endian number, the
// hash prefix of the specification.
func Prefix(h [32]byte) uint32 { return binary.BigEndian.Uint32(h[:4]) }
