"""numpy reference for `hopfield bench -numpy` (embedded in the hopfield binary).

Usage: python3 bench_numpy.py SPEC.json

SPEC names the workload ("W1", "W2", "W3", "W4"), the counted runs and the cases. Each case points at
raw little-endian float32 files written by the Go side (the very data the library was timed on):
"stored" (K×N, one stored pattern per row) and "queries" (B×N: W1's queries, W2/W3's noisy
probes). Probe b of W2/W3 was made from stored pattern b mod K.

Every workload is written the straightforward way an ML engineer would in numpy, in float32, and
timed like the Go side: three warm-up calls, then `runs` counted runs; the median, fastest and slowest
are reported. Output, on stdout, one JSON object per line: first {"info": {...}} (numpy, BLAS,
threads), then one {"id": ..., "seconds": ...} per case. Exit status 3: numpy is not importable.
"""

import ctypes
import json
import os
import platform
import sys
import time

try:
    import numpy as np
except ImportError as e:  # the Go side turns exit status 3 into "install python3-numpy"
    print(f"bench_numpy.py: cannot import numpy: {e}", file=sys.stderr)
    sys.exit(3)


def blas_info():
    """Which BLAS library numpy really loaded (the Debian build links the generic libblas.so.3,
    which update-alternatives points at one implementation) and, for OpenBLAS, its configuration
    and thread count."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if "blas" in os.path.basename(path) or "lapack" in os.path.basename(path):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    info = {"blas_libraries": sorted(libs)}
    for path in sorted(libs):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            info["openblas_config"] = lib.openblas_get_config().decode()
            info["blas_threads"] = lib.openblas_get_num_threads()
            break
        except (OSError, AttributeError):
            continue
    return info


WARMUP_RUNS = 3  # as the Go side's warmupRuns


def timed(fn, runs):
    """WARMUP_RUNS uncounted calls of fn, then `runs` timed calls: median, fastest, slowest
    (seconds) and the last call's result."""
    for _ in range(WARMUP_RUNS):
        out = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    return median, times[0], times[-1], out


def load(path, rows, cols):
    a = np.fromfile(path, dtype="<f4")
    if a.size != rows * cols:
        raise ValueError(f"{path}: {a.size} float32 values, want {rows}×{cols}")
    return a.reshape(rows, cols)


# W1 and W4 (W1 at many β, with queries that have no zero unit): one step of the continuous
# modern Hopfield network, ξ ← X softmax(β Xᵀξ), for a batch of queries at once: two matmuls and a
# stable softmax.
def w1_step(X, Q, beta):
    scores = (Q @ X.T) * np.float32(beta)  # B×K
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores @ X  # B×N


def w1(case, runs):
    X = load(case["stored"], case["K"], case["N"])
    Q = load(case["queries"], case["B"], case["N"])
    beta = case["beta"]
    median, lo, hi, xi = timed(lambda: w1_step(X, Q, beta), runs)
    xi.astype("<f4").tofile(case["out"])  # the Go side compares it with the library's step
    # Accuracy as on the Go side: the largest softmax weight (the largest score) is on the
    # query's own pattern; in chunks, like the Go side, to keep the B×K scores small.
    right = 0
    for q0 in range(0, case["B"], 100):
        best = (Q[q0:q0 + 100] @ X.T).argmax(axis=1)
        right += int((best == np.arange(q0, q0 + len(best))).sum())
    return {"seconds": median, "min_seconds": lo, "max_seconds": hi,
            "accuracy": right / case["B"]}


# W2: classical Hopfield network, Hebbian weights, asynchronous recall vectorised over the batch:
# one unit at a time for all probes, sweeps in a fresh random order until nothing changes.
def hebbian(X):
    n = X.shape[1]
    W = X.T @ X / np.float32(n)
    np.fill_diagonal(W, 0)
    return W


def w2_recall(W, probes, rng, max_sweeps):
    S = probes.T.copy()  # N×B: unit i of every probe is the row S[i]
    n = S.shape[0]
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(n):
            h = W[i] @ S  # local field of unit i, every probe
            flip = h * S[i] < 0  # a zero field keeps the unit
            if flip.any():
                S[i, flip] = -S[i, flip]
                changed = True
        if not changed:
            return S.T, sweep - 1, True  # sweeps that changed something, as on the Go side
    return S.T, max_sweeps, False


