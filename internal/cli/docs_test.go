package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// yamlBlock is a fenced YAML example in Markdown.
var yamlBlock = regexp.MustCompile("(?ms)^```ya?ml[ \t]*\n(.*?)^```")

// Every YAML example in README.md and docs/*.md is a rule pack that
// passes the check "tssguard rules --check --rules FILE" runs (issue 10,
// item 16: the README's example failed its own samples).
func TestDocsRulePackExamples(t *testing.T) {
	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs = append([]string{filepath.Join("..", "..", "README.md")}, docs...)
	found := 0
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range yamlBlock.FindAllStringSubmatch(string(text), -1) {
			found++
			name := filepath.Base(doc) + " example " + strconv.Itoa(i+1)
			pack := filepath.Join(t.TempDir(), "pack.yaml")
			if err := os.WriteFile(pack, []byte(m[1]), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runCLI(t, "", "rules", "--check", "--rules", pack)
			if code != ExitClean || !strings.Contains(out, "samples of") {
				t.Errorf("%s: rules --check exit %d:\n%s%s\nthe example:\n%s", name, code, out, errs, m[1])
			}
		}
	}
	if found == 0 {
		t.Error("no YAML example found in README.md: is the fence still ```yaml?")
	}
}
