package grading

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Shard is one part of a class graded on its own (by another machine, or a pod of a
// Kubernetes Indexed Job): shard Index of Count, 0 ≤ Index < Count. The zero value is the
// whole class.
//
// Students are dealt out in name order, round robin: the i-th student (counting from 0 in
// sorted order) belongs to shard i mod Count. Every shard that reads the same submissions folder
// agrees on the deal, and the shards' sizes differ by at most one student. MergeResults joins
// the shards' output folders into the folder a single run writes.
type Shard struct {
	Index, Count int
}

// ErrShard reports a shard that does not exist (Index outside 0 … Count-1).
var ErrShard = errors.New("grading: bad shard")

// ParseShard reads "I/N" (shard I of N, 0 ≤ I < N), the form of hopfield grade's --shard.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%w: want I/N such as 0/4 (shard I of N, counting from 0), got %q", ErrShard, s)
	}
	sh := Shard{Index: i, Count: n}
	return sh, sh.check()
}

func (s Shard) check() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("%w: shard %d/%d: want N ≥ 1 and 0 ≤ I < N", ErrShard, s.Index, s.Count)
	}
	return nil
}

// count is the number of shards (1 for the whole class).
func (s Shard) count() int { return max(s.Count, 1) }

func (s Shard) String() string { return shardName(s.Index, s.count()) }

func shardName(i, n int) string {
	if n <= 1 {
		return "the whole class (no --shard)"
	}
	return fmt.Sprintf("%d/%d", i, n)
}

// pick returns the students (sorted) of this shard.
func (s Shard) pick(students []string) []string {
	if s.count() == 1 {
		return students
	}
	var out []string
	for i, st := range students {
		if i%s.Count == s.Index {
			out = append(out, st)
		}
	}
	return out
}
