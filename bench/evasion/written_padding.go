package main

import (
	"math/rand/v2"
	"strconv"
)

// writtenPadding puts a script at the start of the main document's body
// that writes 8,000-12,000 empty elements before anything else runs:
// with document.write, or into a hidden element's innerHTML. It is
// padding (see padding) that only a reader running the page's scripts
// meets. The document.write variant builds its string with +=, as most
// hand-written code does; goja copies the whole string each time, so the
// script runs for longer than the emulator's budget, a stall before the
// page's own scripts. The innerHTML variant joins an array.
func writtenPadding(p *Page, rng *rand.Rand) (string, error) {
	if len(p.Docs) == 0 {
		return "", nil
	}
	n := strconv.Itoa(8000 + rng.IntN(4000))
	variant, script := "document.write", `<script>(function(){var s="";for(var i=0;i<`+n+`;i++){s+='<div class="c'+(i%97)+'" hidden></div>';}document.write(s);})();</script>`
	if rng.IntN(2) == 0 {
		variant = "innerHTML"
		script = `<div id="pad" style="display:none"></div><script>(function(){var a=[];for(var i=0;i<` + n + `;i++){a.push('<div class="c'+(i%97)+'"><span></span></div>');}document.getElementById("pad").innerHTML=a.join("");})();</script>`
	}
	p.insertMain(bodyStart(p.Docs[0]), script)
	return variant, nil
}
