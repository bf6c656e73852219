package hopfieldlib

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // registers the pure-Go backend "go"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// DefaultBackendConfig is the backend used when $GOMLX_BACKEND is not set: the pure-Go backend.
const DefaultBackendConfig = "go"

// NewBackend returns the GoMLX backend named by $GOMLX_BACKEND ("name" or "name:config"), or
// the pure-Go backend when the variable is unset or empty. Only backends compiled into the
// program can be named; this package compiles in the pure-Go one, so a GPU backend is a matter of
// importing it (e.g. github.com/gomlx/go-xla/compute/xla) and setting GOMLX_BACKEND=xla:cuda.
//
// Unlike compute.NewWithConfig, an unknown name is an error wrapping [ErrBackend], not a panic.
func NewBackend() (compute.Backend, error) {
	config := os.Getenv(compute.ConfigEnvVar)
	if config == "" {
		config = DefaultBackendConfig
	}
	return NewBackendWithConfig(config)
}

// NewBackendWithConfig is [NewBackend] with an explicit configuration instead of $GOMLX_BACKEND.
func NewBackendWithConfig(config string) (backend compute.Backend, err error) {
	name, _, _ := strings.Cut(config, ":")
	available := compute.List()
	slices.Sort(available)
	if !slices.Contains(available, name) {
		return nil, fmt.Errorf("%w: backend %q (from config %q) is not compiled in; available: %s",
			ErrBackend, name, config, strings.Join(available, ", "))
	}
	defer func() {
		if r := recover(); r != nil {
			backend, err = nil, fmt.Errorf("%w: creating backend %q: %v", ErrBackend, config, r)
		}
	}()
	backend, err = compute.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("%w: creating backend %q: %w", ErrBackend, config, err)
	}
	return backend, nil
}

// Kernels names the instruction set of the CPU kernels this package runs the continuous step,
// the dense products and the column passes of its softmax, with: "avx512", "avx2" or
// "portable" (plain Go), the fastest this CPU has, detected at run time.
func Kernels() string { return engine.Best().String() }
