package main

import (
	"context"
	"fmt"
)

// benchW1 is a placeholder until the continuous workload lands.
func benchW1(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error {
	return fmt.Errorf("workload W1 is not built yet")
}
