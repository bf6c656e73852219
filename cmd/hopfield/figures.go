package main

import (
	"context"
	"fmt"
	"io"
)

// runFigures is a placeholder until the figures command lands.
func runFigures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("the figures command is not built yet")
}
