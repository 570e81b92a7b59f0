package analyze

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// A kit whose alert and number are only in its script, with nothing else
// that hints at a kit (no locker, no call link), is read without running
// it: whichever way the script puts the text into the page, and whether or
// not the element it writes into is in this file.
func TestScriptWrittenTextIsRead(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const alert = "Your computer is infected with a Trojan virus. Do not shut down your computer."
	const call = "Call Microsoft Support now: +1-855-494-7196 (toll free)"
	for name, script := range map[string]string{
		"textContent":        `var m = ["` + alert + `", "` + call + `"]; document.getElementById("a").textContent = m[0]; document.getElementById("b").textContent = m[1];`,
		"innerText, missing": `document.getElementById("nowhere").innerText = "` + alert + `"; document.getElementById("nowhere2").innerText = "` + call + `";`,
		"innerHTML":          `document.getElementById("a").innerHTML = "<h1>` + alert + `</h1><p>` + call + `</p>";`,
		"document.write":     `document.write("<h1>` + alert + `</h1>", "<p>` + call + `</p>");`,
		"jQuery text":        `$("#a").text("` + alert + `"); $("#b").html("<b>` + call + `</b>");`,
		"insertAdjacentHTML": `document.body.insertAdjacentHTML("afterbegin", "<div>` + alert + ` ` + call + `</div>");`,
		"concatenated":       `var n = "+1-855-494-7196"; document.getElementById("b").textContent = "` + alert + ` Call Microsoft Support now: " + n + " (toll free)";`,
		"replaceChildren":    `document.getElementById("a").replaceChildren("` + alert + `", document.createElement("br"), "` + call + `");`,
		"append, two texts":  `document.getElementById("a").append("` + alert + ` ", "` + call + `");`,
		"nodeValue":          `document.getElementById("a").firstChild.nodeValue = "` + alert + `"; document.getElementById("b").firstChild.nodeValue = "` + call + `";`,
	} {
		t.Run(name, func(t *testing.T) {
			page := `<!doctype html><html><head><title>Security</title></head><body><div id="a"></div><div id="b"></div><script>` + script + `</script></body></html>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			if r.Verdict != Scam {
				t.Fatalf("verdict %s (%s), findings %v", r.Verdict, r.Reason, r.Findings)
			}
			f := r.Finding("TSS-TEXT-INFECTED")
			if f == nil || f.Evidence[0].Source != "written" {
				t.Errorf("TSS-TEXT-INFECTED = %+v, want it from what the script writes", f)
			}
			if len(r.Hotlines) == 0 || r.Hotlines[0].E164 != "+18554947196" {
				t.Errorf("hotlines %+v", r.Hotlines)
			}
		})
	}
}

// A small script that writes what the static reading cannot follow (lines
// from an array in a loop, a helper's parameter, an object's fields, text
// nodes) has its prose literals read as what it writes; a large one's
// (a library's messages) are not.
func TestScriptProseIsRead(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const lines = `"Your computer is infected with a Trojan virus.", "Do not shut down or restart your computer.", "Call Microsoft Support now: +1-855-494-7196 (toll free)"`
	for name, script := range map[string]string{
		"loop":       `var l = [` + lines + `]; for (var i = 0; i < l.length; i++) box.innerHTML += "<p>" + l[i] + "</p>";`,
		"text nodes": `[` + lines + `].forEach(function (s) { var p = document.createElement("p"); p.appendChild(document.createTextNode(s)); box.appendChild(p); });`,
		"helper":     `function show(s) { box.textContent += s; } show(` + strings.ReplaceAll(lines, `", "`, `"); show("`) + `);`,
		"object":     `var m = {a: ` + strings.ReplaceAll(lines, `", "`, `", b: "`) + `}; box.innerHTML = m.a + m.b;`,
		"JSON":       `var m = JSON.parse('{"lines": [` + strings.ReplaceAll(lines, `'`, `\'`) + `], "v": 2}'); box.innerHTML = m.lines.join("<br>");`,
	} {
		t.Run(name, func(t *testing.T) {
			page := `<body><div id="box"></div><script>var box = document.getElementById("box");` + script + `</script></body>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			if r.Verdict != Scam {
				t.Fatalf("verdict %s (%s), findings %v", r.Verdict, r.Reason, r.Findings)
			}
		})
	}
	big := `var box = document.getElementById("box"); var msgs = [` + lines + `]; box.textContent = msgs[err.code];` + strings.Repeat("\nfunction f(a) { return a + 1; }", 300)
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: `<body><div id="box"></div><script>` + big + `</script></body>`}))
	if r.Verdict != Clean {
		t.Errorf("a large script's messages were read: %s %v", r.Verdict, r.Findings)
	}
}

