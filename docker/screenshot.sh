#!/usr/bin/env bash
# screenshot.sh: look at executed notebooks as a person would. Starts a Jupyter server on
# localhost with a one-off token, opens each notebook in headless Chromium (Debian's chromium
# package) and saves a PNG per notebook, so figures and LaTeX can be checked by eye.
#
# Usage: docker/screenshot.sh [-o OUT_DIR] [-H HEIGHT] NOTEBOOK.ipynb…
#   e.g.  go run ./cmd/hopfield execute -out out/executed notebooks/source
#         docker/screenshot.sh -o out/screenshots out/executed/*.ipynb
#
# OUT_DIR defaults to out/screenshots; HEIGHT (pixels, default 6000) is the window height: the
# page is 1280 px wide and as tall as that, enough for a whole notebook in one image. The
# notebooks open as they were saved (nothing is re-executed) from a copy of their folder, so the
# server's autosave cannot touch the originals.
set -euo pipefail

out=out/screenshots
height=6000
while getopts "o:H:h" opt; do
  case $opt in
    o) out=$OPTARG ;;
    H) height=$OPTARG ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n '2,13p' "$0"; exit 2; }

say() { printf 'screenshot: %s\n' "$*"; }
die() { printf 'screenshot: error: %s\n' "$*" >&2; exit 1; }

# Chromium: Debian's package, installed when missing and allowed.
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing Debian's chromium"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    browser=$(command -v chromium)
  else
    die "chromium not found: sudo apt-get install chromium"
  fi
fi
py=""
for p in ${HOPFIELD_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import notebook' >/dev/null 2>&1; then py=$(command -v "$p"); break; fi
done
[ -n "$py" ] || die "no Python with Jupyter's notebook server: run docker/setup-kernel.sh"

# All notebooks must be in one folder: the server's root.
root=$(cd "$(dirname "$1")" && pwd)
for nb in "$@"; do
  [ -f "$nb" ] || die "$nb: no such file"
  [ "$(cd "$(dirname "$nb")" && pwd)" = "$root" ] || die "put the notebooks in one folder ($nb is not in $root)"
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Serve a copy: opening a notebook in the classic server autosaves it.
cp -a "$root" "$work/root"
root=$work/root

token=$("$py" -c 'import secrets; print(secrets.token_hex(16))')
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
allow_root=()
[ "$(id -u)" = 0 ] && allow_root=(--allow-root)
# Trust the notebooks (they are our own executed copies), so their JavaScript outputs run as
# they would for the person who ran them; the signatures stay in this run's temporary folder.
notary=(--NotebookNotary.db_file="$work/signatures.db" --NotebookNotary.secret_file="$work/notary_secret")
"$py" -m nbformat.sign "${notary[@]}" --log-level=ERROR "$@" >/dev/null
app=notebook
"$py" -c 'import jupyterlab' >/dev/null 2>&1 && [ "${HOPFIELD_SCREENSHOT_APP:-}" = lab ] && app=jupyterlab
"$py" -m "$app" --no-browser --ip=127.0.0.1 --port="$port" --notebook-dir="$root" \
  "${allow_root[@]}" "${notary[@]}" --NotebookApp.token="$token" --ServerApp.token="$token" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  if "$py" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/api/status?token=$token', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the Jupyter server exited"; }
  sleep 0.5
done
say "Jupyter server on 127.0.0.1:$port (root $root)"

for nb in "$@"; do
  name=$(basename "$nb")
  png="$out/${name%.ipynb}.png"
  url="http://127.0.0.1:$port/notebooks/$name?token=$token"
  [ "$app" = jupyterlab ] && url="http://127.0.0.1:$port/lab/tree/$name?token=$token"
  # A fresh profile each time; no network besides localhost; time for MathJax and the figures.
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$work/profile-$name" --hide-scrollbars --window-size="1280,$height" \
    --virtual-time-budget=20000 --run-all-compositor-stages-before-draw \
    --screenshot="$png" "$url" >"$work/chromium.log" 2>&1 ||
    { cat "$work/chromium.log" >&2; die "chromium failed on $nb"; }
  [ -s "$png" ] || die "no screenshot written for $nb"
  say "$nb -> $png"
done
