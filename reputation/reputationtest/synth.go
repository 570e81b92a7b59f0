// Package reputationtest synthesises realistic listings and lookups for
// tests and benchmarks of package reputation.
package reputationtest

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

var (
	words = strings.Fields(`support help microsoft windows defender apple secure alert
		virus error warning security center service online call fix tech care desk
		update system protect account login verify billing refund helpline official
		chat team cloud web net page site live mail store app device scan clean shield`)
	tlds = strings.Fields(`com com com com net org info xyz top online site live shop
		store club icu buzz co.uk com.au de fr in`)
	shared = strings.Fields(`pages.dev azurewebsites.net z13.web.core.windows.net
		blob.core.windows.net github.io netlify.app vercel.app herokuapp.com web.app
		firebaseapp.com s3.amazonaws.com appspot.com blogspot.com weebly.com
		wixsite.com 000webhostapp.com workers.dev r2.dev onrender.com`)
	files = strings.Fields(`index.html index.php alert.html error.html call.html
		win.html default.aspx main.js home.htm`)
	params = strings.Fields(`phone n1 ph num tel number cid lp`)
)

type gen struct{ r *rand.Rand }

func (g gen) word() string { return words[g.r.IntN(len(words))] }

// domain returns a registrable domain or a shared-hosting customer host.
func (g gen) domain() string {
	name := g.word() + "-" + g.word() + strconv.Itoa(g.r.IntN(100000))
	if g.r.IntN(5) == 0 {
		return name + "." + shared[g.r.IntN(len(shared))]
	}
	return name + "." + tlds[g.r.IntN(len(tlds))]
}

func (g gen) host(domain string) string {
	switch g.r.IntN(4) {
	case 0:
		return "www." + domain
	case 1:
		return g.word() + strconv.Itoa(g.r.IntN(1000)) + "." + domain
	}
	return domain
}

func (g gen) path() string {
	var b strings.Builder
	for range g.r.IntN(4) {
		b.WriteByte('/')
		b.WriteString(g.word())
		if g.r.IntN(3) == 0 {
			b.WriteString(strconv.Itoa(g.r.IntN(10000)))
		}
	}
	b.WriteByte('/')
	if g.r.IntN(2) == 0 {
		b.WriteString(files[g.r.IntN(len(files))])
	}
	if g.r.IntN(3) == 0 {
		b.WriteString("?" + params[g.r.IntN(len(params))] + "=1-8" + strconv.Itoa(100+g.r.IntN(900)) + "-555-" + strconv.Itoa(1000+g.r.IntN(9000)))
	}
	return b.String()
}

func (g gen) scheme() string {
	if g.r.IntN(4) == 0 {
		return "http://"
	}
	return "https://"
}

// URLs returns n listed URLs, deterministic for seed: full URLs on about
// n/8 registrable domains, a tenth of them whole-host expressions
// ("host/"), a fifth of the domains on shared hosting.
func URLs(n int, seed uint64) []string {
	g := gen{rand.New(rand.NewPCG(seed, 1))}
	doms := make([]string, max(n/8, 1))
	for i := range doms {
		doms[i] = g.domain()
	}
	hosts := make([]string, max(n/3, 1))
	for i := range hosts {
		hosts[i] = g.host(doms[g.r.IntN(len(doms))])
	}
	out := make([]string, n)
	for i := range out {
		h := hosts[g.r.IntN(len(hosts))]
		if g.r.IntN(10) == 0 {
			out[i] = h + "/"
		} else {
			out[i] = g.scheme() + h + g.path()
		}
	}
	return out
}

// Lookups returns n URLs to look up against listed (from URLs): a third are
// listed URLs (some written differently: upper case, a fragment, a port), a
// third have a listed host and another path, and a third are on unlisted
// domains.
func Lookups(listed []string, n int, seed uint64) []string {
	g := gen{rand.New(rand.NewPCG(seed, 2))}
	out := make([]string, n)
	for i := range out {
		l := listed[g.r.IntN(len(listed))]
		if !strings.Contains(l, "://") {
			l = g.scheme() + l
		}
		switch i % 3 {
		case 0:
			switch g.r.IntN(4) {
			case 0:
				l = strings.Replace(l, "://", "://WWW.", 1)
			case 1:
				l += "#top"
			}
			out[i] = l
		case 1:
			rest := l[strings.Index(l, "://")+3:]
			if j := strings.IndexAny(rest, "/?"); j >= 0 {
				rest = rest[:j]
			}
			out[i] = g.scheme() + rest + g.path()
		default:
			out[i] = g.scheme() + g.host("z"+g.domain()) + g.path() // no word starts with z
		}
	}
	return out
}

// Domains returns n registrable domains (some shared-hosting customer
// hosts), deterministic for seed, distinct from those of URLs with
// another seed only by chance.
func Domains(n int, seed uint64) []string {
	g := gen{rand.New(rand.NewPCG(seed, 3))}
	out := make([]string, n)
	for i := range out {
		out[i] = g.domain()
	}
	return out
}
