package cli

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the program writes to the terminal
// end as it would to a user's terminal, the test reads the other end.
func openPTY(t *testing.T) (master, term *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		master.Close()
		t.Skipf("TIOCGPTN: %v", errno)
	}
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		master.Close()
		t.Skipf("TIOCSPTLCK: %v", errno)
	}
	term, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Skipf("open the terminal end: %v", err)
	}
	return master, term
}

// onTerminal runs Main with standard output on a pseudo-terminal and
// returns what the terminal showed.
func onTerminal(t *testing.T, args ...string) string {
	t.Helper()
	master, term := openPTY(t)
	defer master.Close()
	var shown bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(&shown, master) // ends with EIO once the terminal end is closed
	}()
	var stderr bytes.Buffer
	Main(args, strings.NewReader(""), term, &stderr)
	term.Close()
	<-done
	return shown.String()
}

// On a terminal the verdict and the severities are coloured; with NO_COLOR
// set, or when standard output is not a terminal, nothing is (issue 10,
// item 17).
func TestColour(t *testing.T) {
	page := fixture("scam/speech-alert.html")
	t.Setenv("TERM", "xterm-256color")
	t.Setenv("NO_COLOR", "")
	got := onTerminal(t, "scan", page)
	if !strings.Contains(got, "SCAM") {
		t.Fatalf("no report on the terminal:\n%q", got)
	}
	red := "\x1b[1;31m"
	if !strings.Contains(got, red+"SCAM") {
		t.Errorf("verdict not in bold red on a terminal:\n%q", got)
	}
	if !strings.Contains(got, "\x1b[31m[high]") && !strings.Contains(got, "\x1b[33m[medium]") {
		t.Errorf("severities not coloured on a terminal:\n%q", got)
	}

	if got := onTerminal(t, "rules"); !strings.Contains(got, "\x1b[31mhigh") {
		t.Errorf("rules: severities not coloured on a terminal:\n%q", got)
	}

	t.Setenv("NO_COLOR", "1")
	if got := onTerminal(t, "scan", page); !strings.Contains(got, "SCAM") || strings.Contains(got, "\x1b[") {
		t.Errorf("colour with NO_COLOR set, or no report:\n%q", got)
	}

	t.Setenv("NO_COLOR", "")
	var out, errb bytes.Buffer
	Main([]string{"scan", page}, strings.NewReader(""), &out, &errb)
	if !strings.Contains(out.String(), "SCAM") || strings.Contains(out.String(), "\x1b[") {
		t.Errorf("colour when standard output is not a terminal:\n%q", out.String())
	}
}
