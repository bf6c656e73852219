package main

import (
	"context"
	"fmt"
	"io"
)

// runBench is a placeholder until the bench command lands.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("the bench command is not built yet")
}
