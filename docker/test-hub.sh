#!/usr/bin/env bash
# test-hub.sh: the single-machine hub recipe (docker/hub/jupyterhub_config.py), for real. As root
# it installs Debian's jupyterhub and configurable-http-proxy when missing, makes the system-wide
# kernel install (docker/setup-kernel.sh), creates two students with Unix passwords, starts the
# hub on 127.0.0.1 with the recipe (PAM, LocalProcessSpawner), checks that PAM logs a student in
# and refuses a wrong password, then, for both students at once, through the hub's REST API and
# the notebook server's sessions and kernel websocket (docker/hub/hubclient.py): starts the
# student's server, opens their copy of a student notebook with the gonb kernel, runs its first
# code cells and cells that check
#   - the output is the student's own (user name, a recall computed by hopfieldlib);
#   - the other student's home and notebook cannot be read (permission denied);
#   - nothing reachable through the kernel's go.work holds a solution or a hidden test;
# and reports each student's peak memory (every process of their account, sampled every 0.2 s),
# which must stay within HOPFIELD_STUDENT_MIB (default 600). HOPFIELD_HUB_HOLD=S keeps the notebooks
# open S seconds after their last cell (to see what a gopls, HOPFIELD_GOPLS=1, grows to).
#
# Usage (as root): docker/test-hub.sh        Exit 0 with "SKIP: …" only where jupyterhub cannot be
# had (not root, or no apt-get and no jupyterhub).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'test-hub: %s\n' "$*"; }
die() { printf 'test-hub: FAIL: %s\n' "$*" >&2; exit 1; }
limit_mib=${HOPFIELD_STUDENT_MIB:-600}
py=/usr/bin/python3

[ "$(id -u)" = 0 ] || { say "SKIP: needs root (PAM, local users, a spawner that switches users)"; exit 0; }
if ! command -v jupyterhub >/dev/null 2>&1 || ! command -v configurable-http-proxy >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's jupyterhub and configurable-http-proxy"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jupyterhub node-configurable-http-proxy >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jupyterhub node-configurable-http-proxy >/dev/null; }
  else
    say "SKIP: jupyterhub is not installed and there is no apt-get to install it"
    exit 0
  fi
fi
say "jupyterhub $(jupyterhub --version), configurable-http-proxy $(NODE_PATH=/usr/share/nodejs configurable-http-proxy --version)"

say "system-wide kernel install (docker/setup-kernel.sh)"
HOPFIELD_SHARED=1 HOPFIELD_SKIP_CHECK=1 "$repo/docker/setup-kernel.sh" | sed 's/^/  /'
# A private install (HOPFIELD_PREFIX, HOPFIELD_JUPYTER_DATA, as for setup-kernel.sh) reaches the
# recipe through HOPFIELD_COURSE and JUPYTER_PATH.
hub_env=()
if [ -n "${HOPFIELD_PREFIX:-}" ]; then hub_env+=("HOPFIELD_COURSE=$HOPFIELD_PREFIX/course"); fi
if [ -n "${HOPFIELD_JUPYTER_DATA:-}" ]; then hub_env+=("JUPYTER_PATH=$HOPFIELD_JUPYTER_DATA"); fi

