package intel

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/tssguard/tssguard/capture"
)

// A campaign is the pages of one kit, across the operators who reuse it.
// Operators swap numbers, hosts and wording, and re-save files (line
// endings, beautifiers) — but a kit travels as files: the locker script,
// the scare-audio player, the fake scanner's style sheet are copied byte for
// byte from one deployment to the next. So pages join one campaign when
//
//   - they ship an identical kit file (an external script or style sheet of
//     at least MinKitFileBytes, not a public library), or
//   - they are on the same site (registrable domain; free-hosting
//     subdomains are separate sites), one operator's deployment, or
//   - optionally, their template signatures are near-duplicates
//     (LinkOptions.TemplateThreshold): pages that inline everything.
//
// Tiny files (a three-line keyboard lock) are written independently by
// many and prove nothing; libraries (jQuery) are shared by everyone.

// MinKitFileBytes is the smallest file that links pages.
const MinKitFileBytes = 256

// KitFiles returns the identities of the kit files a page ships: a short
// hash of each external script and style sheet that is large enough to be
// evidence and is not a public library.
func KitFiles(c *capture.Capture) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range c.Resources {
		if r.Kind != capture.KindScript && r.Kind != capture.KindStylesheet {
			continue
		}
		if len(r.Body) < MinKitFileBytes || r.Truncated || isLibrary(r.Body) {
			continue
		}
		sum := sha256.Sum256(r.Body)
		id := hex.EncodeToString(sum[:12])
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// isLibrary spots published libraries by their banner: a preserved
// comment with a licence or a version at the top, as minified libraries
// keep it (jQuery, Bootstrap, Font Awesome, ...). Kits do not bother.
func isLibrary(b []byte) bool {
	head := b[:min(len(b), 600)]
	if !bytes.Contains(head, []byte("/*!")) && !bytes.Contains(head, []byte("@license")) {
		return false
	}
	h := bytes.ToLower(head)
	for _, w := range [][]byte{[]byte("license"), []byte("(c)"), []byte("copyright"), []byte(" v1."), []byte(" v2."), []byte(" v3."), []byte(" v4."), []byte(" v5.")} {
		if bytes.Contains(h, w) {
			return true
		}
	}
	return false
}

// Page is what campaign linking knows of one scam page.
type Page struct {
	ID       string
	Site     string   // registrable domain of the page
	Files    []string // KitFiles
	Template Signature
}

// DefaultTemplateLink is the template similarity that links pages by
// default: near-identical pages only (re-saved copies with other numbers),
// not pages that merely look alike.
const DefaultTemplateLink = 0.9

// LinkOptions tune the linker.
type LinkOptions struct {
	// TemplateThreshold, when above zero, also links pages whose template
	// signatures are at least this similar (see Signature.Similarity).
	TemplateThreshold float64
}

// Linker groups pages into campaigns as they arrive. Campaign IDs are
// stable: when two campaigns merge, the older ID stays. It is safe for
// concurrent use.
type Linker struct {
	mu       sync.Mutex
	opts     LinkOptions
	parent   []int
	name     []string       // campaign ID of each root
	byKey    map[string]int // link key (file, site, template cluster) -> a page
	byPage   map[string]int
	pages    []string
	clusters *Clusterer
}

// NewLinker makes an empty linker.
func NewLinker(o LinkOptions) *Linker {
	l := &Linker{opts: o, byKey: map[string]int{}, byPage: map[string]int{}}
	if o.TemplateThreshold > 0 {
		l.clusters = NewClusterer(ClusterOptions{Threshold: o.TemplateThreshold})
	}
	return l
}

func (l *Linker) find(i int) int {
	for l.parent[i] != i {
		l.parent[i] = l.parent[l.parent[i]]
		i = l.parent[i]
	}
	return i
}

// union keeps the older root (the smaller index) and so its name, and
// returns the name that was absorbed, if any.
func (l *Linker) union(a, b int) string {
	ra, rb := l.find(a), l.find(b)
	if ra == rb {
		return ""
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	l.parent[rb] = ra
	return l.name[rb]
}

// Add links a page and returns its campaign. Adding a page again returns
// its campaign unchanged.
func (l *Linker) Add(p Page) string {
	c, _ := l.Link(p)
	return c
}

// Link is Add that also returns the older campaigns this page joined into
// its own (a page can bridge two kits' deployments): their pages now
// belong to the returned campaign.
func (l *Linker) Link(p Page) (campaign string, merged []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i, ok := l.byPage[p.ID]; ok {
		return l.name[l.find(i)], nil
	}
	i := len(l.parent)
	l.parent = append(l.parent, i)
	l.name = append(l.name, campaignName(p))
	l.pages = append(l.pages, p.ID)
	l.byPage[p.ID] = i
	keys := make([]string, 0, len(p.Files)+2)
	for _, f := range p.Files {
		keys = append(keys, "file:"+f)
	}
	if p.Site != "" {
		keys = append(keys, "site:"+p.Site)
	}
	if l.clusters != nil && !p.Template.Empty() {
		keys = append(keys, "tpl:"+l.clusters.Add(p.ID, p.Template))
	}
	for _, k := range keys {
		if j, ok := l.byKey[k]; ok {
			if gone := l.union(i, j); gone != "" && gone != l.name[i] {
				merged = append(merged, gone)
			}
		} else {
			l.byKey[k] = i
		}
	}
	return l.name[l.find(i)], merged
}

// Campaign returns a page's current campaign.
func (l *Linker) Campaign(pageID string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	i, ok := l.byPage[pageID]
	if !ok {
		return ""
	}
	return l.name[l.find(i)]
}

func campaignName(p Page) string {
	sum := sha256.Sum256([]byte(p.ID + "\x00" + p.Template.ID()))
	return fmt.Sprintf("c-%x", sum[:4])
}

// MarshalBinary encodes a page for storage (its ID is the caller's key):
// the template signature, the site and the kit files.
func (p Page) MarshalBinary() ([]byte, error) {
	sig, err := p.Template.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := append([]byte("TPG1"), 0)
	b = binary.AppendUvarint(b, uint64(len(sig)))
	b = append(b, sig...)
	b = binary.AppendUvarint(b, uint64(len(p.Site)))
	b = append(b, p.Site...)
	b = binary.AppendUvarint(b, uint64(len(p.Files)))
	for _, f := range p.Files {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b, nil
}

// ParsePage decodes what Page.MarshalBinary wrote.
func ParsePage(b []byte) (Page, error) {
	var p Page
	if !bytes.HasPrefix(b, []byte("TPG1\x00")) {
		return p, fmt.Errorf("%w: not a stored page", ErrFingerprint)
	}
	b = b[5:]
	next := func() ([]byte, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, false
		}
		v := b[k : k+int(n)]
		b = b[k+int(n):]
		return v, true
	}
	sig, ok := next()
	if !ok {
		return p, fmt.Errorf("%w: truncated page", ErrFingerprint)
	}
	var err error
	if p.Template, err = ParseFingerprint(sig); err != nil {
		return p, err
	}
	site, ok := next()
	if !ok {
		return p, fmt.Errorf("%w: truncated page", ErrFingerprint)
	}
	p.Site = string(site)
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return p, fmt.Errorf("%w: truncated page", ErrFingerprint)
	}
	b = b[k:]
	for range n {
		f, ok := next()
		if !ok {
			return p, fmt.Errorf("%w: truncated page", ErrFingerprint)
		}
		p.Files = append(p.Files, string(f))
	}
	return p, nil
}
