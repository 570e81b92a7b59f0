package analyze

// noteTruncated says in the report what the budgets left unread (text past
// a document's limit, scripts past the per-page or per-document limits),
// so a clean verdict on a huge page is not read as about all of it.
func (a *analysis) noteTruncated() {
	text, scripts := 0, a.scriptsDropped
	for _, d := range a.docs {
		text += d.TextDropped
		scripts += d.ScriptsDropped
	}
	if text == 0 && scripts == 0 {
		return
	}
	a.report.Truncated = &Truncated{TextBytes: text, Scripts: scripts}
	if text > 0 {
		a.note("visible text over %d bytes a document: %d bytes after it were not analysed", maxTextBytes, text)
	}
	if scripts > 0 {
		a.note("%d scripts past the limits (%d a page, %d script elements or handlers a document; past those, only scripts that could call, navigate, lock or build code are kept) were not analysed", scripts, maxScripts, maxInlineScript)
	}
}
