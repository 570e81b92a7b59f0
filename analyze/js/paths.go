package js

import (
	"strings"

	tjs "github.com/tdewolff/parse/v2/js"
)

// path normalises an expression to a dotted path.
func (p *program) path(e tjs.IExpr) string {
	if p.loopPaths != nil {
		if s, ok := p.loopPaths[e]; ok {
			return s
		}
	}
	b := p.newPathBuilder()
	p.writePath(&b, e, 0)
	s := clipPath(b.done())
	if p.loopPaths != nil {
		p.loopPaths[e] = s
	}
	return s
}

func (p *program) writePath(b *pathBuilder, e tjs.IExpr, depth int) {
	if depth > 24 || b.len() > 2*maxPath {
		b.str("…")
		return
	}
	switch n := e.(type) {
	case *tjs.Var:
		if a := p.aliasPath(n, depth); a != "" {
			b.str(a)
			return
		}
		b.bytes(n.Data)
	case *tjs.LiteralExpr:
		switch n.TokenType {
		case tjs.ThisToken:
			b.str("this")
		case tjs.StringToken:
			b.str(quoteShort(unquote(n.Data)))
		default:
			if len(n.Data) <= 32 {
				b.bytes(n.Data)
			} else {
				b.str("?")
			}
		}
	case *tjs.DotExpr:
		p.writePath(b, n.X, depth+1)
		b.byte('.')
		switch y := n.Y.(type) {
		case tjs.LiteralExpr:
			b.bytes(y.Data)
		case *tjs.LiteralExpr:
			b.bytes(y.Data)
		case *tjs.Var:
			b.bytes(y.Data)
		}
	case *tjs.IndexExpr:
		p.writePath(b, n.X, depth+1)
		if v, ok := p.fold(n.Y); ok && isIdentName(v) {
			b.byte('.')
			b.str(v)
		} else {
			b.str("[]")
		}
	case *tjs.CallExpr:
		start := b.len()
		p.writePath(b, n.X, depth+1)
		if name := b.since(start); name == "$" || name == "jQuery" {
			// Keep the selector: $(document), $('body').
			b.byte('(')
			if len(n.Args.List) > 0 {
				a := unwrap(n.Args.List[0].Value)
				if s, ok := p.fold(a); ok {
					b.str(quoteShort(s))
				} else if isFunc(a) {
					b.str("function")
				} else {
					p.writePath(b, a, depth+1)
				}
			}
			b.byte(')')
		} else {
			b.str("()")
		}
	case *tjs.NewExpr:
		b.str("new ")
		p.writePath(b, n.X, depth+1)
		b.str("()")
	case *tjs.GroupExpr:
		p.writePath(b, n.X, depth+1)
	case *tjs.CommaExpr:
		if len(n.List) > 0 {
			p.writePath(b, n.List[len(n.List)-1], depth+1)
		}
	case *tjs.BinaryExpr:
		if n.Op == tjs.OrToken || n.Op == tjs.NullishToken {
			// (e || window.event).returnValue
			b.byte('(')
			p.writePath(b, n.X, depth+1)
			b.str("||")
			p.writePath(b, n.Y, depth+1)
			b.byte(')')
		} else {
			b.str("?")
		}
	case *tjs.FuncDecl, *tjs.ArrowFunc:
		b.str("function")
	case *tjs.TemplateExpr:
		if s, ok := p.fold(n); ok {
			b.str(quoteShort(s))
		} else {
			b.str("?")
		}
	default:
		b.str("?")
	}
}

// pathBuilder writes a path at the end of the program's scratch buffer:
// building a path may build others (folding a computed member, an alias),
// each after it and gone when done, so one buffer serves them all and a
// path costs one allocation, its string.
type pathBuilder struct {
	p     *program
	start int
}

func (p *program) newPathBuilder() pathBuilder {
	return pathBuilder{p: p, start: len(p.scratch)}
}

