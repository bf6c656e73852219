#!/usr/bin/env bash
# test-multiuser.sh: a root install of the course serves every user of the machine. As root it
# runs docker/setup-kernel.sh (the system-wide install a lab server or a local-user JupyterHub
# uses), creates an unprivileged user, and as that user
#   1. checks the kernel spec names nothing under /root and nothing of root's;
#   2. walks every folder of the kernel's go.work and finds no solution or hidden test
#      ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS"), having read the library's sources there;
#   3. executes a student notebook headless in the installed kernel (`hopfield execute`), which
#      needs the shared module cache and a build cache of the user's own, and reports the time of
#      the user's first cell (the build cache seeded from the pre-warmed one) and of the others.
#
# Usage (as root): docker/test-multiuser.sh [NOTEBOOK]     default: notebooks/01-classical.ipynb
# Environment: HOPFIELD_PREFIX / HOPFIELD_JUPYTER_DATA as for setup-kernel.sh (a private install
# leaves the system-wide one alone); HOPFIELD_TEST_USER (default hopfield-student, created if
# missing, and its home emptied first so that it starts as a new user does).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'test-multiuser: %s\n' "$*"; }
die() { printf 'test-multiuser: FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { say "SKIP: needs root (a system-wide install and a second user)"; exit 0; }
notebook=${1:-$repo/notebooks/01-classical.ipynb}
[ -f "$notebook" ] || die "no notebook $notebook"
user=${HOPFIELD_TEST_USER:-hopfield-student}
prefix=${HOPFIELD_PREFIX:-/opt/hopfield}
jupyter_data=${HOPFIELD_JUPYTER_DATA:-/usr/local/share/jupyter}

if ! id "$user" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash --user-group "$user"
  touch "$(getent passwd "$user" | cut -d: -f6)/.hopfield-test-user"
  say "created user $user"
fi
home=$(getent passwd "$user" | cut -d: -f6)
if [ -z "$home" ] || [ "$home" = / ] || [ ! -f "$home/.hopfield-test-user" ]; then
  die "user $user exists and was not made by this test (no $home/.hopfield-test-user): choose another HOPFIELD_TEST_USER"
fi
# Start as a new user does: an empty home folder.
find "$home" -mindepth 1 ! -name .hopfield-test-user -delete
chown "$user": "$home"
chmod 700 "$home"

say "set-up as root"
HOPFIELD_SHARED=1 "$repo/docker/setup-kernel.sh" | sed 's/^/  /'
spec=$jupyter_data/kernels/gonb/kernel.json
[ -f "$spec" ] || die "setup-kernel.sh wrote no $spec"
as_user() { runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin \
  JUPYTER_PATH="$jupyter_data" "$@"; }

# 1. the spec: readable by the user and free of root's paths.
as_user cat "$spec" >/dev/null || die "$user cannot read $spec"
if grep -nE '"/root|:/root|/\.cache/|/go/pkg/mod' "$spec"; then
  die "the kernel spec names root's home or a per-user cache (above)"
fi
gowork=$(/usr/bin/python3 -c 'import json,sys; a=[x for x in json.load(open(sys.argv[1]))["argv"] if x.startswith("--go_work=")]; print(a[0].split("=",1)[1] if a else "")' "$spec")
[ -n "$gowork" ] || die "the kernel spec has no --go_work"
say "1. kernel spec $spec: no path of root's; go.work -> $gowork"

# 2. the go.work's folders, walked as the user: the library is there, the instructor material is not.
markers='BEGIN SOLUTION|BEGIN HIDDEN TESTS'
IFS=, read -r -a dirs <<<"$gowork"
for d in "${dirs[@]}"; do
  n=$(as_user find "$d" -type f -readable | wc -l)
  go_files=$(as_user find "$d" -type f -name '*.go' -readable | wc -l)
  unreadable=$(as_user find "$d" ! -readable 2>/dev/null | wc -l)
  [ "$go_files" -gt 0 ] || die "$user reads no Go source in $d: the go.work cannot serve the library"
  if leaks=$(as_user grep -rlE "$markers" "$d"); then
    die "$user can read instructor material through the go.work: $leaks"
  fi
  say "2. $d: $n files readable by $user ($go_files Go sources, $unreadable unreadable), none holds \"BEGIN SOLUTION\" or \"BEGIN HIDDEN TESTS\""
done
# The same search finds the markers where they are, so an empty result above means something.
grep -rqlE "$markers" "$repo/notebooks/source" || die "the marker search finds nothing even in notebooks/source"

# 3. a student notebook, executed headless by the user in the installed kernel.
tool_dir=$(mktemp -d /tmp/hopfield-multiuser.XXXXXX)
trap 'rm -rf "$tool_dir"' EXIT
(cd "$repo" && go build -o "$tool_dir/hopfield" ./cmd/hopfield)
mkdir -p "$home/work"
cp "$notebook" "$home/work/"
chown -R "$user": "$home/work"
chmod 755 "$tool_dir"
say "3. $user executes $(basename "$notebook") (student version) in the installed kernel"
t=$SECONDS
as_user sh -c "cd '$home/work' && '$tool_dir/hopfield' execute -v -allow-not-implemented -cell-timeout 5m -timeout 15m -out '$home/executed' '$(basename "$notebook")'" \
  >"$tool_dir/execute.log" 2>&1 || { cat "$tool_dir/execute.log" >&2; die "$user could not run the notebook"; }
elapsed=$((SECONDS - t))
sed 's/^/  /' "$tool_dir/execute.log"
cache=$home/.cache/hopfield/go-build
[ -f "$cache/.seeded" ] || die "the user's build cache $cache was not seeded from the shared one"
owner=$(stat -c %U "$cache")
[ "$owner" = "$user" ] || die "the user's build cache belongs to $owner"
say "3. ran in $elapsed s; build cache of $user: $cache ($(du -sh "$cache" | cut -f1), seeded from $prefix/cache/go-build)"
say "PASS"
