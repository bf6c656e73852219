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
#   3. The kernel spec "gonb" with GoNB's --go_work, and in its "env" GOEXPERIMENT=simd (GoMLX's
#      fast matmul) and a PATH with goimports/gopls/go. Two kinds of install:
#      - system-wide (the default as root; HOPFIELD_SHARED=1): for every user of the machine (a lab
#        server, a JupyterHub with local users, the Docker image). The go.work points at a course
#        copy, PREFIX/course: go.mod, go.sum, hopfieldlib/ (without tests), data/ and the student
#        notebooks, never notebooks/source or the grading code, so no cell can read a solution or
#        a hidden test. Modules come from a shared read-only cache (PREFIX/cache/mod, GOPROXY=off);
#        the kernel starts through BIN/gonb-kernel, which gives each user a build cache of their
#        own seeded from the pre-warmed PREFIX/cache/go-build. Nothing of the installing user's
#        (root's home, PATH, caches) reaches the spec.
#      - personal (the default otherwise; HOPFIELD_SHARED=0): the go.work points at this checkout,
#        the kernel uses this user's Go caches and PATH.
#   4. Pre-warm: compile a program that imports what notebooks import (hopfieldlib and its
#      packages, gonbui, GoMLX) with the kernel's GOEXPERIMENT, so the first notebook cell links in
#      seconds instead of compiling GoMLX.
#   5. Check: run a one-cell notebook through the installed kernel (skip with
#      HOPFIELD_SKIP_CHECK=1).
#
# Where things go (each can be overridden by the environment variable named):
#   HOPFIELD_PREFIX   /opt/hopfield when run as root, else ${XDG_DATA_HOME:-~/.local/share}/hopfield
#   HOPFIELD_BIN      $HOPFIELD_PREFIX/bin: gonb, goimports, gopls (and gonb-kernel, system-wide)
#   HOPFIELD_SHARED   1 for a system-wide install (default as root), 0 for a personal one
#   HOPFIELD_GOPLS=1  system-wide: put gopls on the kernel's PATH (hover and completion in
#                     notebooks, 0.3-0.5 GiB per open notebook); off by default
#   HOPFIELD_GOPLS_MEMLIMIT  with HOPFIELD_GOPLS=1: GOMEMLIMIT for gopls (e.g. 200MiB)
#   HOPFIELD_JUPYTER_DATA
#                     the Jupyter data folder that receives kernels/gonb: /usr/local/share/jupyter
#                     (system-wide, outside any home) as root, else ${XDG_DATA_HOME:-~/.local/share}/jupyter
#   HOPFIELD_SKIP_APT=1    never call apt-get (report what is missing instead)
#   HOPFIELD_SKIP_CHECK=1  skip step 5
#   HOPFIELD_STEPS         the steps to run, default "jupyter tools kernel prewarm check" (the Docker
#                          image builds the tools and pre-warms GoMLX and GoNB's packages from go.mod
#                          and go.sum alone in a first stage, HOPFIELD_STEPS="tools prewarm", so
#                          that this layer is reused until they change)
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
# shared=1: a system-wide install for every user of the machine (see step 3); the default as root.
if [ "$(id -u)" = 0 ]; then shared=${HOPFIELD_SHARED:-1}; else shared=${HOPFIELD_SHARED:-0}; fi

