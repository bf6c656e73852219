# A single-machine JupyterHub for the course: Debian's jupyterhub 3 and configurable-http-proxy,
# students log in with their Unix accounts (PAM), each gets a notebook server of their own as their
# own user (LocalProcessSpawner), running the system-wide Go kernel that docker/setup-kernel.sh
# installed as root. See docker/README.md ("A hub on one machine"); docker/test-hub.sh tests it.
#
#   apt-get install jupyterhub node-configurable-http-proxy      (and docker/setup-kernel.sh as root)
#   mkdir -p /srv/hopfield-hub && cd /srv/hopfield-hub
#   jupyterhub -f /path/to/docker/hub/jupyterhub_config.py        (as root: PAM and spawning need it)
#
# Students: Unix accounts listed in HOPFIELD_HUB_USERS (comma-separated), or every account PAM
# accepts when it is empty. Put TLS in front (a reverse proxy) before opening it beyond the machine.
import os
import pwd
import shutil

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)

# Debian's configurable-http-proxy finds its Node modules only with NODE_PATH.
os.environ.setdefault("NODE_PATH", "/usr/share/nodejs")

c.JupyterHub.ip = os.environ.get("HOPFIELD_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("HOPFIELD_HUB_PORT", "8000"))
c.JupyterHub.authenticator_class = "pam"
users = {u for u in os.environ.get("HOPFIELD_HUB_USERS", "").split(",") if u}
if users:
    c.Authenticator.allowed_users = users
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"

# The course folder each student works in, filled from the system-wide course copy.
course = os.environ.get("HOPFIELD_COURSE", "/opt/hopfield/course")
c.Spawner.notebook_dir = "~/course"
c.Spawner.default_url = "/tree/"
# Debian's single-user server, with a clean environment: nothing of the hub's (root's) PATH.
c.Spawner.cmd = ["/usr/bin/jupyterhub-singleuser"]
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {"PATH": "/usr/local/bin:/usr/bin:/bin"}
if os.environ.get("JUPYTER_PATH"):  # a kernel spec installed outside the system-wide folders
    c.Spawner.environment["JUPYTER_PATH"] = os.environ["JUPYTER_PATH"]
# A cold machine compiles nothing at start (the build cache is pre-warmed), but a busy one is slow.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# Per student, from what one costs (docker/README.md, "What a student costs", measured by
# docker/test-hub.sh): one open notebook peaks at 0.38 GiB (single-user server 111 MiB, GoNB, the
# link of a cell's program 220 MiB; no gopls), two open notebooks building at once about 0.65 GiB;
# a cell's build uses one core for 0.5-2 s. LocalProcessSpawner does not enforce these limits (it
# passes them to the server as MEM_LIMIT / CPU_LIMIT): size the machine by them, RAM ≥ 0.2 GiB for
# the hub and proxy + 0.65 GiB × students working at once, and expect cells to queue beyond about
# 2 students per core running cells at the same moment. systemdspawner enforces the same numbers.
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_limit = 1.0
# Stop servers nobody uses (idle culling needs the jupyterhub-idle-culler service, not in Debian);
# a student who logs out keeps nothing running:
c.JupyterHub.shutdown_on_logout = True


def make_hook(course):
    """The hook that prepares a student's home before their server starts: the home is theirs
    alone (mode 0700, so no other student reads their work) and ~/course holds the student
    notebooks of the course copy, never overwriting one they have worked on."""

    def prepare_home(spawner):
        pw = pwd.getpwnam(spawner.user.name)
        os.chmod(pw.pw_dir, 0o700)
        dest = os.path.join(pw.pw_dir, "course")
        if not os.path.isdir(dest):
            os.makedirs(dest)
            os.chown(dest, pw.pw_uid, pw.pw_gid)
        src = os.path.join(course, "notebooks")
        for name in sorted(os.listdir(src)) if os.path.isdir(src) else []:
            target = os.path.join(dest, name)
            if name.endswith(".ipynb") and not os.path.exists(target):
                shutil.copyfile(os.path.join(src, name), target)
                os.chown(target, pw.pw_uid, pw.pw_gid)

    return prepare_home


c.Spawner.pre_spawn_hook = make_hook(course)
