#!/usr/bin/env bash
# setup-kernel.sh: install everything the course's notebooks need to run in the GoNB Go kernel.
#
# One script for CI (a bare Debian machine with Go), the Docker image and a person on
# Debian/Ubuntu. It is idempotent and fast when everything is already in place. Steps:
#
#   1. Jupyter (notebook server, nbconvert, nbclient, jupyter_client) from Debian's packages,
#      unless a Python that has them is already there (the Docker base image has its own).
#   2. gonb, goimports and gopls built from the versions pinned in go.mod (its `tool` block)
#      into a stable folder (BIN below); rebuilt only when go.mod's pins or Go change.
#   3. The kernel spec "gonb": kernel.json runs BIN/gonb with --go_work=<this repository>, so
#      notebooks import hopfieldlib from the working tree, and its "env" sets GOEXPERIMENT=simd
#      (GoMLX's fast matmul), a PATH with goimports/gopls/go, and the Go caches the pre-warm used.
#   4. Pre-warm: compile a program that imports hopfieldlib (and plots, datasets, gonbui) with the
#      kernel's GOEXPERIMENT, so the first notebook cell links in seconds instead of compiling GoMLX.
#   5. Check: run a one-cell notebook through the installed kernel (skip with
#      HOPFIELD_SKIP_CHECK=1).
#
# Where things go (each can be overridden by the environment variable named):
#   HOPFIELD_PREFIX   /opt/hopfield when run as root, else ${XDG_DATA_HOME:-~/.local/share}/hopfield
#   HOPFIELD_BIN      $HOPFIELD_PREFIX/bin: gonb, goimports, gopls
#   HOPFIELD_JUPYTER_DATA
#                     the Jupyter data folder that receives kernels/gonb: /usr/local/share/jupyter
#                     (system-wide, outside any home) as root, else ${XDG_DATA_HOME:-~/.local/share}/jupyter
#   HOPFIELD_SKIP_APT=1    never call apt-get (report what is missing instead)
#   HOPFIELD_SKIP_CHECK=1  skip step 5
#   HOPFIELD_STEPS         the steps to run, default "jupyter tools kernel prewarm check" (the Docker
#                          image builds the tools alone in a throwaway stage: HOPFIELD_STEPS=tools)
#
# Usage: docker/setup-kernel.sh            (from anywhere; it finds the repository itself)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
t_start=$SECONDS

