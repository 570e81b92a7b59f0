package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine is the header: what the figures were measured on, and how busy
// it was at the start and at the end.
type machine struct {
	CPU       string    `json:"cpu"`
	Cores     int       `json:"cores"`
	LoadStart string    `json:"load_start"`
	LoadEnd   string    `json:"load_end"`
	Go        string    `json:"go"`
	Commit    string    `json:"commit"`
	Started   time.Time `json:"started"`
	Took      string    `json:"took"`
	Quick     bool      `json:"quick"`
	Only      string    `json:"only,omitempty"` // -only: the sub-benchmarks run, when not all
}

func describeMachine(root string) machine {
	m := machine{CPU: cpuModel(), Cores: runtime.NumCPU(), LoadStart: loadAverage(), Started: time.Now().UTC()}
	m.Go = runtime.Version()
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		m.Go = strings.TrimSpace(string(out))
	}
	m.Commit = gitCommit(root)
	return m
}

func (m *machine) finish() {
	m.LoadEnd = loadAverage()
	m.Took = time.Since(m.Started).Round(time.Second).String()
}

func (m machine) write(w io.Writer) {
	mode := "full"
	if m.Quick {
		mode = "quick"
	}
	if m.Only != "" {
		mode += ", only " + m.Only
	}
	fmt.Fprintf(w, "bench/run (%s) %s, took %s\n", mode, m.Started.Format("2006-01-02 15:04 MST"), m.Took)
	fmt.Fprintf(w, "machine: %s, %d cores; %s; commit %s\n", m.CPU, m.Cores, m.Go, m.Commit)
	fmt.Fprintf(w, "load average (1/5/15 min): %s at start, %s at end\n", m.LoadStart, m.LoadEnd)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	return parseCPUModel(string(b))
}

func parseCPUModel(cpuinfo string) string {
	for _, line := range strings.Split(cpuinfo, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return runtime.GOARCH
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// gitCommit is the short commit, marked when the tree has changes.
func gitCommit(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		c += "+changes"
	}
	return c
}
