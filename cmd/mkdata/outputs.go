package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// outputs are the files of data/, by slash-separated path relative to it.
type outputs struct {
	files map[string][]byte
}

func newOutputs() *outputs { return &outputs{files: map[string][]byte{}} }

func (o *outputs) add(path string, b []byte) { o.files[path] = b }

// paths lists the paths under prefix ("" for all), sorted.
func (o *outputs) paths(prefix string) []string {
	var ps []string
	for p := range o.files {
		if strings.HasPrefix(p, prefix) {
			ps = append(ps, p)
		}
	}
	sort.Strings(ps)
	return ps
}

// owned are the folders whose every file the program writes: anything else found there is stale.
var owned = []string{"mnist", "sprites", "faces"}

// write writes the files under dir, leaving unchanged files untouched, and removes stale files
// from the owned folders. It reports what it did on stdout.
func (o *outputs) write(dir string) error {
	written := 0
	for _, p := range o.paths("") {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, o.files[p]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, o.files[p], 0o644); err != nil {
			return err
		}
		written++
	}
	stale, err := o.stale(dir)
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			return err
		}
		fmt.Printf("removed stale %s\n", p)
	}
	fmt.Printf("%s: %d files, %d written, %d unchanged, %d stale removed\n", dir, len(o.files), written, len(o.files)-written, len(stale))
	return nil
}

// check compares the files with those under dir and returns the differences.
func (o *outputs) check(dir string) ([]string, error) {
	var diffs []string
	for _, p := range o.paths("") {
		old, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		switch {
		case err != nil:
			diffs = append(diffs, "missing "+p)
		case !bytes.Equal(old, o.files[p]):
			diffs = append(diffs, "differs "+p)
		}
	}
	stale, err := o.stale(dir)
	if err != nil {
		return nil, err
	}
	for _, p := range stale {
		diffs = append(diffs, "stale "+p)
	}
	return diffs, nil
}

// stale lists the files in the owned folders under dir that are not outputs.
func (o *outputs) stale(dir string) ([]string, error) {
	var stale []string
	for _, f := range owned {
		root := filepath.Join(dir, f)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			if _, ok := o.files[filepath.ToSlash(rel)]; !ok {
				stale = append(stale, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return stale, nil
}

// sha256sums is the sha256sum(1) listing of every output, for `sha256sum -c`.
func (o *outputs) sha256sums() []byte {
	var b strings.Builder
	for _, p := range o.paths("") {
		fmt.Fprintf(&b, "%s  %s\n", sha256Hex(o.files[p]), p)
	}
	return []byte(b.String())
}
