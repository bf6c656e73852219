#!/usr/bin/env bash
# test-image.sh: build the course image (docker/Dockerfile) and use it as a class would.
#
#   1. The engine: docker when its daemon answers, else podman (installed from Debian as root when
#      neither exists). Podman gets what this kind of machine needs: runc where cgroups are hybrid
#      (crun fails there), default ulimits nofile=20000 and nproc=32768 (the host's hard limits),
#      and `--format docker` so the Dockerfile's SHELL (pipefail) is kept.
#   2. The base: quay.io/jupyter/base-notebook at the Dockerfile's pinned tag when it can be
#      pulled, else a stand-in made from Debian packages (docker/standin-base.sh; reused while that
#      script is unchanged). The output says which.
#   3. Go: from go.dev as the Dockerfile says when go.dev answers, else this machine's own Go
#      (when it is the Dockerfile's GO_VERSION) packed as a tarball and served on 127.0.0.1 to the
#      build (build arguments GO_URL and GO_SHA256_AMD64; the Dockerfile is not edited).
#   4. The build, tagged hopfield-course:test, timed; the image's size against its base's.
#   5. Checks, every container with --network none: the user is jovyan (1000:100) and owns the
#      work folder and the build cache; no file in the image holds a solution or a hidden test
#      ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS"; the hopfield program itself, which holds the
#      markers as constants to find them, is the one exception and is reported); a volume over
#      /home/jovyan/work filled as docker/README.md says; a student notebook executed from that
#      volume; `hopfield grade` of a sample submission (the instructor notebook handed in: full
#      marks expected) with the instructor sources mounted read-only and the results in a volume.
#
# Usage: docker/test-image.sh [-k]      -k keeps the temporary folder (logs, grades) and says where
# Environment: HOPFIELD_IMAGE_NOTEBOOK (default 01-classical), HOPFIELD_IMAGE_ENGINE (docker|podman).
# Exit 0 with "SKIP: …" only where no engine can be had (not root, no apt-get).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
keep=0
if [ "${1:-}" = -k ]; then keep=1; fi
tag=hopfield-course:test
nb=${HOPFIELD_IMAGE_NOTEBOOK:-01-classical}
t_start=$SECONDS
timings=()
say() { printf 'test-image: %s\n' "$*"; }
die() { printf 'test-image: FAIL: %s\n' "$*" >&2; exit 1; }
timed() { timings+=("$(printf '%5d s  %s' "$1" "$2")"); }

