package main

import (
	"context"
	"fmt"
	"io"
)

// runRelease is a placeholder until the release command lands.
func runRelease(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("the release command is not built yet")
}

// runGrade is a placeholder until the grade command lands.
func runGrade(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("the grade command is not built yet")
}
