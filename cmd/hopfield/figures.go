package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/figures"
)

// runFigures regenerates every figure of the results table, the tables as CSV and results.md.
func runFigures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("figures", "[-out DIR] [-only NAME,…] [-list]", stderr)
	out := fs.String("out", "figures", "`folder` that receives the PNG figures, the CSV tables and results.md")
	only := fs.String("only", "", "comma-separated `studies` to run (default: all; see -list)")
	list := fs.Bool("list", false, "list the studies and exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("figures takes no arguments, got %q (did you mean -out %s?)", fs.Args(), fs.Arg(0))
	}
	if *list {
		for _, s := range figures.Studies() {
			fmt.Fprintln(stdout, s.Name)
		}
		return nil
	}
	var names []string
	if *only != "" {
		for _, n := range strings.Split(*only, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	data, err := figures.LoadData()
	if err != nil {
		return err
	}
	_, err = figures.Run(ctx, data, figures.Options{Dir: *out, Only: names, Log: stdout})
	if err == nil {
		fmt.Fprintf(stdout, "wrote %s/results.md and the figures it links to\n", *out)
	}
	return err
}
