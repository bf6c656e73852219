package main

import (
	"context"
	"fmt"
)

// benchW3 is a placeholder until the dense asynchronous workload lands.
func benchW3(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error {
	return fmt.Errorf("workload W3 is not built yet")
}
