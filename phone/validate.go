package phone

import (
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// phonenumbers.Parse costs 15-25 µs and dozens of allocations, so a
// candidate is first checked against the number lengths of the region or
// calling code, read once from the library's own metadata.

type regionInfo struct {
	code    string
	cc      int
	ndd     string // national (trunk) prefix: "0", "1" or ""
	nanp    bool
	idd     string // an international prefix other than "00" dialled there
	lengths uint32 // bit n: national significant numbers of n digits exist
}

type metaTable struct {
	regions map[string]*regionInfo
	cc      [1000]uint32 // lengths of national significant numbers per calling code
}

// trunkLeftOut: regions with a trunk prefix that people leave out when
// writing numbers.
var trunkLeftOut = map[string]bool{"BR": true, "CN": true, "CO": true, "SA": true, "AE": true}

// eightDigits: regions whose numbers have eight digits and no trunk
// prefix ("80 12 34 56" in Denmark, "2123 4567" in Hong Kong).
var eightDigits = map[string]bool{"DK": true, "NO": true, "HK": true, "SG": true, "MO": true, "LU": true}

// specialIDD: international prefixes other than 00 that scam pages write
// ("011 44 …" in North America, "010-1-…" on Japanese pages, "0011" in
// Australia). "00" is treated as international everywhere.
var specialIDD = map[string]string{"JP": "010", "AU": "0011"}

var meta = sync.OnceValue(func() *metaTable {
	t := &metaTable{regions: map[string]*regionInfo{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return t // every check below then fails closed: nothing validates
	}
	for _, m := range coll.GetMetadata() {
		var lengths uint32
		for _, l := range m.GetGeneralDesc().GetPossibleLength() {
			if l > 0 && l < 32 {
				lengths |= 1 << l
			}
		}
		if lengths == 0 {
			lengths = ^uint32(0) // unknown: do not prune
		}
		cc := int(m.GetCountryCode())
		if cc > 0 && cc < len(t.cc) {
			t.cc[cc] |= lengths
		}
		id := m.GetId()
		if id == "001" {
			continue
		}
		ri := &regionInfo{code: id, cc: cc, ndd: m.GetNationalPrefix(), nanp: cc == 1, lengths: lengths, idd: specialIDD[id]}
		if ri.nanp {
			ri.idd = "011"
		}
		t.regions[id] = ri
	}
	return t
})

// intlPossible: d (the digits after '+') starts with a calling code and the
// rest has a length numbers under that code have ("(0)" allowed).
func (t *metaTable) intlPossible(d []byte) bool {
	if len(d) < 7 || len(d) > 16 {
		return false
	}
	cc := 0
	for l := 1; l <= 3; l++ {
		cc = cc*10 + int(d[l-1]-'0')
		m := t.cc[cc]
		if m == 0 {
			continue
		}
		n := len(d) - l
		if m&(1<<n) != 0 || (d[l] == '0' && m&(1<<(n-1)) != 0) {
			return true
		}
		return false // calling codes are prefix-free
	}
	return false
}

// nationalPossible: d, written without a country code, can be a number of
// region ri as people there write it.
func (ri *regionInfo) nationalPossible(d []byte) bool {
	if ri.nanp {
		if len(d) == 11 && d[0] == '1' {
			d = d[1:]
		}
		// NPA-NXX-XXXX: area code and exchange start with 2-9.
		return len(d) == 10 && d[0] >= '2' && d[3] >= '2'
	}
	n := len(d)
	if ri.ndd != "" && hasPrefix(d, ri.ndd) && ri.lengths&(1<<(n-len(ri.ndd))) != 0 {
		return true
	}
	// Where the trunk prefix is 0, numbers written without it are only
	// the few that start with 1 (AU 1800/1300, CN mobiles), except in the
	// regions that leave it out ("(21) 3456-7890" in Brazil, "400-810-1234"
	// in China); the writing check after validation decides.
	if ri.ndd == "0" && d[0] != '1' && !trunkLeftOut[ri.code] {
		return false
	}
	return ri.lengths&(1<<n) != 0
}

func hasPrefix(d []byte, p string) bool {
	return len(d) >= len(p) && string(d[:len(p)]) == p
}

// validator validates candidates against a list of regions.
type validator struct {
	t       *metaTable
	regions []*regionInfo
	calls   int // phonenumbers validations made
	limit   int // ... and allowed
	buf     [maxRunDigits + 8]byte
	idx     [maxRegions]int
	eight   bool // a region of eightDigits is among regions
}

const maxRegions = 12

func newValidator(opts Options) *validator {
	t := meta()
	v := &validator{t: t, limit: opts.MaxCandidates}
	if v.limit <= 0 {
		v.limit = 256
	}
	for _, code := range opts.Regions {
		ri := t.regions[strings.ToUpper(strings.TrimSpace(code))]
		if ri == nil || containsRegion(v.regions, ri) {
			continue
		}
		v.regions = append(v.regions, ri)
		v.eight = v.eight || eightDigits[ri.code]
		if len(v.regions) == maxRegions {
			break
		}
	}
	if len(v.regions) == 0 {
		if us := t.regions["US"]; us != nil {
			v.regions = []*regionInfo{us}
		}
	}
	return v
}

func containsRegion(list []*regionInfo, ri *regionInfo) bool {
	for _, x := range list {
		if x == ri {
			return true
		}
	}
	return false
}

// eastAsia: regions whose pages write digits full-width.
var eastAsia = map[string]bool{"JP": true, "CN": true, "TW": true, "HK": true, "KR": true}

// order returns the indexes of the regions to try, East Asian regions
// first for a number written in full-width digits.
func (v *validator) order(fullWidth bool) []int {
	idx := v.idx[:0]
	for i := range v.regions {
		if !fullWidth || eastAsia[v.regions[i].code] {
			idx = append(idx, i)
		}
	}
	if fullWidth {
		for i := range v.regions {
			if !eastAsia[v.regions[i].code] {
				idx = append(idx, i)
			}
		}
	}
	return idx
}

// intl validates digits written after '+' (or after an international
// prefix, already stripped).
func (v *validator) intl(d []byte) (Number, bool) {
	if !v.t.intlPossible(d) {
		return Number{}, false
	}
	return v.check(d, true, nil)
}

// national validates digits written without '+' in region ri (index i in
// v.regions), international prefixes included. A number read as national
// carries the region it was read with in Hint.
func (v *validator) national(d []byte, i int) (Number, bool) {
	ri := v.regions[i]
	if ri.idd != "" && len(d) > len(ri.idd) && hasPrefix(d, ri.idd) {
		return v.intl(d[len(ri.idd):])
	}
	if !ri.nationalPossible(d) {
		return Number{}, false
	}
	n, ok := v.check(d, false, ri)
	if ok {
		n.Hint = ri.code
	}
	return n, ok
}

// scamType: the kinds of line scam pages advertise.
func scamType(t Type) bool {
	return t == TollFree || t == PremiumRate || t == SharedCost || t == UAN
}

// nationalIn validates d in the regions order gives and returns the first
// reading, or a better one (see scamElsewhere).
func (v *validator) nationalIn(d []byte, order []int) (Number, bool) {
	for k, i := range order {
		if n, ok := v.national(d, i); ok {
			return v.scamElsewhere(n, d, order[k+1:]), true
		}
	}
	return Number{}, false
}

// scamElsewhere returns n, read in one region, unless a later region in
// order reads the same digits as a toll-free, premium-rate or shared-cost
// line, what scam pages show: then that reading.
func (v *validator) scamElsewhere(n Number, d []byte, order []int) Number {
	if scamType(n.Type) || n.Hint == "" {
		return n
	}
	for _, j := range order {
		if m, ok := v.national(d, j); ok && scamType(m.Type) {
			return m
		}
	}
	return n
}

// withPrefix00 reports whether d starts with the international prefix 00.
func withPrefix00(d []byte) bool { return len(d) > 2 && d[0] == '0' && d[1] == '0' }

func (v *validator) check(d []byte, intl bool, ri *regionInfo) (Number, bool) {
	key := append(v.buf[:0], d...)
	if intl {
		key = append(key, '+')
	} else {
		key = append(append(key, ' '), ri.code...)
	}
	if r, ok := shared.get(key); ok {
		return r.n, r.ok
	}
	if v.calls >= v.limit {
		return Number{}, false
	}
	v.calls++
	n, ok := validate(string(d), intl, ri)
	shared.put(string(key), result{n, ok})
	return n, ok
}

// shared caches validations for every caller: a page's hotline comes back
// in its text, scripts, dialogs and speech, and on the next page of the
// same kit. Outcomes do not depend on anything but the key (digits and
// region), so the cache changes nothing but speed. It is emptied when full.
var shared = &resultCache{m: map[string]result{}}

const sharedMax = 8192

type result struct {
	n  Number
	ok bool
}

type resultCache struct {
	mu sync.RWMutex
	m  map[string]result
}

func (c *resultCache) get(key []byte) (result, bool) {
	c.mu.RLock()
	r, ok := c.m[string(key)]
	c.mu.RUnlock()
	return r, ok
}

func (c *resultCache) put(key string, r result) {
	c.mu.Lock()
	if len(c.m) >= sharedMax {
		clear(c.m)
	}
	c.m[key] = r
	c.mu.Unlock()
}

var typeNames = map[phonenumbers.PhoneNumberType]Type{
	phonenumbers.TOLL_FREE:            TollFree,
	phonenumbers.PREMIUM_RATE:         PremiumRate,
	phonenumbers.SHARED_COST:          SharedCost,
	phonenumbers.MOBILE:               Mobile,
	phonenumbers.FIXED_LINE:           FixedLine,
	phonenumbers.FIXED_LINE_OR_MOBILE: FixedLineOrMobile,
	phonenumbers.VOIP:                 VoIP,
	phonenumbers.PERSONAL_NUMBER:      Personal,
	phonenumbers.PAGER:                Pager,
	phonenumbers.UAN:                  UAN,
	phonenumbers.VOICEMAIL:            Voicemail,
}

// validate asks phonenumbers about digits d: international (after '+') or
// national in region ri. A national number must also be written the way
// that region dials it: with the trunk prefix where it has one
// ("0800 1234567" in Germany, but "18000000000" is not German), or as its
// national format shows it (AU "1800 123 456", US "844 555 0142").
func validate(d string, intl bool, ri *regionInfo) (Number, bool) {
	var pn phonenumbers.PhoneNumber
	region := "US"
	in := d
	if intl {
		in = "+" + d
	} else {
		region = ri.code
	}
	if err := phonenumbers.ParseToNumber(in, region, &pn); err != nil || !phonenumbers.IsValidNumber(&pn) {
		return Number{}, false
	}
	if !intl && int(pn.GetCountryCode()) == ri.cc {
		nsn := phonenumbers.GetNationalSignificantNumber(&pn)
		if d != ri.ndd+nsn && d != digitsOnly(phonenumbers.Format(&pn, phonenumbers.NATIONAL)) {
			return Number{}, false
		}
	}
	t, ok := typeNames[phonenumbers.GetNumberType(&pn)]
	if !ok {
		t = Unknown
	}
	return Number{
		E164:   phonenumbers.Format(&pn, phonenumbers.E164),
		Region: phonenumbers.GetRegionCodeForNumber(&pn),
		Type:   t,
	}, true
}

func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
