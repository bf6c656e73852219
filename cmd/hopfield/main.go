// Command hopfield is the course's tool: it runs notebooks headless, releases student versions,
// grades submissions, benchmarks the library and regenerates the figures.
//
//	hopfield lab                      set up the Go kernel if needed, copy the student notebooks into
//	                                  your work folder (~/hopfield-course) and start Jupyter there
//	hopfield execute [notebooks…]     run notebooks in the GoNB kernel; fail on any error or stderr
//	hopfield release SRC OUT          write student versions of instructor notebooks
//	                                  (--solutions: the solutions versions)
//	hopfield grade --source SRC SUBMISSIONS --out OUT [--shard I/N]
//	                                  autograde a folder of submissions (hopfield grade merge
//	                                  OUT SHARD_OUT… joins shards)
//	hopfield mistakes [SRC]           run every listed mistake through its exercise's checks
//	hopfield bench [-w W1,W2,W3] [-quick] [-numpy]
//	                                  benchmark the library; one JSON object per line
//	hopfield figures [-out DIR]       regenerate every figure and the results table
//
// Run "hopfield COMMAND -h" for a command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// command is one subcommand: run parses its own flags from args and writes its results to stdout.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"lab":      {"set up the Go kernel if needed and start Jupyter on your work folder of student notebooks", runLab},
		"execute":  {"run notebooks headless in the GoNB kernel; fail on any error or stderr output", runExecute},
		"release":  {"write student versions (solutions stubbed, hidden tests removed) of instructor notebooks", runRelease},
		"grade":    {"autograde a folder of student submissions; write grades and feedback", runGrade},
		"mistakes": {"check that every listed mistake fails its exercise's visible check and hidden tests", runMistakes},
		"bench":    {"benchmark the library's workloads; one JSON object per line", runBench},
		"figures":  {"regenerate every figure and the results table into a folder", runFigures},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the process exit code: 0 success, 1 failure, 2 usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "hopfield: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	if err := cmd.run(ctx, args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(stderr, "hopfield %s: %v\n", args[0], err)
			return 2
		}
		fmt.Fprintf(stderr, "hopfield %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for name := range cmds {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: hopfield COMMAND [flags] [args]\n\ncommands:\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", name, cmds[name].summary)
	}
	b.WriteString("\nRun \"hopfield COMMAND -h\" for a command's flags.\n")
	io.WriteString(w, b.String())
}

// usageError marks an error in the command line (exit code 2) rather than in the work.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// newFlagSet returns a FlagSet that reports errors instead of exiting and prints its usage to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hopfield "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: hopfield %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a parse failure into a usage error (exit code 2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}
