package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// The obfuscator presets of obfuscator/obfuscate.js.
var obfuscatorPresets = []string{"strings-rc4", "strings-base64", "flatten-deadcode", "self-defending", "max"}

// obfuscatorDir holds obfuscate.js and its node_modules (npm ci there).
func obfuscatorDir() (string, bool) {
	for _, d := range []string{filepath.Join("bench", "evasion", "obfuscator"), "obfuscator"} {
		if st, err := os.Stat(filepath.Join(d, "node_modules", "javascript-obfuscator")); err == nil && st.IsDir() {
			return d, true
		}
	}
	return "", false
}

// nodeObfuscator is one long-lived node process running obfuscate.js:
// starting node per script would cost more than the bench.
type nodeObfuscator struct {
	mu      sync.Mutex
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	version string
}

var (
	sharedObf     *nodeObfuscator
	sharedObfErr  error
	sharedObfOnce sync.Once
)

// obfuscatorWorker returns the shared worker, started on first use.
func obfuscatorWorker() (*nodeObfuscator, error) {
	sharedObfOnce.Do(func() { sharedObf, sharedObfErr = startObfuscator() })
	return sharedObf, sharedObfErr
}

func startObfuscator() (*nodeObfuscator, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errSkip{"node is not installed"}
	}
	dir, ok := obfuscatorDir()
	if !ok {
		return nil, errSkip{"javascript-obfuscator is not installed (npm ci in bench/evasion/obfuscator)"}
	}
	cmd := exec.Command(node, "obfuscate.js")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start node: %w", err)
	}
	o := &nodeObfuscator{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	var ans struct {
		Version string `json:"version"`
	}
	if err := o.ask(map[string]any{"list": true}, &ans); err != nil {
		return nil, err
	}
	o.version = ans.Version
	return o, nil
}

func (o *nodeObfuscator) ask(req any, ans any) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := o.in.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("obfuscator: %w", err)
	}
	line, err := o.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("obfuscator: %w", err)
	}
	return json.Unmarshal(line, ans)
}

// Obfuscate returns code passed through javascript-obfuscator with preset.
func (o *nodeObfuscator) Obfuscate(code, preset string, seed int) (string, error) {
	var ans struct {
		Code  string `json:"code"`
		Error string `json:"error"`
	}
	if err := o.ask(map[string]any{"code": code, "preset": preset, "seed": seed}, &ans); err != nil {
		return "", err
	}
	if ans.Error != "" {
		return "", errors.New(ans.Error)
	}
	return ans.Code, nil
}

// maxObfuscate: larger scripts are libraries and bundles, left as they are.
const maxObfuscate = 48 << 10

// looksLibrary: a well-known library's banner.
func looksLibrary(code string) bool {
	head := code[:min(len(code), 600)]
	for _, b := range []string{"jQuery v", "jQuery JavaScript Library", "Bootstrap v", "(c) jQuery Foundation", "jquery.org/license", "@license"} {
		if strings.Contains(head, b) {
			return true
		}
	}
	return false
}

// obfuscate passes every inline and external script through one preset
// (picked by rng). A script the obfuscator cannot parse stays as it is,
// and so do libraries (see looksLibrary, maxObfuscate).
func obfuscate(p *Page, rng *rand.Rand) (string, error) {
	o, err := obfuscatorWorker()
	if err != nil {
		return "", err
	}
	preset := pick(rng, obfuscatorPresets)
	seed := rng.IntN(1 << 30)
	fn := func(code string, _ bool) string {
		// Kits obfuscate their own code, not the libraries they load.
		if strings.TrimSpace(code) == "" || len(code) > maxObfuscate || looksLibrary(code) {
			return code
		}
		if out, err := o.Obfuscate(code, preset, seed); err == nil {
			return out
		}
		return code
	}
	p.rewrite(nil, fn)
	return preset, nil
}
