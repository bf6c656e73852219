package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestFiguresCommandInput(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		stdout     string
		stderrPart string
	}{
		{[]string{"figures", "-list"}, 0, "classical-mnist\ncapacity\ndense-mnist\ncontinuous-mnist\nfaces-noise\nconvergence\nbeta\n", ""},
		{[]string{"figures", "out"}, 2, "", "figures takes no arguments"},
		{[]string{"figures", "-only", "nope", "-out", t.TempDir()}, 1, "", `no study named "nope"`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, &stdout, &stderr)
		if code != tt.code || (tt.stdout != "" && stdout.String() != tt.stdout) || !strings.Contains(stderr.String(), tt.stderrPart) {
			t.Errorf("hopfield %v: code %d, stdout %q, stderr %q; want code %d, stdout %q, stderr containing %q",
				tt.args, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.stderrPart)
		}
	}
}
