package hopfieldlib

import (
	"errors"
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/attention"
	"github.com/gomlx/gomlx/ml/model"
)

func TestProjectHandCalculated(t *testing.T) {
	// [1 2; 0 -1] · [1 0 2; 3 1 0] = [7 2 2; -3 -1 0].
	x := contPatterns(t, [][]float32{{1, 2}, {0, -1}})
	w := contPatterns(t, [][]float32{{1, 0, 2}, {3, 1, 0}})
	got, err := Project(x, w)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{7, 2, 2}, {-3, -1, 0}}
	if got.Len() != 2 || got.Dim() != 3 {
		t.Fatalf("Project is %v, want 2×3", got)
	}
	for i := range want {
		for j := range want[i] {
			if got.At(i, j) != want[i][j] {
				t.Errorf("Project[%d,%d] = %v, want %v", i, j, got.At(i, j), want[i][j])
			}
		}
	}
}

func TestProjectAgreesWithFloat64(t *testing.T) {
	x := contRandom(t, 13, 40, -1, 1, 31)
	w := contRandom(t, 40, 7, -1, 1, 32)
	got, err := Project(x, w)
	if err != nil {
		t.Fatal(err)
	}
	for r := range 13 {
		for j := range 7 {
			var s float64
			for i := range 40 {
				s += float64(x.At(r, i)) * float64(w.At(i, j))
			}
			if d := math.Abs(float64(got.At(r, j)) - s); d > 1e-5 {
				t.Fatalf("Project[%d,%d] = %v, float64 %v", r, j, got.At(r, j), s)
			}
		}
	}
}

func TestProjectErrors(t *testing.T) {
	x := contPatterns(t, [][]float32{{1, 2}})
	w3 := contPatterns(t, [][]float32{{1}, {2}, {3}})
	if _, err := Project(x, w3); !errors.Is(err, ErrShape) {
		t.Errorf("Project(1×2, 3×1): err = %v, want ErrShape", err)
	}
	if _, err := Project(nil, w3); !errors.Is(err, ErrEmpty) {
		t.Errorf("Project(nil, w): err = %v, want ErrEmpty", err)
	}
	if _, err := Project(x, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("Project(x, nil): err = %v, want ErrEmpty", err)
	}
}

func TestRMSNorm(t *testing.T) {
	// (3, 4): mean square 12.5, scaled by 1/√12.5 → (0.8485281, 1.1313709); a zero row stays zero.
	p := contPatterns(t, [][]float32{{3, 4}, {0, 0}})
	got, err := RMSNorm(p)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(got.At(0, 0))-0.8485281374238571) > 1e-6 || math.Abs(float64(got.At(0, 1))-1.131370849898476) > 1e-6 {
		t.Errorf("RMSNorm((3, 4)) = %v, want (0.8485281, 1.1313709)", got.Row(0))
	}
	if got.At(1, 0) != 0 || got.At(1, 1) != 0 {
		t.Errorf("RMSNorm((0, 0)) = %v, want zeros", got.Row(1))
	}
	if p.At(0, 0) != 3 {
		t.Error("RMSNorm changed its input")
	}
	if _, err := RMSNorm(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("RMSNorm(nil): err = %v, want ErrEmpty", err)
	}
}

// oneHead is GoMLX's multi-head attention with one head of size d_k, value head size d_v, identity
// projections (RunQKV's initializer) and no biases, at GoMLX's default scale or the given one.
func oneHead(scale float64) QKVGraph {
	return func(scope *model.Scope, q, k, v *graph.Node) *graph.Node {
		dk, dv := k.Shape().Dim(-1), v.Shape().Dim(-1)
		b := attention.MultiHeadAttention(scope, q, k, v, 1, dk).WithValueHeadDim(dv).UseProjectionBias(false)
		if scale != 0 {
			b = b.WithQueryKeyScale(scale)
		}
		return b.Done()
	}
}

func maxAbsDiff(t *testing.T, a, b *Patterns) float64 {
	t.Helper()
	if a.Len() != b.Len() || a.Dim() != b.Dim() {
		t.Fatalf("shapes differ: %v vs %v", a, b)
	}
	var worst float64
	for i, x := range a.Flat() {
		worst = max(worst, math.Abs(float64(x)-float64(b.Flat()[i])))
	}
	return worst
}

// TestRunQKVMultiHeadAttentionScale runs GoMLX's layer through RunQKV and finds its β: 1/√d_k by
// default (not 1/d_k), and exactly the scale given with WithQueryKeyScale.
func TestRunQKVMultiHeadAttentionScale(t *testing.T) {
	for _, dk := range []int{4, 16, 64} {
		q := contRandom(t, 6, dk, -2, 2, 41)
		k := contRandom(t, 11, dk, -2, 2, 42)
		v := contRandom(t, 11, 3, -1, 1, 43)
		got, err := RunQKV(oneHead(0), q, k, v)
		if err != nil {
			t.Fatal(err)
		}
		sqrt, err := Attention(q, k, v, 1/math.Sqrt(float64(dk)))
		if err != nil {
			t.Fatal(err)
		}
		lin, err := Attention(q, k, v, 1/float64(dk))
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(t, got, sqrt); d > 1e-5 {
			t.Errorf("d_k=%d: GoMLX vs Attention(β = 1/√d_k): max |Δ| = %.3g, want ≤ 1e-5", dk, d)
		}
		if d := maxAbsDiff(t, got, lin); d < 1e-3 {
			t.Errorf("d_k=%d: GoMLX also matches β = 1/d_k (max |Δ| = %.3g): data cannot tell", dk, d)
		}
		scaled, err := RunQKV(oneHead(0.3), q, k, v)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := Attention(q, k, v, 0.3)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(t, scaled, ref); d > 1e-5 {
			t.Errorf("d_k=%d: WithQueryKeyScale(0.3) vs Attention(β = 0.3): max |Δ| = %.3g", dk, d)
		}
	}
}

func TestRunQKVErrors(t *testing.T) {
	q := contPatterns(t, [][]float32{{1, 0}})
	k := contPatterns(t, [][]float32{{1, 0}, {0, 1}})
	v3 := contPatterns(t, [][]float32{{1}, {2}, {3}})
	if _, err := RunQKV(nil, q, k, k); !errors.Is(err, ErrParameter) {
		t.Errorf("RunQKV(nil graph): err = %v, want ErrParameter", err)
	}
	if _, err := RunQKV(oneHead(0), q, k, v3); !errors.Is(err, ErrShape) {
		t.Errorf("RunQKV(3 values for 2 keys): err = %v, want ErrShape", err)
	}
	if _, err := RunQKV(oneHead(0), nil, k, k); !errors.Is(err, ErrEmpty) {
		t.Errorf("RunQKV(nil queries): err = %v, want ErrEmpty", err)
	}
	// A graph that panics while being built (a query of dimension 3 against keys of dimension 2).
	q3 := contPatterns(t, [][]float32{{1, 0, 0}})
	if _, err := RunQKV(oneHead(0), q3, k, k); !errors.Is(err, ErrBackend) {
		t.Errorf("RunQKV(mismatched query dim): err = %v, want ErrBackend", err)
	}
	// A graph that returns the wrong rank.
	flat := func(scope *model.Scope, q, k, v *graph.Node) *graph.Node { return graph.ReduceAllSum(q) }
	if _, err := RunQKV(flat, q, k, k); !errors.Is(err, ErrShape) {
		t.Errorf("RunQKV(scalar output): err = %v, want ErrShape", err)
	}
}