command -v go >/dev/null 2>&1 || die "Go is not on PATH: install Go $(sed -n 's/^go //p' "$repo/go.mod") or newer first (https://go.dev/doc/install)"
[ -f "$repo/go.mod" ] || die "$repo/go.mod not found: run this script from a checkout of the course repository"
steps=" ${HOPFIELD_STEPS:-jupyter tools kernel prewarm check} "
want() { [[ $steps == *" $1 "* ]]; }
if [ "$shared" = 1 ]; then
  # Everything a system-wide kernel names must be readable by every user: nothing in a home.
  for p in "$(go env GOROOT)" "$bin" "$prefix" "$jupyter_data"; do
    case $p in "$HOME" | "$HOME"/* | /root | /root/*)
      die "$p is inside $HOME, which other users cannot read: for a system-wide install put Go, HOPFIELD_PREFIX and HOPFIELD_JUPYTER_DATA outside any home folder (e.g. Go in /usr/local/go), or run with HOPFIELD_SHARED=0 for a personal one" ;;
    esac
  done
fi

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
kernel_dir=$jupyter_data/kernels/gonb
module=$(sed -n 's/^module //p' "$repo/go.mod")

if [ "$shared" = 1 ]; then
  # A system-wide install serves every user of the machine: everything the kernel names lives
  # under the prefix, readable by all, and nothing of the installing user's (root's home is 0700).
  umask 022
  course=$prefix/course
  gocache=$prefix/cache/go-build
  gomodcache=$prefix/cache/mod
  # The course copy the kernel's go.work points at: the module's go.mod and go.sum, the library
  # (without its tests), the data and the student notebooks; never the instructor notebooks, the
  # grading code and its test data, or the repository's history.
  if want kernel; then
    new_course=$course.new.$$
    rm -rf "$new_course"
    mkdir -p "$new_course/notebooks"
    cp "$repo/go.mod" "$repo/go.sum" "$new_course/"
    tar -C "$repo" -cf - --exclude='*_test.go' --exclude=testdata hopfieldlib data | tar -C "$new_course" -xf - ||
      die "copying the library and data into $new_course failed"
    cp "$repo"/notebooks/*.ipynb "$new_course/notebooks/" 2>/dev/null || true
    if leaks=$(grep -rlE 'BEGIN SOLUTION|BEGIN HIDDEN TESTS' "$new_course"); then
      rm -rf "$new_course"
      die "instructor material would reach the course copy: $leaks"
    fi
    chmod -R a+rX "$new_course"
    if [ -d "$course" ] && diff -r -q "$course" "$new_course" >/dev/null 2>&1; then
      rm -rf "$new_course"
      say "course: copy up to date in $course"
    else
      rm -rf "$course.old"
      if [ -d "$course" ]; then mv "$course" "$course.old"; fi
      mv "$new_course" "$course"
      rm -rf "$course.old"
      say "course: student copy in $course (library, data, $(find "$course/notebooks" -name '*.ipynb' | wc -l) notebooks)"
    fi
  fi
  gowork=$course
  # The kernel's own PATH folder: goimports, and gopls only when HOPFIELD_GOPLS=1. GoNB starts a
  # gopls per open notebook when it finds one on PATH (hover and completion; 0.3-0.5 GiB each);
  # without it cells run the same and Tab/Shift-Tab show nothing.
  kernel_bin=$prefix/kernel-bin
  if want kernel; then
    mkdir -p "$kernel_bin"
    ln -sfn "$bin/goimports" "$kernel_bin/goimports"
    rm -f "$kernel_bin/gopls"
    if [ "${HOPFIELD_GOPLS:-0}" = 1 ] && [ -n "${HOPFIELD_GOPLS_MEMLIMIT:-}" ]; then
      # gopls with a soft heap limit (Go's GOMEMLIMIT): it collects garbage harder near it.
      printf '#!/bin/sh
GOMEMLIMIT=%s exec %s "$@"
' "$HOPFIELD_GOPLS_MEMLIMIT" "$bin/gopls" >"$kernel_bin/gopls"
      chmod 755 "$kernel_bin/gopls"
    elif [ "${HOPFIELD_GOPLS:-0}" = 1 ]; then
      ln -sfn "$bin/gopls" "$kernel_bin/gopls"
    fi
  fi
  # Students run Go offline from the shared, read-only module cache: no downloads, no toolchains.
  kernel_path=$kernel_bin:$goroot_bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  launcher=$bin/gonb-kernel
else
  # A personal install: the installing user's own Go caches and PATH, the go.work on this checkout.
  gocache=$(go env GOCACHE)
  gomodcache=$(go env GOMODCACHE)
  gowork=$repo
  # PATH: the tools and Go first, then this script's PATH (without repeats).
  kernel_path=$(printf '%s' "$bin:$goroot_bin:${PATH:-/usr/local/bin:/usr/bin:/bin}" | awk -v RS=: -v ORS=: '$0 != "" && !seen[$0]++' | sed 's/:$//')
  launcher=$bin/gonb
fi

# The environment the kernel and every cell see (Jupyter merges it over its own environment), one
# KEY=value a line. Add a setting here and it reaches the spec.
kernel_env() {
  printf '%s\n' GOEXPERIMENT=simd "PATH=$kernel_path" "GOMODCACHE=$gomodcache"
  # Cells link without a symbol table or DWARF (-s implies -w): every cell is a build and a link,
  # and a link without debug information takes about half the time. This script's own GOFLAGS
  # come first.
  printf 'GOFLAGS=%s\n' "${GOFLAGS:+$GOFLAGS }-ldflags=-s"
  if [ "$shared" = 1 ]; then
    # GOCACHE is left to the launcher (a per-user cache seeded from the pre-warmed one).
    printf '%s\n' GOPROXY=off GOTOOLCHAIN=local "HOPFIELD_DATA=$course/data" "HOPFIELD_GOCACHE_SEED=$gocache"
    local k
    for k in GONOSUMDB GOPRIVATE; do
      if [ -n "${!k:-}" ]; then printf '%s=%s\n' "$k" "${!k}"; fi
    done
  else
    # The caches the pre-warm filled; the settings that make a build offline when this script has
    # them; the data sets of the checkout the go.work points at.
    printf '%s\n' "GOCACHE=$gocache"
    local k
    for k in GOPROXY GOTOOLCHAIN GOPATH GONOSUMDB GOPRIVATE HOPFIELD_DATA; do
      if [ -n "${!k:-}" ]; then printf '%s=%s\n' "$k" "${!k}"; fi
    done
    if [ -z "${HOPFIELD_DATA:-}" ] && [ -d "$repo/data" ]; then printf '%s\n' "HOPFIELD_DATA=$repo/data"; fi
  fi
}
kernel_json=$(
  kernel_env | "$py" -c '
import json, sys
env = dict(line.rstrip("\n").split("=", 1) for line in sys.stdin if "=" in line)
spec = {
    "argv": [sys.argv[1], "--kernel", "{connection_file}", "--go_work=" + sys.argv[2]],
    "display_name": "Go (gonb)",
    "language": "go",
    "interrupt_mode": "message",
    "env": env,
}
print(json.dumps(spec, indent=1, sort_keys=True))
' "$launcher" "$gowork"
)
if [ "$shared" = 1 ] && [[ $kernel_json == *"\"$HOME/"* || $kernel_json == *'"/root/'* || $kernel_json == *':/root/'* ]]; then
  die "the system-wide kernel spec would name a path in $HOME, which other users cannot read:
$kernel_json"
fi

if [ "$shared" = 1 ] && want kernel; then
  # The launcher gives each user a Go build cache of their own: GOCACHE when the environment
  # sets it (the image's single user uses the shared cache itself), else
  # ${XDG_CACHE_HOME:-~/.cache}/hopfield/go-build, seeded by copy from the shared pre-warmed
  # cache the first time and whenever it was pre-warmed again (180 MB, about 1.5 s), so a new
  # user's first cell links instead of compiling GoMLX. Only this script writes the shared cache.
  cat >"$launcher.tmp" <<'EOF'
#!/bin/sh
# gonb-kernel: starts GoNB (beside this script) with a Go build cache this user can write.
# Written by docker/setup-kernel.sh; see there.
seed=${HOPFIELD_GOCACHE_SEED:-}
if [ -z "${GOCACHE:-}" ] && [ -n "$seed" ]; then
  base=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}
  if ! mkdir -p "$base/hopfield" 2>/dev/null; then base=${TMPDIR:-/tmp}/hopfield-$(id -u); mkdir -p "$base/hopfield"; fi
  GOCACHE=$base/hopfield/go-build
  stamp=$(cat "$seed/.prewarmed" 2>/dev/null)
  if [ "$(cat "$GOCACHE/.seeded" 2>/dev/null)" != "$stamp" ]; then
    # Copy what is missing (entries are named by their content: existing ones are identical).
    mkdir -p "$GOCACHE" && cp -R -n "$seed/." "$GOCACHE/" 2>/dev/null
    printf '%s\n' "$stamp" >"$GOCACHE/.seeded"
  fi
  export GOCACHE
fi
exec "$(dirname "$0")/gonb" "$@"
EOF
  chmod 755 "$launcher.tmp"
  mv "$launcher.tmp" "$launcher"
fi

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
  say "kernel: installed spec $kernel_dir/kernel.json (go.work -> $gowork)"
fi

# ---- 4. pre-warm the build cache ----------------------------------------------------------------

want prewarm || want check || { say "done in $((SECONDS - t_start)) s"; exit 0; }
# A program shaped like a GoNB cell: its own module, a go.work using it and the course (what
# --go_work sets up), importing what notebooks import, built with the kernel's GOEXPERIMENT.
t=$SECONDS
warm=$(mktemp -d)
trap 'rm -rf "$warm"' EXIT
if want prewarm; then
  # A shared install fills its own module cache, from this user's module cache first (no network
  # when it already has the modules), then from this user's GOPROXY.
  fill_proxy=${GOPROXY:-}
  if [ "$shared" = 1 ]; then
    own_modcache=$(go env GOMODCACHE)
    fill_proxy="file://$own_modcache/cache/download,$(go env GOPROXY)"
    mkdir -p "$gocache" "$gomodcache"
  fi
  (
    cd "$warm"
    export GOEXPERIMENT=simd PATH="$kernel_path" GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOFLAGS="${GOFLAGS:-}"
    if [ -n "$fill_proxy" ]; then export GOPROXY=$fill_proxy; fi
    go mod init gonb_prewarm >/dev/null 2>&1
    # Without the course copy (HOPFIELD_STEPS without "kernel", as the image's first stage runs
    # it from go.mod and go.sum alone), the third-party packages are pre-warmed from the checkout.
    if [ -f "$gowork/go.mod" ]; then go work init . "$gowork" >/dev/null; else go work init . "$repo" >/dev/null; fi
    # What notebooks import: the library and its packages, GoNB's display, widget and cache
    # packages, and the GoMLX packages notebook 05 uses; those that resolve.
    candidates=("$module/hopfieldlib" "$module/hopfieldlib/plots" "$module/hopfieldlib/datasets"
      "$module/hopfieldlib/experiments" "$module/hopfieldlib/checks"
      github.com/janpfeifer/gonb/gonbui github.com/janpfeifer/gonb/gonbui/dom
      github.com/janpfeifer/gonb/gonbui/widgets github.com/janpfeifer/gonb/cache
      github.com/gomlx/gomlx/core/graph github.com/gomlx/gomlx/ml/model
      github.com/gomlx/gomlx/ml/layers/attention)
    mapfile -t pkgs < <(go list -e -f '{{if not .Error}}{{if not .DepsErrors}}{{.ImportPath}}{{end}}{{end}}' "${candidates[@]}" 2>/dev/null)
    [ "${#pkgs[@]}" -gt 0 ] || exit 1
    { printf 'package main\n\nimport (\n'; printf '\t_ "%s"\n' "${pkgs[@]}"; printf ')\n\nfunc main() {}\n'; } >main.go
    go build -o prewarm . && echo "${pkgs[*]}" >pkgs
    # gopls and `go list` read the go.mod of every module in the graph: have them all offline.
    go list -m all >/dev/null
  ) || die "pre-warm build failed: the repository's packages do not build (see above)"
  if [ "$shared" = 1 ]; then
    # The stamp tells the launcher to seed the users' caches again. The downloaded module zips go
    # (Go builds from the unpacked copies; about 130 MB).
    date -u +%Y-%m-%dT%H:%M:%SZ >"$gocache/.prewarmed"
    find "$gomodcache/cache/download" -name '*.zip' -delete
    chmod -R a+rX "$prefix/cache"
  fi
  say "pre-warm: build cache $gocache ready in $((SECONDS - t)) s ($(du -sh "$gocache" | cut -f1); $(cat "$warm/pkgs"))"
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