work=$(mktemp -d /tmp/hopfield-hub-test.XXXXXX)
chmod 700 "$work"
hub_pid=""
cleanup() {
  if [ -n "$hub_pid" ]; then
    kill "$hub_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Two students, made by this test (a marker file says so; their homes are emptied first).
students=(hopfield-alice hopfield-bob)
for u in "${students[@]}"; do
  if ! id "$u" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash --user-group "$u"
    touch "$(getent passwd "$u" | cut -d: -f6)/.hopfield-test-user"
  fi
  home=$(getent passwd "$u" | cut -d: -f6)
  [ -f "$home/.hopfield-test-user" ] || die "user $u exists and was not made by this test"
  find "$home" -mindepth 1 ! -name .hopfield-test-user -delete
  chmod 755 "$home" # the recipe's hook must make it private
  printf '%s:%s\n' "$u" "pw-$u-$$" | chpasswd
done

port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$($py -c 'import secrets; print(secrets.token_hex(24))')
cat >"$work/test_config.py" <<EOF
# The recipe, plus what the test needs: its port, its students and an API token for the test.
load_subconfig("$repo/docker/hub/jupyterhub_config.py")
c.JupyterHub.port = $port
c.JupyterHub.hub_port = $((port + 1))
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:$((port + 2))"
c.Authenticator.allowed_users = {"hopfield-alice", "hopfield-bob"}
c.JupyterHub.services = [{"name": "hopfield-test", "api_token": "$token"}]
c.JupyterHub.load_roles = [{"name": "hopfield-test", "services": ["hopfield-test"],
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"]}]
EOF
say "starting the hub on 127.0.0.1:$port (log: $work/hub.log)"
(cd "$work" && exec env "${hub_env[@]}" HOPFIELD_HUB_IP=127.0.0.1 jupyterhub -f "$work/test_config.py" >"$work/hub.log" 2>&1) &
hub_pid=$!
for _ in $(seq 120); do
  if curl -sf "http://127.0.0.1:$port/hub/api" >/dev/null 2>&1; then break; fi
  kill -0 "$hub_pid" 2>/dev/null || { tail -30 "$work/hub.log" >&2; die "the hub exited"; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/hub/api" >/dev/null || { tail -30 "$work/hub.log" >&2; die "the hub did not answer"; }

# PAM: the login form accepts the right password and refuses a wrong one.
login() {
  local jar=$work/jar-$1
  curl -s -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$port/hub/login"
  local xsrf
  xsrf=$(awk '$6 == "_xsrf" {print $7}' "$jar" | tail -1)
  curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    --data-urlencode "username=$1" --data-urlencode "password=$2" --data-urlencode "_xsrf=$xsrf" \
    "http://127.0.0.1:$port/hub/login?next="
}
good=$(login hopfield-alice "pw-hopfield-alice-$$")
bad=$(login hopfield-bob "wrong")
[[ $good == 302* ]] || die "PAM login of hopfield-alice with her password: got HTTP $good"
[[ $bad != 302* ]] || die "PAM login of hopfield-bob with a wrong password was accepted: $bad"
say "PAM: a student logs in with their password (HTTP ${good%% *}); a wrong password is refused (HTTP ${bad%% *})"

# The plan: each student's own copy of the student notebook, its first code cells (set-up, data,
# a figure), then the checks.
nb=course/01-classical.ipynb
$py - "$repo/notebooks/01-classical.ipynb" "$work/plan.json" "${students[@]}" <<'EOF'
import json, os, sys
src, out, users = sys.argv[1], sys.argv[2], sys.argv[3:]
cells = []
for c in json.load(open(src))["cells"]:
    if c["cell_type"] != "code":
        continue
    if c["metadata"].get("nbgrader", {}).get("solution"):
        break  # stop at the first exercise
    cells.append("".join(c["source"]))
probe = r'''import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

%%
me := os.Getenv("USER")
stored := must(hopfieldlib.NewPatterns([][]float32{{1, 1, -1, -1}, {1, -1, 1, -1}}))
net := must(hopfieldlib.NewContinuous(stored, 8, hopfieldlib.ContinuousConfig{}))
res := must(net.Recall(must(hopfieldlib.NewPatterns([][]float32{{1, 1, 0, 0}})), hopfieldlib.RecallOptions{}))
fmt.Println("user", me, "recall", res.States.Row(0))
_, errHome := os.ReadDir(OTHER_HOME)
_, errNb := os.ReadFile(OTHER_HOME + "/course/01-classical.ipynb")
fmt.Println("other home denied:", errors.Is(errHome, fs.ErrPermission), "other notebook denied:", errors.Is(errNb, fs.ErrPermission))
f, err := os.Open(filepath.Join(os.Getenv("GONB_TMP_DIR"), "go.work"))
if err != nil {
	fmt.Println("no go.work:", err)
	return
}
sc := bufio.NewScanner(f)
files, marked := 0, 0
for sc.Scan() {
	line := strings.Trim(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "use")), "()")
	if !filepath.IsAbs(line) || strings.Contains(line, "gonb_") {
		continue
	}
	filepath.WalkDir(line, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		files++
		if strings.Contains(string(b), "BEGIN SOLUTION") || strings.Contains(string(b), "BEGIN HIDDEN TESTS") {
			marked++
			fmt.Println("marked:", p)
		}
		return nil
	})
}
fmt.Println("go.work files read:", files, "with markers:", marked)
'''
plan = {"users": {}}
for u in users:
    other = [o for o in users if o != u][0]
    plan["users"][u] = {"notebook": "course/01-classical.ipynb",
                        "cells": cells + [probe.replace("OTHER_HOME", json.dumps("/home/" + other))],
                        "hold_seconds": int(os.environ.get("HOPFIELD_HUB_HOLD", "0"))}
json.dump(plan, open(out, "w"), indent=1)
EOF
say "both students at once: start the server, open $nb with the gonb kernel, run $(($($py -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["users"]["hopfield-alice"]["cells"]))' "$work/plan.json"))) cells"
t=$SECONDS
if ! $py "$repo/docker/hub/hubclient.py" "http://127.0.0.1:$port" "$token" "$work/plan.json" "$work/result.json"; then
  tail -40 "$work/hub.log" >&2
  die "the hub did not run the notebooks"
fi
say "ran in $((SECONDS - t)) s"

$py - "$work/result.json" "$limit_mib" <<'EOF'
import json, sys
res, limit = json.load(open(sys.argv[1])), int(sys.argv[2])
bad = []
for user, r in sorted(res.items()):
    other = [o for o in res if o != user][0]
    for i, c in enumerate(r["cells"]):
        for o in c["outputs"]:
            if o["output_type"] == "error" or o.get("name") == "stderr":
                bad.append("%s: cell %d: %s" % (user, i, json.dumps(o)[:300]))
    text = "".join(o.get("text", "") for o in r["cells"][-1]["outputs"] if o.get("name") == "stdout")
    want = ["user %s recall [1 1 -1 -1]" % user, "other home denied: true other notebook denied: true",
            "with markers: 0"]
    for w in want:
        if w not in text:
            bad.append("%s: the check cell printed %r, missing %r" % (user, text, w))
    if "go.work files read: 0 " in text:
        bad.append("%s: the check cell read no file through the go.work" % user)
    times = ", ".join("%.1f" % c["seconds"] for c in r["cells"])
    parts = ", ".join("%s %d" % kv for kv in list(r["peak_parts"].items())[:6])
    print("test-hub: %s: cells in %s s; %s" % (user, times, text.strip().replace("\n", "; ")))
    print("test-hub: %s: peak %d MiB (%s)" % (user, r["peak_mib"], parts))
    if r["peak_mib"] > limit:
        bad.append("%s: peak memory %d MiB, over %d MiB" % (user, r["peak_mib"], limit))
    if not any(o.get("output_type") == "display_data" for c in r["cells"] for o in c["outputs"]):
        bad.append("%s: no cell displayed anything (the notebook's figures)" % user)
if bad:
    print("\n".join("test-hub: FAIL: " + b for b in bad), file=sys.stderr)
    sys.exit(1)
EOF
for u in "${students[@]}"; do
  home=$(getent passwd "$u" | cut -d: -f6)
  [ "$(stat -c %a "$home")" = 700 ] || die "the recipe left $home with mode $(stat -c %a "$home")"
  [ "$(stat -c %U "$home/course/01-classical.ipynb")" = "$u" ] || die "$home/course/01-classical.ipynb does not belong to $u"
done
say "homes are private (0700) and each student's course copy is their own"
say "PASS"