// What a script writes is read as what the page shows, nothing more: an
// ordinary message stays clean, code put in as text is not run or read as
// code, and values too short to say anything are left out.
func TestScriptWrittenTextLimits(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: `<body><div id="msg"></div><script>
document.getElementById("msg").textContent = "Thanks for subscribing! Our office is open Monday to Friday, call us on 0161 496 0000.";
document.getElementById("msg").className = "shown";
</script></body>`}))
	if r.Verdict != Clean {
		t.Errorf("ordinary message: %s (%s) %v", r.Verdict, r.Reason, r.Findings)
	}
	r = e.Analyze(context.Background(), SampleCapture(Sample{HTML: `<body><pre id="code"></pre><script>
document.getElementById("code").textContent = "setTimeout(function () { location.href = 'tel:+18554947196' }, 10)";
</script></body>`}))
	if f := r.Finding("TSS-CALL-AUTODIAL"); f != nil {
		t.Errorf("code shown as text was read as code: %+v", f)
	}
	a := &analysis{e: e, ctx: context.Background(), report: &Report{}, findings: map[string]*Finding{}}
	u := &scriptUnit{Name: "s", Source: "script", Code: `x.textContent = "none"; y.innerHTML = "<br><br>"; z.textContent = "12345";`}
	a.addScript(u)
	if len(a.decodedText) != 0 || len(a.docs) != 0 {
		t.Errorf("short values read: %+v, %d documents", a.decodedText, len(a.docs))
	}
}

// What scripts write is read up to its own budget, with a note past it,
// and does not use up the budget of what decoding recovers.
func TestScriptWrittenBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("<body><div id=x></div>\n")
	line := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 180) // about 10 KB
	for i := range 60 {
		fmt.Fprintf(&b, "<script>document.getElementById('x').textContent = %q;</script>\n", fmt.Sprintf("%d %s", i, line))
	}
	b.WriteString("</body>")
	e := mustEngine(t, Options{NoEmulation: true, NoFastPath: true})
	a := &analysis{e: e, ctx: context.Background(), cap: SampleCapture(Sample{HTML: b.String()}), report: &Report{}, findings: map[string]*Finding{}}
	a.readDocuments()
	a.readScripts()
	if a.writtenBytes != maxWrittenBytes || a.decodedBytes != 0 {
		t.Errorf("written %d bytes (budget %d), decoded %d", a.writtenBytes, maxWrittenBytes, a.decodedBytes)
	}
	if len(a.decodedText) >= 60 || len(a.decodedText) < 40 {
		t.Errorf("%d of 60 values read", len(a.decodedText))
	}
	if !strings.Contains(strings.Join(a.report.Notes, "\n"), "write into the page over") {
		t.Errorf("notes %v", a.report.Notes)
	}
}