def w2(case, runs):
    X = load(case["stored"], case["K"], case["N"])
    probes = load(case["queries"], case["B"], case["N"])
    W = hebbian(X)
    rng = np.random.default_rng(1)
    median, lo, hi, (S, sweeps, converged) = timed(
        lambda: w2_recall(W, probes, rng, case["max_sweeps"]), runs)
    want = X[np.arange(case["B"]) % case["K"]]
    return {"seconds": median, "min_seconds": lo, "max_seconds": hi,
            "accuracy": float((S == want).all(axis=1).mean()),
            "sweeps": sweeps, "converged": converged}


# W3: dense associative memory, E = -Σ_μ F(m_μ) with overlaps m = X s; asynchronous sweeps that
# flip a unit iff the flip lowers E. Vectorised over probes and patterns, with the overlaps
# M = X S (K×B) kept and updated on each flip, and each probe's current Σ_μ F (for exp: the
# log-sum-exp of β m) kept alongside.
def w3_energy(kind, beta):
    if kind == "exp":
        b = np.float32(beta)

        def lse(M):  # log Σ_μ exp(β m_μ) per probe, stable
            a = b * M
            top = a.max(axis=0)
            return top + np.log(np.exp(a - top).sum(axis=0))
        return lse
    if kind == "relu^3":
        return lambda M: (np.maximum(M, 0) ** 3).sum(axis=0)
    raise ValueError(f"unknown separation function {kind!r}")


def w3_sweep(XT, S, M, score, energy, rng):
    """One sweep in place: XT is N×K (unit i of every pattern is XT[i]), S N×B, M = X S, score
    the per-probe Σ_μ F(m_μ) (or its log). Returns the number of flips."""
    flips = 0
    for i in rng.permutation(S.shape[0]):
        M_flip = M - 2 * XT[i][:, None] * S[i]  # overlaps if unit i flipped, every probe
        new = energy(M_flip)
        flip = new > score  # the flip lowers E; ties keep the unit
        if flip.any():
            np.copyto(M, M_flip, where=flip)
            np.copyto(score, new, where=flip)
            S[i, flip] = -S[i, flip]
            flips += int(flip.sum())
    return flips


def w3(case, runs):
    X = load(case["stored"], case["K"], case["N"])
    probes = load(case["queries"], case["B"], case["N"])
    XT = X.T.copy()
    energy = w3_energy(case["F"], case.get("beta", 1.0))
    rng = np.random.default_rng(1)

    def one_sweep():  # from the noisy probes, the starting overlaps included
        S = probes.T.copy()
        M = X @ S
        w3_sweep(XT, S, M, energy(M), energy, rng)
        return S

    median, lo, hi, _ = timed(one_sweep, runs)

    # Accuracy, outside the timing: a full recall, sweeps until one flips nothing.
    S = probes.T.copy()
    M = X @ S
    score = energy(M)
    converged, sweeps = False, 0  # sweeps: those that flipped something, as on the Go side
    for _ in range(case["max_sweeps"]):
        if w3_sweep(XT, S, M, score, energy, rng) == 0:
            converged = True
            break
        sweeps += 1
    want = X[np.arange(case["B"]) % case["K"]]
    return {"seconds": median, "min_seconds": lo, "max_seconds": hi,
            "accuracy": float((S.T == want).all(axis=1).mean()),
            "sweeps": sweeps, "converged": converged}


def main():
    if len(sys.argv) != 2:
        print("usage: bench_numpy.py SPEC.json", file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    info = {"numpy": np.__version__, "python": platform.python_version(),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "")}
    info.update(blas_info())
    print(json.dumps({"info": info}), flush=True)
    run = {"W1": w1, "W2": w2, "W3": w3, "W4": w1}[spec["workload"]]
    for case in spec["cases"]:
        result = run(case, spec["runs"])
        result["id"] = case["id"]
        result["runs"] = spec["runs"]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
