package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// EnvDataDir names the environment variable that points at the data folder: the folder that
// holds mnist/, sprites/ and faces/ (the repository's data/). A repository root (a folder that
// holds data/) is accepted too.
const EnvDataDir = "HOPFIELD_DATA"

// marker is the file whose presence identifies a data folder (an unrelated data/mnist folder
// elsewhere on the way up does not count).
const marker = MNISTImagesFile

// Dir finds the data folder, trying in order:
//
//  1. $HOPFIELD_DATA ([EnvDataDir]), if set: it must be the data folder (or a folder holding
//     data/), otherwise Dir fails rather than silently using another copy;
//  2. the working directory and each of its parents, for a folder holding data/ with the
//     shipped MNIST file (so code run anywhere inside the repository finds it);
//  3. the data/ folder of the source tree this package was compiled from, found through
//     runtime.Caller (so notebooks and programs built from the source tree, for example through a
//     go.work, find it even when they run from a temporary directory outside the repository).
//
// The error wraps [ErrNotFound] and lists every place it looked.
func Dir() (string, error) {
	if env := os.Getenv(EnvDataDir); env != "" {
		for _, d := range []string{env, filepath.Join(env, "data")} {
			if isFile(filepath.Join(d, marker)) {
				return filepath.Clean(d), nil
			}
		}
		return "", fmt.Errorf("%w: $%s=%q holds neither %s nor data/%s", ErrNotFound, EnvDataDir, env, marker, marker)
	}
	var looked []string
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; {
			cand := filepath.Join(d, "data")
			if isFile(filepath.Join(cand, marker)) {
				return cand, nil
			}
			looked = append(looked, cand)
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	if src := sourceDataDir(); src != "" {
		if isFile(filepath.Join(src, marker)) {
			return src, nil
		}
		looked = append(looked, src+" (source tree)")
	}
	return "", fmt.Errorf("%w: no data folder (one holding %s): set $%s to the repository's data/ folder; looked in %s",
		ErrNotFound, marker, EnvDataDir, strings.Join(looked, ", "))
}

// sourceDataDir is ../../data relative to this file when it was compiled, or "" if unknown.
func sourceDataDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "" // built with -trimpath: the path means nothing on this machine
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "data")
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// openFile opens path, turning a missing file into [ErrNotFound].
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotFound, err)
	}
	return f, nil
}