// A number a script writes on its own into an element is the template's
// number slot: the page presents it, with no call word beside it in the
// value. A number inside a sentence still needs one near it.
func TestNumberWrittenAloneIsPresented(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const alert = `document.getElementById("m").textContent = "Windows found a virus on your computer.";`
	for name, c := range map[string]struct {
		script  string
		hotline bool
	}{
		"textContent":       {`document.getElementById("n").textContent = " +1-855-494-7196 ";`, true},
		"bracketed":         {`var el = document.getElementById("n"); el['innerText'] = "(855) 494-7196";`, true},
		"jQuery text":       {`$("#n").text("+1 855 494 7196");`, true},
		"innerHTML":         {`document.getElementById("n").innerHTML = "+1-855-494-7196";`, true},
		"in a sentence":     {`document.getElementById("n").textContent = "Order reference for your parcel 8554947196 shipped";`, false},
		"a literal, unread": {`var spare = "+1-855-494-7196";`, false},
	} {
		t.Run(name, func(t *testing.T) {
			page := `<body><p id="m"></p><p id="n"></p><script>` + alert + c.script + `</script></body>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			if got := r.Finding("TSS-HOTLINE") != nil; got != c.hotline {
				t.Fatalf("TSS-HOTLINE found %v, want %v; findings %v, hotlines %+v", got, c.hotline, r.Findings, r.Hotlines)
			}
		})
	}
	// The slot alone is no scam: a shop's script filling in its number.
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: `<body><p>Opening hours: 9 to 5.</p><p id="n"></p><script>document.getElementById("n").textContent = "+1-855-494-7196";</script></body>`}))
	if r.Verdict != Clean {
		t.Errorf("a shop's number slot reads %s: %v", r.Verdict, r.Findings)
	}
}

// A page the static pass finds suspicious, whose script writes lines the
// static reading cannot follow (an array filled into spans in a loop, the
// number a line of its own), is run in the emulator: what it shows then
// puts the number beside its words. The same writes on a page with no
// scare words do not make it run.
func TestUnreadWritesOnSuspiciousPageAreRun(t *testing.T) {
	lines := []string{
		"Your computer has been blocked",
		"Trojan virus detected on this computer. Your passwords and bank details are at risk.",
		"Do not close this page or turn off your computer. Call Microsoft Technical Support now:",
		"+62 21 5555 0134",
		"(toll free)",
	}
	page := func(lines []string) string {
		var spans, list strings.Builder
		for i, l := range lines {
			fmt.Fprintf(&spans, `<p><span id="t%d"></span></p>`, i)
			fmt.Fprintf(&list, "%q,\n", l)
		}
		return `<!doctype html><html><head><title>Security alert</title></head><body>` + spans.String() +
			`<script>var l = [` + list.String() + `]; for (var i = 0; i < l.length; i++) document.getElementById("t" + i).textContent = l[i];</script></body></html>`
	}
	static := mustEngine(t, Options{NoEmulation: true}).Analyze(context.Background(), SampleCapture(Sample{HTML: page(lines)}))
	if static.Verdict != Suspicious || static.Finding("TSS-HOTLINE") != nil {
		t.Fatalf("without emulation: %s, hotline %v (the test needs a page the static pass finds only suspicious)", static.Verdict, static.Finding("TSS-HOTLINE"))
	}
	e := mustEngine(t, Options{})
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page(lines)}))
	if r.Verdict != Scam || r.Finding("TSS-HOTLINE") == nil || r.Timings.Emulation == 0 {
		t.Fatalf("with emulation: %s (%s), emulation %v, findings %v", r.Verdict, r.Reason, r.Timings.Emulation, r.Findings)
	}
	plain := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page([]string{"Opening hours", "Monday to Friday, 9 to 5, Saturdays 10 to 2.", "Ask for a quote:", "+62 21 5555 0134"})}))
	if plain.Verdict != Clean || plain.Timings.Emulation != 0 {
		t.Errorf("a shop's lines: %s, emulation %v", plain.Verdict, plain.Timings.Emulation)
	}
}

// An alert cut into pieces, each written where it stands by a script of
// its own, is read as the visitor sees it: the pieces together, in order.
// Pieces written later (from a timer, which replaces the page) or with
// other scripts between them are not joined.
func TestTextWrittenInPlaceIsReadTogether(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	pieces := []string{"Your McAfee Subscription Has Expired", "Quick scan complete.", "5 viruses", "found on your PC.",
		"Your personal data will be deleted in", "04:59", "minutes unless you renew.", "Renewal department: 1-888-555-0125"}
	page := func(between, script string) string {
		var b strings.Builder
		b.WriteString(`<!doctype html><html><head><title>McAfee Total Protection</title></head><body><div class="box">`)
		for i, p := range pieces {
			if i > 0 {
				b.WriteString(between)
			}
			fmt.Fprintf(&b, `<span><script>`+script+`</script></span>`, p)
		}
		b.WriteString(`</div></body></html>`)
		return b.String()
	}
	const inPlace = `document.write(%q);`
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page("", inPlace)}))
	if r.Verdict != Scam || r.Finding("TSS-TEXT-THREATS-ON-DEVICE") == nil || r.Finding("TSS-TEXT-COUNTDOWN") == nil {
		t.Fatalf("pieces written in place: %s (%s), findings %v", r.Verdict, r.Reason, r.Findings)
	}
	if ev := r.Finding("TSS-TEXT-COUNTDOWN").Evidence[0]; ev.Source != "written" || !strings.Contains(ev.Location, "in place") {
		t.Errorf("countdown evidence %+v", ev)
	}
	apart := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page(`<script>var seen = 1;</script>`, inPlace)}))
	if apart.Finding("TSS-TEXT-COUNTDOWN") != nil {
		t.Errorf("pieces with other scripts between them were joined: %v", apart.Findings)
	}
	later := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page("", `setTimeout(function () { document.write(%q); }, 10);`)}))
	if later.Finding("TSS-TEXT-COUNTDOWN") != nil {
		t.Errorf("pieces written from functions were joined: %v", later.Findings)
	}
	// A shop's footer written in pieces stays what it is.
	shop := `<body><p><script>document.write("Copyright 2026");</script> <script>document.write("Joe's Plumbing, Portland.");</script> <script>document.write("Call us on 503-555-0142 for a quote.");</script></p></body>`
	if s := e.Analyze(context.Background(), SampleCapture(Sample{HTML: shop})); s.Verdict != Clean {
		t.Errorf("a shop's footer: %s %v", s.Verdict, s.Findings)
	}
}

// jsonStrings reads the values of a JSON literal, never its keys, and
// nothing from what is not JSON.
func TestJSONStrings(t *testing.T) {
	for in, want := range map[string][]string{
		`{"title": "Alert", "lines": ["one", {"n": "+1 855"}], "count": 3, "ok": true}`: {"one", "+1 855", "Alert"},
		` ["a", ["b", "c"]] `: {"a", "b", "c"},
		`{"a": "x",}`:         nil,
		`"just a string"`:     nil,
		`{} trailing`:         nil,
		`[`:                   nil,
	} {
		if got := jsonStrings(in); !slices.Equal(got, want) {
			t.Errorf("jsonStrings(%q) = %q, want %q", in, got, want)
		}
	}
	many := "[" + strings.Repeat(`"x",`, 1000) + `"x"]`
	if n := len(jsonStrings(many)); n != maxJSONStrings {
		t.Errorf("%d strings read from 1001, want the first %d", n, maxJSONStrings)
	}
}

// Kits keep their number in one script (var phone_number = '…') and write
// it from small scripts where it shows. The number is the page's hotline
// whether or not a script before it writes markup of its own (a document
// read while the page's scripts are, which once made the page forget its
// globals), and not when a script in between sets the variable to what
// the static reading cannot know.
func TestNumberKeptInAnotherScript(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const head = `<script>var phone_number = '(050) 5050 1859'; var brand = "Windows";</script>`
	// (the "declared, then set" case's own script comes before head,
	// which declares the same value again)
	const body = `<h1>この PC へのアクセスはセキュリティ上の理由からブロックされています。</h1>
<p><script>document.write(brand)</script> サポートに連絡してください: <strong><script>document.write(phone_number);</script></strong> (日本フリーダイヤル)</p>`
	for name, c := range map[string]struct {
		before, between string
		want            bool
	}{
		"plain":                   {want: true},
		"declared, then set":      {before: `<script>var phone_number; phone_number = '(050) 5050 1859';</script>`, want: true},
		"a library writes markup": {before: `<script>(function(){ var d = document.createElement("div"); d.innerHTML = "<a href='#'>x</a><select><option>y</option></select>"; })();</script>`, want: true},
		"set again from the URL":  {between: `<script>phone_number = new URLSearchParams(location.search).get("p");</script>`},
		"declared again":          {between: `<script>var phone_number = localStorage.getItem("p");</script>`},
	} {
		t.Run(name, func(t *testing.T) {
			page := `<!doctype html><html lang="ja"><head><meta charset="utf-8">` + c.before + head + c.between + `</head><body>` + body + `</body></html>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			got := slices.ContainsFunc(r.Hotlines, func(h Hotline) bool { return h.E164 == "+815050501859" })
			if got != c.want {
				t.Errorf("hotline +815050501859 found: %v, want %v (hotlines %+v)", got, c.want, r.Hotlines)
			}
		})
	}
}