work=$(mktemp -d /tmp/hopfield-image-test.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
  if [ ${#timings[@]} -gt 0 ]; then printf 'test-image: timings\n'; printf '%s\n' "${timings[@]}"; fi
}
trap cleanup EXIT

# ---- 1. the engine ------------------------------------------------------------------------------
engine=${HOPFIELD_IMAGE_ENGINE:-}
if [ -z "$engine" ]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    engine=docker
  elif command -v podman >/dev/null 2>&1; then
    engine=podman
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "no container engine: installing podman from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc uidmap >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc uidmap >/dev/null; }
    engine=podman
  else
    say "SKIP: no docker daemon, no podman, and podman cannot be installed here (needs root and apt-get)"
    exit 0
  fi
fi
build_flags=()
if [ "$engine" = podman ]; then
  conf=$work/containers.conf
  {
    printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n'
    # crun cannot run containers on hybrid cgroups (v1 controllers with a v2 mount): runc can.
    if [ ! -f /sys/fs/cgroup/cgroup.controllers ] && command -v runc >/dev/null 2>&1; then
      printf '[engine]\nruntime = "runc"\n'
    fi
  } >"$conf"
  export CONTAINERS_CONF=$conf
  build_flags+=(--format docker --ignorefile docker/Dockerfile.dockerignore)
fi
say "engine: $engine ($("$engine" --version))"

# ---- 2. the base --------------------------------------------------------------------------------
base=$(sed -n 's/^ARG BASE_IMAGE=//p' docker/Dockerfile)
[ -n "$base" ] || die "docker/Dockerfile has no ARG BASE_IMAGE"
t=$SECONDS
if timeout 120 "$engine" pull -q "$base" >/dev/null 2>&1; then
  base_used=$base
  say "base: the real $base (pulled)"
else
  standin=localhost/hopfield-base:standin
  stamp=$(sha256sum docker/standin-base.sh | cut -c1-16)
  have=$("$engine" image inspect --format '{{index .Config.Labels "hopfield.standin"}}' "$standin" 2>/dev/null || true)
  if [ "$have" != "$stamp" ]; then
    say "base: $base cannot be pulled here; building a stand-in from Debian packages ($standin)"
    HOPFIELD_STANDIN_LABEL=$stamp nice -n 10 docker/standin-base.sh "$engine" "$standin"
  fi
  base_used=$standin
  say "base: STAND-IN $standin for $base (Debian bookworm, Debian's Jupyter, jovyan 1000:100; see docker/standin-base.sh), not the real base"
fi
timed $((SECONDS - t)) "base image"

# ---- 3. Go --------------------------------------------------------------------------------------
go_version=$(sed -n 's/^ARG GO_VERSION=//p' docker/Dockerfile)
build_args=(--build-arg "BASE_IMAGE=$base_used")
if timeout 15 wget -q --spider "https://go.dev/dl/go${go_version}.linux-amd64.tar.gz" 2>/dev/null; then
  say "Go: $go_version from go.dev, as the Dockerfile says"
else
  host_go=$(go env GOVERSION 2>/dev/null || true)
  [ "$host_go" = "go$go_version" ] || die "go.dev is not reachable and this machine's Go ($host_go) is not the Dockerfile's GO_VERSION $go_version"
  [ "$(go env GOARCH)" = amd64 ] || die "serving this machine's Go is done for amd64 only"
  t=$SECONDS
  goroot=$(go env GOROOT)
  mkdir -p "$work/go"
  # The same bytes and the same address every time, so the engine reuses the Go layer it built.
  tar -C "$(dirname "$goroot")" --sort=name --transform "s,^$(basename "$goroot"),go," -cf - "$(basename "$goroot")" |
    gzip -1 -n >"$work/go/go.tar.gz"
  sha=$(sha256sum "$work/go/go.tar.gz" | cut -d' ' -f1)
  port=$(/usr/bin/python3 -c 'import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", 18733))
except OSError:
    s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
  (cd "$work/go" && exec /usr/bin/python3 -m http.server --bind 127.0.0.1 "$port" >"$work/go-server.log" 2>&1) &
  server_pid=$!
  build_args+=(--build-arg "GO_URL=http://127.0.0.1:$port/go.tar.gz" --build-arg "GO_SHA256_AMD64=$sha")
  build_flags+=(--network host)
  say "Go: go.dev is not reachable; this machine's $host_go served on 127.0.0.1:$port ($(du -h "$work/go/go.tar.gz" | cut -f1), sha256 $sha)"
  timed $((SECONDS - t)) "Go tarball"
fi

# ---- 4. the build -------------------------------------------------------------------------------
say "build: $engine build -f docker/Dockerfile -t $tag (nice -n 10; the log is in $work/build.log)"
t=$SECONDS
if ! nice -n 10 "$engine" build "${build_flags[@]}" "${build_args[@]}" -f docker/Dockerfile -t "$tag" . >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  die "the image did not build"
fi
build_s=$((SECONDS - t))
timed "$build_s" "image build"
grep -E 'STEP [0-9]+/[0-9]+|setup-kernel:' "$work/build.log" | sed 's/^/  /' | tail -40
size=$("$engine" image inspect --format '{{.Size}}' "$tag")
base_size=$("$engine" image inspect --format '{{.Size}}' "$base_used")
say "build: $tag in $build_s s; $((size / 1000000)) MB, the base $((base_size / 1000000)) MB, the course adds $(((size - base_size) / 1000000)) MB"

run() { "$engine" run --rm --network none "$@"; }

# ---- 5. checks ----------------------------------------------------------------------------------
t=$SECONDS
who=$(run "$tag" sh -c 'id -u; id -g; id -un; stat -c "%U:%G" /home/jovyan/work /home/jovyan/work/*.ipynb /opt/hopfield/cache/go-build | sort -u')
expect=$'1000\n100\njovyan\njovyan:users'
[ "$who" = "$expect" ] || die "user and ownership: got
$who
want
$expect"
say "check: runs as jovyan (1000:100); the work folder, its notebooks and the build cache belong to jovyan"

markers='BEGIN SOLUTION|BEGIN HIDDEN TESTS'
found=$(run --user root "$tag" sh -c "grep -rlE '$markers' / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev 2>/dev/null || true")
leaks=()
programs=()
for f in $found; do
  if run --user root "$tag" sh -c "head -c 4 '$f' | grep -q ELF"; then programs+=("$f"); else leaks+=("$f"); fi
done
[ ${#leaks[@]} -eq 0 ] || die "files in the image hold a solution or hidden-test marker: ${leaks[*]}"
[ ${#programs[@]} -le 1 ] || die "more than one program holds the markers: ${programs[*]}"
say "check: no file in the image holds \"BEGIN SOLUTION\" or \"BEGIN HIDDEN TESTS\" (scanned every file; the one program with them as constants: ${programs[*]:-none})"
timed $((SECONDS - t)) "ownership and marker checks"

# A volume over the work folder, filled as docker/README.md says.
t=$SECONDS
mkdir -p "$work/course"
chown 1000:100 "$work/course"
run -v "$work/course":/home/jovyan/work "$tag" cp -rn /opt/hopfield/course/notebooks/. /home/jovyan/work/
[ -f "$work/course/$nb.ipynb" ] || die "the README's copy into a volume over /home/jovyan/work left no $nb.ipynb"
[ "$(stat -c %u "$work/course/$nb.ipynb")" = 1000 ] || die "the notebooks copied into the volume do not belong to 1000"
say "check: a volume over /home/jovyan/work receives the notebooks ($(find "$work/course" -name '*.ipynb' | wc -l)), owned by 1000"

say "run: the student version of $nb, executed from the volume (--network none)"
run -v "$work/course":/home/jovyan/work "$tag" \
  hopfield execute -v -allow-not-implemented -cell-timeout 5m -timeout 15m -out /tmp/executed "/home/jovyan/work/$nb.ipynb" \
  >"$work/execute.log" 2>&1 || { cat "$work/execute.log" >&2; die "the student notebook failed in the image"; }
sed 's/^/  /' "$work/execute.log"
grep -q "^ok .*$nb.ipynb" "$work/execute.log" || die "hopfield execute did not report the notebook ok"
timed $((SECONDS - t)) "student notebook in the image"

t=$SECONDS
say "run: hopfield grade, one submission (the instructor version of $nb handed in as student alice)"
mkdir -p "$work/submissions/alice" "$work/grades"
cp "notebooks/source/$nb.ipynb" "$work/submissions/alice/"
chown -R 1000:100 "$work/grades"
run -v "$repo/notebooks/source":/grading/source:ro -v "$work/submissions":/grading/submissions:ro \
  -v "$work/grades":/grading/out "$tag" \
  hopfield grade --workers 1 --source /grading/source --out /grading/out /grading/submissions \
  >"$work/grade.log" 2>&1 || { cat "$work/grade.log" >&2; die "hopfield grade failed in the image"; }
sed 's/^/  /' "$work/grade.log" | tail -5
csv=$work/grades/grades.csv
[ -f "$csv" ] || die "hopfield grade wrote no grades.csv"
rows=$(awk -F, -v nb="$nb" 'NR > 1 && $2 ~ nb' "$csv" | wc -l)
short=$(awk -F, -v nb="$nb" 'NR > 1 && $2 ~ nb && $6 != "manual" && $4 != $5' "$csv" | wc -l)
[ "$rows" -gt 0 ] || die "grades.csv has no row for $nb: $(cat "$csv")"
[ "$short" = 0 ] || die "the instructor version lost points in the image: $(awk -F, 'NR == 1 || $4 != $5' "$csv")"
say "check: grades.csv: $rows cells of $nb, every auto-graded one at full marks"
timed $((SECONDS - t)) "grading in the image"

say "PASS ($((SECONDS - t_start)) s)"
