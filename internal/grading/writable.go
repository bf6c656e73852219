package grading

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ensureWritable creates dir (with its parents) if needed and checks that files can be created
// in dir and in every folder below it (a rerun writes into the feedback/, graded/ and records/
// folders an earlier run made, perhaps as another user). The error wraps ErrNotWritable.
func ensureWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		// Name the folder that refused: the nearest one that exists.
		at := dir
		for {
			parent := filepath.Dir(at)
			if _, serr := os.Stat(at); serr == nil || parent == at {
				break
			}
			at = parent
		}
		return notWritable(dir, at, err)
	}
	var bad error
	walkErr := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			bad = notWritable(dir, path, err)
			return filepath.SkipAll
		}
		if !d.IsDir() {
			return nil
		}
		if err := probeWrite(path); err != nil {
			bad = notWritable(dir, path, err)
			return filepath.SkipAll
		}
		return nil
	})
	if bad != nil {
		return bad
	}
	return walkErr
}

// probeWrite creates and removes a file in dir.
func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".hopfield-write-check-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// notWritable explains why the output folder out cannot be written at path (out itself or a
// folder in or above it), and what to do.
func notWritable(out, path string, cause error) error {
	var b strings.Builder
	b.WriteString(out)
	if path != out {
		fmt.Fprintf(&b, " (at %s)", path)
	}
	fmt.Fprintf(&b, ": %v. Nothing was graded.\n", unwrapPathError(cause))
	if errors.Is(cause, syscall.EROFS) {
		b.WriteString("  It is on a read-only file system (a read-only mount?): choose an --out on a writable one.")
		return fmt.Errorf("%w %s", ErrNotWritable, b.String())
	}
	if who := describeOwner(path); who != "" {
		fmt.Fprintf(&b, "  %s; the grader runs as %s.\n", who, describeSelf())
	}
	b.WriteString("  A folder that Docker creates for a -v mount that does not exist yet belongs to root: create it\n" +
		"  yourself before docker run (mkdir -p FOLDER), give it to the grading user (chown), or choose another --out.")
	return fmt.Errorf("%w %s", ErrNotWritable, b.String())
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
