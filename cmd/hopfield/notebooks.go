package main

import (
	"context"
	"fmt"
	"io"
)

// runLab is a placeholder until the lab command lands.
func runLab(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("the lab command is not built yet")
}

// runExecute is a placeholder until the execute command lands.
func runExecute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("the execute command is not built yet")
}