// A number a script writes inside formatting markup (<b>…</b>) is still
// the whole of what the write shows, in place or into an element: it is
// presented beside the call words around it, without running the page.
func TestNumberWrittenInFormatting(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const text = `<h1>Your computer has been blocked</h1><p>Access to this PC has been blocked for security reasons.</p>`
	for name, body := range map[string]string{
		"in place":        `<p>Call Microsoft Support: <script>document.write("<b>" + phone + "</b>")</script></p>`,
		"template":        "<p>Call Microsoft Support: <script>document.write(`<strong class=\"n\">${phone}</strong>`)</script></p>",
		"into an element": `<p>Call Microsoft Support: <span id="p"></span></p><script>document.getElementById("p").innerHTML = "<b>" + phone + "</b>";</script>`,
	} {
		t.Run(name, func(t *testing.T) {
			page := `<!doctype html><html lang="en"><head><title>Security Alert</title><script>var phone = "+1-844-555-0142";</script></head><body>` + text + body + `</body></html>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			if r.Finding("TSS-HOTLINE") == nil {
				t.Errorf("no TSS-HOTLINE; hotlines %+v, findings %v", r.Hotlines, r.Findings)
			}
		})
	}
	for v, want := range map[string]string{
		"<b>+1-844-555-0142</b>":                       "+1-844-555-0142",
		"<span style='color:red'>Call&nbsp;now</span>": "Call\u00a0now",
		"<a href='tel:1'>x</a>":                        "",
		"<b>unclosed":                                  "unclosed",
		"<b":                                           "",
	} {
		got, ok := inlineMarkupText(v)
		if got != want || ok != (want != "") {
			t.Errorf("inlineMarkupText(%q) = %q, %v; want %q", v, got, ok, want)
		}
	}
}

func FuzzInlineMarkupText(f *testing.F) {
	for _, s := range []string{"<b>+1-844-555-0142</b>", "<span style='x'>a&amp;b</span><br/>", "<", "<>", "</>", "<b", "a<b c>d</b >e", "<BR>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		text, ok := inlineMarkupText(v)
		if !ok && text != "" || len(text) > len(v) {
			t.Fatalf("inlineMarkupText(%q) = %q, %v", v, text, ok)
		}
	})
}

// A template kit takes its number from the URL and falls back on a number
// of its own when the URL has none (getParam("phone") || "+1-844-…"). That
// default is the kit author's number: it is the page's hotline, read
// without running the page, whether it is written by the script that
// reads the URL or by another one.
func TestTemplateDefaultNumber(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const getParam = `function gp(n){var m=new RegExp('[?&]'+n+'=([^&#]*)').exec(location.search);return m?decodeURIComponent(m[1]):null;}`
	const text = `<h1>Windows Defender Security Alert</h1><p>Your computer has been blocked due to a virus infection. Do not close this page or restart your computer.</p>`
	for name, c := range map[string]struct {
		head, body string
		want       bool
	}{
		"|| in another script": {head: `var phone = gp("phone") || "+1-844-636-0496";`, body: `<p>Call Microsoft Support: <b><script>document.write(phone);</script></b></p>`, want: true},
		"?? into an element":   {body: `<p>Call Microsoft Support: <span id="n"></span></p><script>document.getElementById("n").textContent = gp("phone") ?? "1-844-636-0496";</script>`, want: true},
		"a conditional":        {head: `var p = gp("phone"); var phone = p ? p : "(844) 636-0496";`, body: `<p>Call Microsoft Support: <script>document.write("<b>" + phone + "</b>")</script></p>`, want: true},
		"no default":           {head: `var phone = gp("phone") || "";`, body: `<p>Call Microsoft Support: <b><script>document.write(phone);</script></b></p>`},
		"&& is no default":     {head: `var phone = gp("phone") && "+1-844-636-0496";`, body: `<p>Call Microsoft Support: <b><script>document.write(phone);</script></b></p>`},
	} {
		t.Run(name, func(t *testing.T) {
			page := `<!doctype html><html lang="en"><head><title>Security Alert</title><script>` + getParam + c.head + `</script></head><body>` + text + c.body + `</body></html>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			got := slices.ContainsFunc(r.Hotlines, func(h Hotline) bool { return h.E164 == "+18446360496" })
			if got != c.want {
				t.Fatalf("hotline +18446360496 found: %v, want %v (hotlines %+v)", got, c.want, r.Hotlines)
			}
			if !c.want {
				return
			}
			if r.Finding("TSS-HOTLINE") == nil {
				t.Errorf("the default number is not presented as a hotline: findings %v", r.Findings)
			}
			if r.Template == nil || !r.Template.DefaultNumber {
				t.Errorf("template %+v: want a template with a default number", r.Template)
			}
		})
	}
}

