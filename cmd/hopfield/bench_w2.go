package main

import (
	"context"
	"fmt"
)

// benchW2 is a placeholder until the classical asynchronous workload lands.
func benchW2(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error {
	return fmt.Errorf("workload W2 is not built yet")
}