say() { printf 'setup-kernel: %s\n' "$*"; }
die() { printf 'setup-kernel: error: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then
  prefix=${HOPFIELD_PREFIX:-/opt/hopfield}
  jupyter_data=${HOPFIELD_JUPYTER_DATA:-/usr/local/share/jupyter}
else
  prefix=${HOPFIELD_PREFIX:-${XDG_DATA_HOME:-$HOME/.local/share}/hopfield}
  jupyter_data=${HOPFIELD_JUPYTER_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter}
fi
bin=${HOPFIELD_BIN:-$prefix/bin}

command -v go >/dev/null 2>&1 || die "Go is not on PATH: install Go $(sed -n 's/^go //p' "$repo/go.mod") or newer first (https://go.dev/doc/install)"
[ -f "$repo/go.mod" ] || die "$repo/go.mod not found: run this script from a checkout of the course repository"
steps=" ${HOPFIELD_STEPS:-jupyter tools kernel prewarm check} "
want() { [[ $steps == *" $1 "* ]]; }

# ---- 1. Jupyter ---------------------------------------------------------------------------------

# jupyter_python prints the first Python that has everything headless runs and the lab need.
jupyter_python() {
  local py
  for py in ${HOPFIELD_PYTHON:-} /usr/bin/python3 python3; do
    if command -v "$py" >/dev/null 2>&1 &&
      "$py" -c 'import nbclient, nbconvert, jupyter_client, nbformat, notebook' >/dev/null 2>&1; then
      command -v "$py"
      return 0
    fi
  done
  return 1
}

debian_packages="jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel"
if py=$(jupyter_python); then
  if want jupyter; then say "Jupyter: found ($py)"; fi
elif ! want jupyter && ! want kernel && ! want check; then
  : # the tools alone need no Jupyter
else
  if [ "${HOPFIELD_SKIP_APT:-}" = 1 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "no Python with Jupyter (nbclient, nbconvert, jupyter_client, notebook) found.
  On Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y $debian_packages
  Elsewhere:         pip install notebook nbconvert nbclient   (then set HOPFIELD_PYTHON to that python)"
  fi
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "installing Jupyter needs root: run as root, or install sudo, or run
  apt-get update && apt-get install -y $debian_packages
as root first"
    sudo=(sudo)
  fi
  say "Jupyter: installing Debian packages: $debian_packages"
  t=$SECONDS
  # shellcheck disable=SC2086 # the package list is meant to split
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $debian_packages >/dev/null
  py=$(jupyter_python) || die "the Debian packages are installed but /usr/bin/python3 still cannot import nbclient"
  say "Jupyter: installed in $((SECONDS - t)) s ($py)"
fi

# ---- 2. gonb, goimports, gopls from go.mod's pins ----------------------------------------------

# The stamp records what the binaries were built from: the pinned versions and Go's version.
stamp_want=$(
  go version
  grep -E '^\s*(github.com/janpfeifer/gonb|golang.org/x/tools|golang.org/x/tools/gopls) v' "$repo/go.mod" || true
)
stamp_file=$bin/.built-from
if ! want tools; then
  :
elif [ -x "$bin/gonb" ] && [ -x "$bin/goimports" ] && [ -x "$bin/gopls" ] &&
  [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp_want" ]; then
  say "tools: gonb, goimports, gopls up to date in $bin"
else
  say "tools: building gonb, goimports, gopls from go.mod's pins into $bin (about 90 s on 2 cores the first time)"
  t=$SECONDS
  mkdir -p "$bin"
  (cd "$repo" && GOWORK=off go build -trimpath -o "$bin/" \
    github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports golang.org/x/tools/gopls)
  printf '%s\n' "$stamp_want" >"$stamp_file"
  say "tools: built in $((SECONDS - t)) s"
fi

# ---- 3. the kernel spec -------------------------------------------------------------------------

want kernel || want prewarm || want check || { say "done in $((SECONDS - t_start)) s"; exit 0; }
goroot_bin=$(go env GOROOT)/bin
gocache=$(go env GOCACHE)
gomodcache=$(go env GOMODCACHE)
kernel_dir=$jupyter_data/kernels/gonb

# The environment the kernel and every cell see. Jupyter merges it over its own environment.
# Go's caches are recorded so the kernel uses exactly the cache the pre-warm filled; settings
# that make a build offline (GOPROXY, GOTOOLCHAIN, GOFLAGS) are kept when this script has them.
# PATH: the tools and Go first, then this script's PATH (without repeats).
kernel_path=$(printf '%s' "$bin:$goroot_bin:${PATH:-/usr/local/bin:/usr/bin:/bin}" | awk -v RS=: -v ORS=: '$0 != "" && !seen[$0]++' | sed 's/:$//')
env_json=$(
  "$py" - "$kernel_path" "$gocache" "$gomodcache" "$repo" <<'EOF'
import json, os, sys
env = {"GOEXPERIMENT": "simd", "PATH": sys.argv[1], "GOCACHE": sys.argv[2], "GOMODCACHE": sys.argv[3]}
for k in ("GOPROXY", "GOTOOLCHAIN", "GOFLAGS", "GOPATH", "GONOSUMDB", "GOPRIVATE", "HOPFIELD_DATA"):
    if os.environ.get(k):
        env[k] = os.environ[k]
# The data sets of the repository the go.work points at (hopfieldlib/datasets reads HOPFIELD_DATA).
if "HOPFIELD_DATA" not in env and os.path.isdir(os.path.join(sys.argv[4], "data")):
    env["HOPFIELD_DATA"] = os.path.join(sys.argv[4], "data")
print(json.dumps(env, sort_keys=True))
EOF
)
kernel_json=$(
  "$py" - "$bin/gonb" "$repo" "$env_json" <<'EOF'
import json, sys
spec = {
    "argv": [sys.argv[1], "--kernel", "{connection_file}", "--go_work=" + sys.argv[2]],
    "display_name": "Go (gonb)",
    "language": "go",
    "interrupt_mode": "message",
    "env": json.loads(sys.argv[3]),
}
print(json.dumps(spec, indent=1, sort_keys=True))
EOF
)
if ! want kernel; then
  :
elif [ -f "$kernel_dir/kernel.json" ] && [ "$(cat "$kernel_dir/kernel.json")" = "$kernel_json" ]; then
  say "kernel: spec up to date in $kernel_dir"
else
  mkdir -p "$kernel_dir"
  printf '%s\n' "$kernel_json" >"$kernel_dir/kernel.json"
  # GoNB's logo, from the module cache (optional: only the launcher uses it).
  logo=$(cd "$repo" && go list -m -f '{{.Dir}}' github.com/janpfeifer/gonb 2>/dev/null)/internal/kernel/Go_gopher_favicon.svg
  if [ -f "$logo" ]; then cp "$logo" "$kernel_dir/logo-svg.svg" && chmod 644 "$kernel_dir/logo-svg.svg"; fi
  chmod 644 "$kernel_dir/kernel.json"
  say "kernel: installed spec $kernel_dir/kernel.json (go.work -> $repo)"
fi

# ---- 4. pre-warm the build cache ----------------------------------------------------------------

want prewarm || want check || { say "done in $((SECONDS - t_start)) s"; exit 0; }
# A program shaped like a GoNB cell: its own module, a go.work using it and the repository (what
# --go_work sets up), importing what notebooks import, built with the kernel's GOEXPERIMENT.
t=$SECONDS
warm=$(mktemp -d)
trap 'rm -rf "$warm"' EXIT
module=$(sed -n 's/^module //p' "$repo/go.mod")
if want prewarm; then
  (
    cd "$warm"
    export GOEXPERIMENT=simd PATH="$kernel_path" GOCACHE="$gocache" GOMODCACHE="$gomodcache"
    go mod init gonb_prewarm >/dev/null 2>&1
    go work init . "$repo" >/dev/null
    # What notebooks import: the library, its figures and data sets, GoNB's display and cache
    # packages, and GoMLX's attention layers (the transformer notebook); those that resolve.
    candidates=("$module/hopfieldlib" "$module/hopfieldlib/plots" "$module/hopfieldlib/datasets"
      github.com/janpfeifer/gonb/gonbui github.com/janpfeifer/gonb/cache
      github.com/gomlx/gomlx/ml/layers/attention)
    mapfile -t pkgs < <(go list -e -f '{{if not .Error}}{{if not .DepsErrors}}{{.ImportPath}}{{end}}{{end}}' "${candidates[@]}" 2>/dev/null)
    [ "${#pkgs[@]}" -gt 0 ] || exit 1
    { printf 'package main\n\nimport (\n'; printf '\t_ "%s"\n' "${pkgs[@]}"; printf ')\n\nfunc main() {}\n'; } >main.go
    go build -o prewarm . && echo "${pkgs[*]}" >pkgs
  ) || die "pre-warm build failed: the repository's packages do not build (see above)"
  say "pre-warm: build cache ready in $((SECONDS - t)) s ($(cat "$warm/pkgs"))"
fi

# ---- 5. check the kernel end to end -------------------------------------------------------------

if want check && [ "${HOPFIELD_SKIP_CHECK:-}" != 1 ]; then
  t=$SECONDS
  cat >"$warm/check.ipynb" <<EOF
{"cells": [{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [],
  "source": ["%noautoget\n", "import \"$module/hopfieldlib\"\n", "%%\n", "p, err := hopfieldlib.Zeros(2, 3)\n", "fmt.Println(\"kernel ok\", p.Len(), p.Dim(), err)"]}],
 "metadata": {"kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"}},
 "nbformat": 4, "nbformat_minor": 5}
EOF
  (cd "$warm" && JUPYTER_PATH="$jupyter_data${JUPYTER_PATH:+:$JUPYTER_PATH}" "$py" -m nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=300 --output out.ipynb check.ipynb >"$warm/check.log" 2>&1) ||
    { cat "$warm/check.log" >&2; die "the gonb kernel did not run the check notebook"; }
  "$py" - "$warm/out.ipynb" <<'EOF' || die "the check notebook ran but its output is wrong (see above)"
import json, sys
outs = json.load(open(sys.argv[1]))["cells"][0]["outputs"]
text = "".join("".join(o.get("text", "")) for o in outs if o.get("name") == "stdout")
bad = [o for o in outs if o["output_type"] == "error" or o.get("name") == "stderr"]
if bad or "kernel ok 2 3 <nil>" not in text:
    sys.stderr.write(json.dumps(outs, indent=1) + "\n")
    sys.exit(1)
EOF
  say "check: a notebook importing hopfieldlib ran in the gonb kernel in $((SECONDS - t)) s"
fi

say "done in $((SECONDS - t_start)) s. Start the course with: go run ./cmd/hopfield lab"