// A handler attribute runs once the document is there, with the globals
// its scripts left: onload="…location.href = 'tel:' + phone" dials the
// number the head's script keeps.
func TestHandlerReadsPageGlobals(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const text = `<h1>Windows Defender Security Alert</h1><p>Your computer has been blocked. Do not restart your computer.</p>`
	for name, c := range map[string]struct {
		head, body string
		autodial   bool
	}{
		"on load":        {head: `var phone = "+1-844-636-0496";`, body: `<body onload="setTimeout(function(){ window.location.href = 'tel:' + phone; }, 1500)">`, autodial: true},
		"set after load": {head: `var phone = "+1-844-636-0496"; phone = localStorage.getItem("p");`, body: `<body onload="window.location.href = 'tel:' + phone">`},
		"on a click":     {head: `var phone = "+1-844-636-0496";`, body: `<body><button onclick="location.href = 'tel:' + phone">Call</button>`},
	} {
		t.Run(name, func(t *testing.T) {
			page := `<!doctype html><html lang="en"><head><title>Microsoft Support</title><script>` + c.head + `</script></head>` + c.body + text + `</body></html>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			if got := r.Finding("TSS-CALL-AUTODIAL") != nil; got != c.autodial {
				t.Errorf("TSS-CALL-AUTODIAL: %v, want %v (findings %v)", got, c.autodial, r.Findings)
			}
			dialled := slices.ContainsFunc(r.Hotlines, func(h Hotline) bool { return h.E164 == "+18446360496" })
			if want := !strings.HasPrefix(name, "set after"); dialled != want {
				t.Errorf("the number the handler calls is a hotline: %v, want %v (hotlines %+v)", dialled, want, r.Hotlines)
			}
		})
	}
}

// A page that dials on its own the number it reads from its own element
// ("tel:" + the element's text) is left for the emulator to run: the
// static reading knows the scheme but not the number.
func TestAutoDialOfTheNumberElement(t *testing.T) {
	e := mustEngine(t, Options{})
	page := `<!doctype html><html lang="en"><head><title>Microsoft Support</title></head><body>
<h1>Windows Defender Security Alert</h1><p>Your computer has been blocked. Do not restart your computer.</p>
<p>Call Microsoft Support now: <span id="num">+1-844-636-0496</span></p>
<script>setTimeout(function(){ window.location.href = "tel:" + document.getElementById("num").textContent.replace(/[^0-9+]/g, ""); }, 1000);</script>
</body></html>`
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
	if r.Finding("TSS-CALL-AUTODIAL") == nil || r.Verdict != Scam {
		t.Errorf("verdict %s, findings %v: want the auto-dial the emulator sees", r.Verdict, r.Findings)
	}
}

// Handlers past the page's script limits are dropped like scripts; the
// analysis goes on (a dropped handler once stopped it with a nil fact set).
func TestHandlersPastTheScriptLimit(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>x</title></head><body><p>hello</p>`)
	for i := range maxScripts + 10 {
		fmt.Fprintf(&b, "<script>var a%d = 1;</script>", i)
	}
	b.WriteString(`<script>document.write('<button onclick="f()">x</button>')</script></body></html>`)
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: b.String()}))
	for _, n := range r.Notes {
		if strings.Contains(n, "internal error") {
			t.Errorf("note %q", n)
		}
	}
}

