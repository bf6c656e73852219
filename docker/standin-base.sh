#!/usr/bin/env bash
# standin-base.sh: build a local stand-in for quay.io/jupyter/base-notebook from Debian's packages,
# for machines that cannot pull from quay.io. It has what docker/Dockerfile relies on in the real
# base image: user jovyan 1000:100 with HOME=/home/jovyan, the NB_USER/NB_UID/NB_GID variables,
# a Python with Jupyter (Debian bookworm's notebook server, nbconvert, nbclient, ipykernel; also
# reachable as /opt/conda/bin/python, the real base's interpreter), start-notebook.py,
# start-singleuser.py and fix-permissions in /usr/local/bin, tini, wget and ca-certificates (with
# this machine's CA bundle, so a TLS-intercepting proxy in front of the module proxy is trusted).
# It is not the real base: no conda, no JupyterLab, and start-notebook.py does not switch users
# (NB_UID/NB_GID at run time are ignored).
#
# Usage: docker/standin-base.sh ENGINE TAG     e.g. docker/standin-base.sh podman hopfield-base:standin
# HOPFIELD_STANDIN_LABEL, if set, becomes the image's label hopfield.standin (test-image.sh uses it
# to know whether the stand-in was made by this version of the script).
# Needs root and mmdebstrap (installed from Debian when missing). About 3 minutes on 2 cores.
set -euo pipefail

engine=${1:?usage: standin-base.sh ENGINE TAG}
tag=${2:?usage: standin-base.sh ENGINE TAG}
say() { printf 'standin-base: %s\n' "$*"; }
die() { printf 'standin-base: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "building the stand-in needs root (mmdebstrap)"
if ! command -v mmdebstrap >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "mmdebstrap not found and no apt-get to install it"
  say "installing mmdebstrap from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The real base's helpers, reduced to what the course image and a hub use.
cat >"$work/start-notebook.py" <<'EOF'
#!/usr/bin/python3
# Stand-in for docker-stacks' start-notebook.py: the single-user server when a hub started the
# container (JUPYTERHUB_API_TOKEN set), else a notebook server on 0.0.0.0:8888.
import os, sys
if os.environ.get("JUPYTERHUB_API_TOKEN"):
    os.execvp("jupyterhub-singleuser", ["jupyterhub-singleuser"] + sys.argv[1:])
os.execvp("jupyter", ["jupyter", "notebook", "--ip=0.0.0.0", "--port=8888", "--no-browser"] + sys.argv[1:])
EOF
cat >"$work/start-singleuser.py" <<'EOF'
#!/usr/bin/python3
import os, sys
os.execvp("jupyterhub-singleuser", ["jupyterhub-singleuser"] + sys.argv[1:])
EOF
cat >"$work/fix-permissions" <<'EOF'
#!/bin/bash
# Stand-in for docker-stacks' fix-permissions: group NB_GID owns the folders, the group may write,
# folders are setgid so new files keep the group.
set -e
for d in "$@"; do
  find "$d" ! \( -group "${NB_GID}" -a -perm -g+rwX \) -exec chgrp "${NB_GID}" -- {} \+ -exec chmod g+rwX -- {} \+
  find "$d" \( -type d -a ! -perm -6000 \) -exec chmod +6000 -- {} \+
done
EOF

packages=jupyter-notebook,jupyter-nbconvert,jupyter-client,python3-nbclient,python3-ipykernel,tini,wget,ca-certificates,git
say "mmdebstrap: Debian bookworm with $packages"
t=$SECONDS
# The hooks' "$1" is the root folder mmdebstrap passes them, not this script's argument.
# shellcheck disable=SC2016
mmdebstrap --quiet --variant=apt --include="$packages" \
  --customize-hook='chroot "$1" groupadd -f -g 100 users || true' \
  --customize-hook='chroot "$1" useradd -m -u 1000 -g 100 -s /bin/bash jovyan' \
  --customize-hook="cp /etc/ssl/certs/ca-certificates.crt \"\$1/etc/ssl/certs/ca-certificates.crt\"" \
  --customize-hook="install -m 755 $work/start-notebook.py $work/start-singleuser.py $work/fix-permissions \"\$1/usr/local/bin/\"" \
  --customize-hook='mkdir -p "$1/opt/conda/bin" && ln -s /usr/bin/python3 "$1/opt/conda/bin/python"' \
  --customize-hook='rm -rf "$1/var/lib/apt/lists/"* "$1/var/cache/apt/"*' \
  bookworm "$work/rootfs.tar" || die "mmdebstrap failed (see above)"
say "rootfs built in $((SECONDS - t)) s"

# The image: the root file system, then the base image's settings, as a Dockerfile states them.
"$engine" import "$work/rootfs.tar" "$tag-rootfs" >/dev/null
cat >"$work/Containerfile" <<EOF
FROM $tag-rootfs
ENV NB_USER=jovyan NB_UID=1000 NB_GID=100 HOME=/home/jovyan SHELL=/bin/bash CONDA_DIR=/opt/conda LANG=C.UTF-8 \\
    PATH=/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL hopfield.standin=${HOPFIELD_STANDIN_LABEL:-none}
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888
ENTRYPOINT ["tini", "-g", "--"]
CMD ["start-notebook.py"]
EOF
"$engine" build -q -f "$work/Containerfile" -t "$tag" "$work" >/dev/null
"$engine" rmi "$tag-rootfs" >/dev/null 2>&1 || true
say "tagged $tag"
