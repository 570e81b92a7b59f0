// Package cli is the tssguard command line. Main is a function of its
// arguments and streams, so the whole CLI is tested end to end in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/sandbox"
)

// Exit codes.
const (
	ExitClean   = 0 // nothing flagged
	ExitFlagged = 1 // at least one page is scam or suspicious
	ExitError   = 2 // bad usage, or a target could not be read or analysed
)

// Version is set at build time with -ldflags "-X …/internal/cli.Version=v1.2.3".
var Version = ""

// exitError carries an exit code through cobra.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// env is what commands share: the streams and the input.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	stderrTTY      bool
	colour         palette // of standard output
}

// Main runs the CLI and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, stdin, stdout, stderr, isTerminal(stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, tty bool) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, stderrTTY: tty, colour: palette{on: wantColour(stdout)}}
	root := &cobra.Command{
		Use:   "tssguard",
		Short: "Detect, block and track tech support scam pages",
		Long: `tssguard detects tech support scam (TSS) pages — fake virus alerts with a
"support hotline", browser lockers, scare audio, pages that auto-dial a
number — from their bytes and from what they do in a real browser, and says
why, finding by finding.

Exit codes: 0 nothing flagged, 1 a page is scam or suspicious, 2 error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	var cpuProfile, memProfile string
	stopProfile := func() {}
	defer func() { stopProfile() }()
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "developer: write a CPU profile of the command to `FILE`")
	root.PersistentFlags().StringVar(&memProfile, "memprofile", "", "developer: write an allocation profile of the command to `FILE` when it ends")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	_ = root.PersistentFlags().MarkHidden("memprofile")
	defer func() {
		if memProfile == "" {
			return
		}
		if err := writeAllocProfile(memProfile); err != nil {
			fmt.Fprintf(stderr, "tssguard: --memprofile: %v\n", err)
		}
	}()
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if cpuProfile == "" {
			return nil
		}
		f, err := os.Create(cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		return nil
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(e.scanCmd(), e.evalCmd(), e.rulesCmd(), e.serveCmd(), e.workerCmd(), e.apikeyCmd(),
		e.numbersCmd(), e.campaignsCmd(), e.exportCmd(), e.dbCmd(), e.watchCmd(), e.huntCmd(), e.versionCmd())
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return ExitClean
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintf(stderr, "tssguard: %v\n", err)
		if !errors.Is(err, errUsage) {
			return ExitError
		}
		fmt.Fprintln(stderr, "Run 'tssguard --help' for usage.")
		return ExitError
	}
}

var errUsage = errors.New("usage")

// writeAllocProfile writes what the process allocated, by call site
// (go tool pprof -sample_index=alloc_space).
func writeAllocProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (e *env) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(e.stdout, "tssguard %s (report schema %d)\n", versionString(), analyze.SchemaVersion)
			return nil
		},
	}
}

func versionString() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "(devel)"
}

// emulationOptions maps --emulation to engine options.
func emulationOptions(mode string) (analyze.Options, error) {
	switch mode {
	case "auto":
		return analyze.Options{}, nil
	case "always":
		return analyze.Options{AlwaysEmulate: true}, nil
	case "never":
		return analyze.Options{NoEmulation: true}, nil
	}
	return analyze.Options{}, fmt.Errorf("%w: --emulation %q: want auto, always or never", errUsage, mode)
}

// engineFor builds the engine from the --rules, --emulation,
// --no-fast-path and --ocr flags.
func engineFor(rulesFiles []string, emulation string, noFastPath, ocr bool) (*analyze.Engine, error) {
	opts, err := emulationOptions(emulation)
	if err != nil {
		return nil, err
	}
	opts.NoFastPath = noFastPath
	return loadEngine(rulesFiles, opts, ocr)
}

// loadEngine builds the engine with the default rule pack, extended or
// overridden by the --rules files; with ocr, it reads embedded pictures.
func loadEngine(rulesFiles []string, opts analyze.Options, ocr bool) (*analyze.Engine, error) {
	pack, err := analyze.DefaultPack()
	if err != nil {
		return nil, err
	}
	for _, f := range rulesFiles {
		o, err := analyze.LoadPack(f)
		if err != nil {
			return nil, err
		}
		pack.Merge(o)
	}
	opts.Pack = pack
	// Pictures embedded in a page are read when tesseract is installed;
	// whether it is, is asked only when a page's pictures are worth reading
	// (the fast path only needs to know whether the command is there).
	if opts.OCR == nil && ocr {
		opts.OCR, opts.OCRAvailable, opts.OCRInstalled = sandbox.ReadText, sandbox.OCRAvailable, sandbox.OCRInstalled
	}
	return analyze.New(opts)
}