// A script can give a frame its document as markup (srcdoc, a Blob of
// HTML loaded through URL.createObjectURL), or parse markup into nodes
// it puts in (DOMParser, a range's contextual fragment): the alert is in
// that markup, and the page itself carries no text.
func TestMarkupGivenByScript(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const alert = `<h1>Windows Defender Security Alert</h1><p>Your computer has been blocked due to a Trojan virus infection. Do not close this page or restart your computer.</p><p>Call Microsoft Support now: +1-844-636-0496 (toll free)</p>`
	const frame = `var f = document.createElement("iframe"); f.style.cssText = "position:fixed;inset:0;width:100%;height:100%;border:0";`
	for name, c := range map[string]struct {
		script string
		want   bool
	}{
		"srcdoc":                {script: frame + `f.srcdoc = '` + alert + `'; document.body.appendChild(f);`, want: true},
		"setAttribute srcdoc":   {script: frame + `f.setAttribute("srcdoc", '` + alert + `'); document.body.appendChild(f);`, want: true},
		"a Blob of HTML":        {script: `var b = new Blob(['<html><body>', '` + alert + `', '</body></html>'], {type: "text/html"});` + frame + `f.src = URL.createObjectURL(b); document.body.appendChild(f);`, want: true},
		"DOMParser":             {script: `var d = new DOMParser().parseFromString('` + alert + `', "text/html"); document.body.append(...d.body.childNodes);`, want: true},
		"a contextual fragment": {script: `document.body.appendChild(document.createRange().createContextualFragment('` + alert + `'));`, want: true},
		"a Blob of CSV":         {script: `var b = new Blob(["name,phone\nsupport,+1-844-636-0496\n"], {type: "text/csv"}); var a = document.createElement("a"); a.href = URL.createObjectURL(b); a.download = "contacts.csv";`},
	} {
		t.Run(name, func(t *testing.T) {
			page := `<!doctype html><html lang="en"><head><title>Loading</title></head><body><script>` + c.script + `</script></body></html>`
			r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
			got := r.Finding("TSS-TEXT-DEVICE-BLOCKED") != nil
			if got != c.want {
				t.Errorf("the frame's alert read: %v, want %v (verdict %s, findings %v)", got, c.want, r.Verdict, r.Findings)
			}
			if hot := slices.ContainsFunc(r.Hotlines, func(h Hotline) bool { return h.E164 == "+18446360496" }); hot != c.want {
				t.Errorf("hotline found: %v, want %v (hotlines %+v)", hot, c.want, r.Hotlines)
			}
		})
	}
}

