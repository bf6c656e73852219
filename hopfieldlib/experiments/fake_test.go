package experiments_test

import (
	"fmt"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// fakeMemory is a predictable memory for testing the experiments. Stored patterns with index
// below stable are fixed points. Step moves a state within radius·N differing units of such a
// pattern onto it, leaves fixed points alone and negates unit 0 of anything else. Recall is one
// Step: steps = 1 if it changed the state, converged = the new state is a fixed point.
type fakeMemory struct {
	stored *hopfieldlib.Patterns
	stable int     // patterns 0 … stable-1 are fixed points
	radius float64 // basin radius, a fraction of N
	// onRecall, if set, runs at the start of every Recall (to cancel a context, count calls).
	onRecall func()
	// recalls counts Recall calls.
	recalls int
}

func newFake(stored *hopfieldlib.Patterns, stable int, radius float64) *fakeMemory {
	return &fakeMemory{stored: stored.Clone(), stable: stable, radius: radius}
}

func (f *fakeMemory) Dim() int                      { return f.stored.Dim() }
func (f *fakeMemory) Stored() *hopfieldlib.Patterns { return f.stored.Clone() }

func (f *fakeMemory) Energy(states *hopfieldlib.Patterns) ([]float64, error) {
	return make([]float64, states.Len()), nil
}

// next is the Step of one row.
func (f *fakeMemory) next(s []float32) []float32 {
	n := len(s)
	for mu := range min(f.stable, f.stored.Len()) {
		x := f.stored.Row(mu)
		d, _ := hopfieldlib.Hamming(s, x)
		if float64(d) <= f.radius*float64(n) {
			return slices.Clone(x)
		}
	}
	out := slices.Clone(s)
	out[0] = -out[0]
	return out
}

func (f *fakeMemory) Step(states *hopfieldlib.Patterns, _ hopfieldlib.RecallOptions) (*hopfieldlib.Patterns, error) {
	if states.Dim() != f.Dim() {
		return nil, fmt.Errorf("%w: fake: %d units, want %d", hopfieldlib.ErrShape, states.Dim(), f.Dim())
	}
	var flat []float32
	for b := range states.Len() {
		flat = append(flat, f.next(states.Row(b))...)
	}
	return hopfieldlib.FromFlat(states.Len(), f.Dim(), flat)
}

func (f *fakeMemory) Recall(probes *hopfieldlib.Patterns, opts hopfieldlib.RecallOptions) (*hopfieldlib.RecallResult, error) {
	f.recalls++
	if f.onRecall != nil {
		f.onRecall()
	}
	if opts.MaxSteps < 0 {
		return nil, fmt.Errorf("%w: fake: MaxSteps %d", hopfieldlib.ErrParameter, opts.MaxSteps)
	}
	states, err := f.Step(probes, opts)
	if err != nil {
		return nil, err
	}
	res := &hopfieldlib.RecallResult{States: states, Steps: make([]int, probes.Len()), Converged: make([]bool, probes.Len())}
	for b := range probes.Len() {
		if !slices.Equal(states.Row(b), probes.Row(b)) {
			res.Steps[b] = 1
		}
		res.Converged[b] = slices.Equal(f.next(states.Row(b)), states.Row(b))
	}
	return res, nil
}
