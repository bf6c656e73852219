package hopfieldlib

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// toTensor copies a set of patterns into a [K, N] float32 tensor.
func toTensor(p *Patterns) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(append([]float32(nil), p.data...), p.rows, p.cols)
}

// fromTensor copies a rank-2 float32 tensor into a new set of patterns.
func fromTensor(t *tensors.Tensor) (*Patterns, error) {
	dims := t.Shape().Dimensions
	if len(dims) != 2 {
		return nil, fmt.Errorf("%w: expected a rank-2 result, got shape %s", ErrBackend, t.Shape())
	}
	data, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, fmt.Errorf("%w: reading result: %w", ErrBackend, err)
	}
	return &Patterns{rows: dims[0], cols: dims[1], data: data}, nil
}

// newExec compiles graphFn lazily (once per input shape, cached by GoMLX) on backend, turning a
// construction failure into an error wrapping ErrBackend.
func newExec[F graph.ExecGraphFn](backend compute.Backend, name string, graphFn F) (*graph.Exec, error) {
	exec, err := graph.NewExec(backend, graphFn)
	if err != nil {
		return nil, fmt.Errorf("%w: building graph %s: %w", ErrBackend, name, err)
	}
	return exec.WithName(name), nil
}

// execute runs exec on args and returns its outputs. GoMLX reports graph-building problems by
// panicking; they are turned into errors wrapping ErrBackend so that no input reaches a panic.
func execute(exec *graph.Exec, args ...any) (outputs []*tensors.Tensor, err error) {
	defer func() {
		if r := recover(); r != nil {
			outputs, err = nil, fmt.Errorf("%w: running %s: %v", ErrBackend, exec.Name(), r)
		}
	}()
	outputs, err = exec.Exec(args...)
	if err != nil {
		return nil, fmt.Errorf("%w: running %s: %w", ErrBackend, exec.Name(), err)
	}
	return outputs, nil
}

// backendOrDefault returns b, or the backend named by $GOMLX_BACKEND when b is nil.
func backendOrDefault(b compute.Backend) (compute.Backend, error) {
	if b != nil {
		return b, nil
	}
	return NewBackend()
}