// A frame's document given as markup is run by the emulator as a page of
// its own: what only running its scripts shows (a call navigation put
// together in a timer's code string) is found as on the page itself.
func TestFrameDocumentEmulated(t *testing.T) {
	frameDoc := `<!doctype html><html><body><p>macOS has detected malware. Call Apple support to prevent data loss.</p><script>var n = '18775550186'; setTimeout("document.location.href='te" + "l:+'+n", 400);<\/script></body></html>`
	for name, script := range map[string]string{
		"srcdoc": `var f = document.createElement("iframe"); f.srcdoc = "` + strings.ReplaceAll(frameDoc, `"`, `\"`) + `"; document.body.appendChild(f);`,
		"blob":   `var f = document.createElement("iframe"); f.src = URL.createObjectURL(new Blob(["` + strings.ReplaceAll(frameDoc, `"`, `\"`) + `"], {type: "text/html"})); document.body.appendChild(f);`,
	} {
		t.Run(name, func(t *testing.T) {
			page := `<!doctype html><html><head><title>Apple Security</title></head><body><script>` + script + `</script></body></html>`
			for _, emulation := range []bool{false, true} {
				e := mustEngine(t, Options{NoEmulation: !emulation})
				r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
				if got := r.Finding("TSS-CALL-AUTODIAL") != nil; got != emulation {
					t.Errorf("emulation %v: TSS-CALL-AUTODIAL %v (verdict %s, findings %v)", emulation, got, r.Verdict, r.Findings)
				}
			}
		})
	}
}

