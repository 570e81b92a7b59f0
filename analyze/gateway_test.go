package analyze

import (
	"context"
	"slices"
	"testing"
)

// TestGatewayHandsOnNumber: an empty page that sends its visitors on with
// a number in the target's query reports that number as a hotline found in
// the redirect, once, and the parameter as a number template; a
// placeholder the server would fill in is no hotline.
func TestGatewayHandsOnNumber(t *testing.T) {
	e, err := New(Options{NoFastPath: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := e.Analyze(ctx, SampleCapture(Sample{HTML: `<script>window.location.href = "https://alert-support.example/w/?phone=18445550142";</script>`}))
	if r.Finding("TSS-GATEWAY-NUMBER-TARGET") == nil || r.Finding("TSS-HOTLINE") == nil {
		t.Fatalf("findings %v", r.Findings)
	}
	if len(r.Hotlines) != 1 || r.Hotlines[0].E164 != "+18445550142" || !slices.Contains(r.Hotlines[0].Where, "redirect") {
		t.Fatalf("hotlines = %+v", r.Hotlines)
	}
	if r.Template == nil || !slices.Contains(r.Template.Params, "phone") {
		t.Fatalf("template = %+v", r.Template)
	}
	r = e.Analyze(ctx, SampleCapture(Sample{HTML: `<script>window.location.href = "https://alert-support.example/w/?phone=<?=$phone?>";</script>`}))
	if r.Finding("TSS-GATEWAY-NUMBER-TARGET") == nil || len(r.Hotlines) != 0 {
		t.Fatalf("placeholder: findings %v, hotlines %+v", r.Findings, r.Hotlines)
	}
}
