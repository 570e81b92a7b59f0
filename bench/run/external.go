package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// errNoProtocol says a benchmark program does not (yet) speak bench/run's
// protocol: a -quick flag, and lines figure<TAB>tssguard<TAB>reference<TAB>
// ratio<TAB>unit on standard output.
var errNoProtocol = errors.New("has no -quick flag: does not print figure lines yet")

// external runs bench/<name> and collects its figure lines.
func external(name string) func(ctx context.Context, e *env) ([]Row, error) {
	return func(ctx context.Context, e *env) ([]Row, error) {
		rows, _, err := e.runProgram(ctx, name, nil)
		return rows, err
	}
}

// buildProgram builds bench/<name> into the run's temporary directory.
func (e *env) buildProgram(ctx context.Context, name string) (string, error) {
	if st, err := os.Stat(filepath.Join(e.root, "bench", name)); err != nil || !st.IsDir() {
		return "", fmt.Errorf("bench/%s is not there on this branch", name)
	}
	bin := filepath.Join(e.tmp, "bench-"+name)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if _, err := runCmd(ctx, e.root, nil, nil, "go", "build", "-o", bin, "./bench/"+name); err != nil {
		return "", fmt.Errorf("build bench/%s: %w", name, err)
	}
	return bin, nil
}

// speaksProtocol asks a program's -h whether it has a -quick flag.
func speaksProtocol(ctx context.Context, bin string) bool {
	cmd := exec.CommandContext(ctx, bin, "-h")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = time.Second
	_ = cmd.Run() // -h exits 0 or 2 depending on the flag package
	return hasQuickFlag(out.String())
}

// hasQuickFlag finds "-quick" as a flag in usage text (the flag package
// prints "  -quick").
func hasQuickFlag(usage string) bool {
	for _, line := range strings.Split(usage, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && (f[0] == "-quick" || f[0] == "--quick") {
			return true
		}
	}
	return false
}

// runProgram runs bench/<name> (with -quick in a quick run, and args) and
// returns its figure lines and its whole standard output. A program
// without the protocol gives errNoProtocol without being run.
func (e *env) runProgram(ctx context.Context, name string, args []string) ([]Row, []byte, error) {
	return e.runProgramOn(ctx, name, args, false)
}

// runProgramOn is runProgram, on core 0 (taskset -c 0) when core0 is set
// and the machine has more than one.
func (e *env) runProgramOn(ctx context.Context, name string, args []string, core0 bool) ([]Row, []byte, error) {
	bin, err := e.buildProgram(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	if !speaksProtocol(ctx, bin) {
		return nil, nil, fmt.Errorf("bench/%s %w", name, errNoProtocol)
	}
	if e.quick {
		args = append([]string{"-quick"}, args...)
	}
	e.logf("%s: running bench/%s %s", name, name, strings.Join(args, " "))
	cmd, cmdArgs := bin, args
	if core0 {
		cmd, cmdArgs, _ = oneCore(bin, args...)
	}
	t, err := runCmd(ctx, e.root, []string{"TSSGUARD_CORPUS=" + e.corpus}, nil, cmd, cmdArgs...)
	rows := parseFigureLines(name, bytes.NewReader(t.stdout))
	if len(rows) == 0 {
		rows = parseMarkdownRows(name, bytes.NewReader(t.stdout))
	}
	if err != nil && len(rows) == 0 {
		return nil, t.stdout, fmt.Errorf("bench/%s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, t.stdout, fmt.Errorf("bench/%s printed no figure line", name)
	}
	return rows, t.stdout, nil
}