// A script the page's own code loads (a <script src> it writes, a script
// element it makes) is read after the page's scripts: a kit's payload
// loaded that way dials as if its tag were in the page. With the page's
// parse at capture (ParseForCapture) or without it.
func TestLoadedScriptsRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dial.js"), []byte(`setTimeout(function(){ location.href = "tel:+18446360496"; }, 500);`), 0o644); err != nil {
		t.Fatal(err)
	}
	e := mustEngine(t, Options{NoEmulation: true})
	for name, loader := range map[string]string{
		"document.write": `document.write("<script src=\"dial.js\"><\/script>");`,
		"createElement":  `var s = document.createElement("script"); s.src = "dial.js"; document.head.appendChild(s);`,
	} {
		page := filepath.Join(dir, strings.ReplaceAll(name, ".", "-")+".html")
		if err := os.WriteFile(page, []byte(`<html><head><title>x</title></head><body><p>Loading support...</p><script>`+loader+`</script></body></html>`), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, parse := range []bool{false, true} {
			opts := capture.Options{}
			if parse {
				opts.Parse = ParseForCapture
			}
			c, err := capture.FromFile(context.Background(), page, opts)
			if err != nil {
				t.Fatal(err)
			}
			r := e.Analyze(context.Background(), c)
			if r.Finding("TSS-CALL-AUTODIAL") == nil {
				t.Errorf("%s (parse at capture %v): no auto-dial from the loaded script; verdict %s, findings %v, notes %q", name, parse, r.Verdict, r.Findings, r.Notes)
			}
		}
	}
}

// Markup a script writes, padded past the script size limit, is read: the
// limit counts code, not the contents of strings (js.WithinData).
func TestPaddedMarkupRead(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	const alert = `<h1>Windows Defender Security Alert</h1><p>Your computer has been blocked due to a Trojan virus infection. Do not close this page or restart your computer.</p><p>Call Microsoft Support now: +1-844-636-0496 (toll free)</p>`
	page := `<!doctype html><html><head><title>Loading</title></head><body><script>document.body.innerHTML = "` + strings.Repeat(`<div class='x'></div>`, 8000) + alert + `";</script></body></html>`
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
	if r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil || !slices.ContainsFunc(r.Hotlines, func(h Hotline) bool { return h.E164 == "+18446360496" }) {
		t.Errorf("padded markup not read: verdict %s, findings %v, notes %q", r.Verdict, r.Findings, r.Notes)
	}
}

// The tab's title is page text: a kit flashes it with its number, set
// outright or taken in turn from an array in a timer. A title that looks
// like markup is still text, and a window's name is no title.
func TestDocumentTitleWritten(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true, NoEmulation: true})
	alert := `<h1>Windows Defender Security Warning</h1><p>Access to this PC has been blocked for security reasons. Your computer has been infected with Trojan spyware. Do not restart your computer.</p>`
	for _, tc := range []struct {
		name, script, want string
	}{
		{"set", `document.title = 'Call Support +1-844-555-0142'`, "+18445550142"},
		{"flashed", `var t = ['Call Support +1-844-555-0142', 'VIRUS ALERT'], i = 0; setInterval(function () { window.top.document.title = t[i++ % 2] }, 500)`, "+18445550142"},
		{"markup", `document.title = '<b>Call Support +1-844-555-0142</b>'`, "+18445550142"},
		{"no title", `var w = {}; w.title = 'Call Support +1-844-555-0142'`, ""},
	} {
		r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: alert + "<script>" + tc.script + "</script>"}))
		got := ""
		if len(r.Hotlines) > 0 {
			got = r.Hotlines[0].E164
		}
		if got != tc.want {
			t.Errorf("%s: hotline %q, want %q (%s)", tc.name, got, tc.want, r.Reason)
		}
	}
}
