package phone

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// benchFiller is page text full of figures that are not phone numbers.
var benchFiller = []string{
	"Your computer has been blocked. Error # 0x80070424. Scanned objects 51,900 in 5 secs on 02-12-2016 at 10:30:45. ",
	"Threats found: Trojan:Win32/Wacatac.B!ml (3 files), Spyware.Agent 2.1.4.1193. Last scan 2016/12/02 09:14. ",
	"Price $1,299.00, was $1,599.99 (save 18.7%). Order #A-20161202-8841 ships in 3-5 business days. ",
	"Posted 12.02.2016 by admin · 4,381 views · 127 comments · ISBN 978-1-86940-123-4, pp. 448–452 (1993). ",
	"Server 192.168.100.101 answered from 10.0.0.1 in 23.5 ms; build 10.0.19041.1234, v1.2.3.4, API 2019-08-01. ",
	`{"id": 1694042833969, "ts": 1694042833, "slot": "4757652955", "w": 1920, "h": 1080, "ratio": 0.5625} `,
	".alert{width:1234567px;z-index:2147483647;margin:0 0 12px 4px;color:#123456;transform:matrix(1 0 0 1 844 555)} ",
	`<path d="M20 10a10 10 0 01-10 10 11 11 0 01-5.51-1.65L.73 19.57 2 15.3 12.5 12.5 32.8 12.5 45.3 0"/> `,
	"Card 4111 1111 1111 1111 exp 12/27, ZIP 94105-1234. Pages 1 2 3 4 5 6 7 8 9 10 Next. Seasons 2019 2020 2021 2022. ",
	"２０２４年１２月２日 午前１０時３０分 ウイルス検出数：１２件、スキャン済み：５１，９００ファイル。 ",
	"Windows Defender SmartScreen prevented an unrecognised app from starting. Do not restart your computer. ",
	"The quick brown fox jumps over the lazy dog while Microsoft Support technicians stand by around the clock. ",
	"var t=new Date(2016,11,2,10,30,45),n=Math.floor(t/1e3),r=[255,128,64,32],k=3.14159265358979;",
	"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ",
}

// benchNumbers are hotlines as scam pages write them.
var benchNumbers = []string{
	"Call Microsoft Support: +1-844-555-0199 (Toll Free) ",
	"Windows Help Desk 1 (888) 555-0123 ",
	"Contact (866) 555 0123 immediately. ",
	"Appelez le support 0800 123 456 ",
	"サポート 050-1234-5678 までお電話ください。",
	"Rufen Sie +49 800 1234567 an. ",
	"Assistance +33 1 23 45 67 89. ",
	"Call +44 800 123 4567 now. ",
	"お電話は０１２０－１２３－４５６へ ",
	"Apple Support 1.833.555.0142 ",
}

// benchText returns about size bytes of page text with one phone number
// per 5 KB among many figures that are not numbers.
func benchText(size int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	next := 5 << 10
	for b.Len() < size {
		if b.Len() >= next {
			b.WriteString(benchNumbers[rng.IntN(len(benchNumbers))])
			next += 5 << 10
		}
		b.WriteString(benchFiller[rng.IntN(len(benchFiller))])
	}
	return b.String()
}

var benchOpts = Options{Regions: []string{"US", "FR", "DE", "JP", "GB"}}

func TestBenchTextHasItsNumbers(t *testing.T) {
	text := benchText(100 << 10)
	got := Find(text, benchOpts)
	if len(got) < 18 || len(got) > 22 {
		t.Fatalf("found %d numbers in the benchmark text, want the ~20 planted: %+v", len(got), got)
	}
	for _, n := range got {
		if n.Type != TollFree && n.E164 != "+815012345678" && n.E164 != "+33123456789" {
			t.Errorf("unexpected number %+v", n)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	text := benchText(100 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text, benchOpts)
	}
}

// BenchmarkFindUS is the same text with the default region only.
func BenchmarkFindUS(b *testing.B) {
	text := benchText(100 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text, Options{})
	}
}

// BenchmarkFindManyRegions is the same text read with twelve hinted
// regions, as a page with many clues gives (lang.MaxHints), eight-digit
// regions among them.
func BenchmarkFindManyRegions(b *testing.B) {
	text := benchText(100 << 10)
	opts := Options{Regions: []string{"FR", "CA", "BE", "CH", "LU", "US", "GB", "DE", "JP", "DK", "HK", "PL"}}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text, opts)
	}
}

// BenchmarkFindProse: page text with no figures at all.
func BenchmarkFindProse(b *testing.B) {
	text := strings.Repeat(benchFiller[11]+benchFiller[13], 500)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text, benchOpts)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("tel:+1-844-555-0199", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromURL(b *testing.B) {
	u := "https://alert.example/win/index.html?ph=%2B1-844-555-0199&gclid=EAIaIQobChMI8&utm_source=pop&ts=1694042833969"
	b.ReportAllocs()
	for b.Loop() {
		if len(FromURL(u, Options{})) != 1 {
			b.Fatal("no number")
		}
	}
}

// phoneishRE is what a regular-expression scanner would start from: a
// baseline for BenchmarkFind (candidates only, nothing validated).
var phoneishRE = regexp.MustCompile(`[+(]?[0-9][0-9 ().\-/]{6,}[0-9]`)

func BenchmarkRegexBaseline(b *testing.B) {
	text := benchText(100 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		phoneishRE.FindAllStringIndex(text, -1)
	}
}

// BenchmarkFindCold empties the shared validation cache every time: the
// cost of a page whose numbers were never seen before.
func BenchmarkFindCold(b *testing.B) {
	text := benchText(100 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		shared.mu.Lock()
		clear(shared.m)
		shared.mu.Unlock()
		Find(text, benchOpts)
	}
}