func (b *pathBuilder) len() int              { return len(b.p.scratch) - b.start }
func (b *pathBuilder) bytes(d []byte)        { b.p.scratch = append(b.p.scratch, d...) }
func (b *pathBuilder) str(s string)          { b.p.scratch = append(b.p.scratch, s...) }
func (b *pathBuilder) byte(c byte)           { b.p.scratch = append(b.p.scratch, c) }
func (b *pathBuilder) since(from int) string { return bytesView(b.p.scratch[b.start+from:]) } // compared only

// done returns the path and frees its room.
func (b *pathBuilder) done() string {
	s := string(b.p.scratch[b.start:])
	b.p.scratch = b.p.scratch[:b.start]
	return s
}

// quoteShort renders a string in a path: '…' with at most 40 characters.
func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return "'" + strings.ReplaceAll(s, "'", "\\'") + "'"
}

// wellKnown are globals whose aliases are replaced in paths.
var wellKnown = map[string]bool{
	"window": true, "self": true, "top": true, "parent": true, "globalThis": true, "frames": true,
	"document": true, "navigator": true, "location": true, "history": true, "screen": true,
	"speechSynthesis": true, "console": true, "$": true, "jQuery": true,
}

// aliasPath returns the path a variable stands for when it is written
// once with a path rooted at a global (var d = document; var el =
// document.documentElement; var a = new Audio(u)), else "".
func (p *program) aliasPath(v *tjs.Var, depth int) string {
	v = canon(v)
	if v.Decl == tjs.NoDecl {
		return ""
	}
	i := p.vars[v]
	if i == nil || i.writes != 1 || i.init == nil {
		return ""
	}
	if i.pathSet {
		return i.path
	}
	if i.busy || depth > 16 {
		return ""
	}
	out := ""
	if p.rootedAtGlobal(i.init, 0) {
		i.busy = true
		b := p.newPathBuilder()
		p.writePath(&b, unwrap(i.init), depth+1)
		i.busy = false
		out = clipPath(b.done())
	}
	i.path, i.pathSet = out, true
	return out
}

// rootedAtGlobal: e is a member/call chain whose root is an undeclared
// (global) variable, an alias of one, or a new expression.
func (p *program) rootedAtGlobal(e tjs.IExpr, depth int) bool {
	for ; depth < 32; depth++ {
		switch n := unwrap(e).(type) {
		case *tjs.Var:
			v := canon(n)
			if v.Decl == tjs.NoDecl {
				return wellKnown[string(v.Data)] || depth > 0
			}
			i := p.vars[v]
			if i == nil || i.writes != 1 || i.init == nil || i.busy {
				return false
			}
			e = i.init
		case *tjs.DotExpr:
			e = n.X
		case *tjs.IndexExpr:
			e = n.X
		case *tjs.CallExpr:
			e = n.X
		case *tjs.NewExpr:
			return true
		default:
			return false
		}
	}
	return false
}

// alternatives returns the member paths a callee may stand for:
// f = el.requestFullscreen || el.webkitRequestFullscreen gives both;
// f = obj.m.bind(obj) gives obj.m.
func (p *program) alternatives(e tjs.IExpr, depth int, out []tjs.IExpr) []tjs.IExpr {
	if depth > 8 || len(out) >= 6 {
		return out
	}
	switch n := unwrap(e).(type) {
	case *tjs.BinaryExpr:
		if n.Op == tjs.OrToken || n.Op == tjs.NullishToken || n.Op == tjs.AndToken {
			out = p.alternatives(n.X, depth+1, out)
			return p.alternatives(n.Y, depth+1, out)
		}
	case *tjs.CondExpr:
		out = p.alternatives(n.X, depth+1, out)
		return p.alternatives(n.Y, depth+1, out)
	case *tjs.CallExpr:
		if d, ok := n.X.(*tjs.DotExpr); ok && dotName(d) == "bind" {
			return p.alternatives(d.X, depth+1, out)
		}
	case *tjs.DotExpr, *tjs.IndexExpr:
		return append(out, n)
	case *tjs.Var:
		if i := p.look(n); i != nil && i.writes == 1 && i.init != nil && !i.busy {
			i.busy = true
			out = p.alternatives(i.init, depth+1, out)
			i.busy = false
			return out
		}
		if canon(n).Decl == tjs.NoDecl && depth > 0 {
			return append(out, n) // var a = alert
		}
	}
	return out
}
