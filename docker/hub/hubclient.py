"""Drives a running JupyterHub the way students' browsers do, for docker/test-hub.sh.

For each user, at the same time: start the user's server (hub REST API), open a notebook session
with the gonb kernel (the server's sessions API), run cells over the kernel's websocket (Jupyter's
messaging protocol), then stop the server. Meanwhile it samples, every 0.2 s, the resident memory
of every process of each user's Unix account (the single-user server, GoNB, gopls if any, go build,
the cells' programs) and reports each user's peak and what made it up.

usage: hubclient.py HUB_URL TOKEN PLAN.json RESULT.json

PLAN: {"users": {"NAME": {"notebook": "course/01-classical.ipynb", "cells": ["code", ...],
"hold_seconds": 0}}}: the notebook stays open hold_seconds after its last cell.
RESULT: {"NAME": {"cells": [{"code", "outputs", "seconds"}], "peak_mib", "peak_parts", "seconds"}}.
Uses only Debian's python3-tornado (a dependency of Jupyter).
"""
import asyncio
import datetime
import json
import os
import pwd
import sys
import threading
import time
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

CELL_TIMEOUT = 300
START_TIMEOUT = 180


class Memory:
    """Samples the summed RSS of each uid's processes from /proc; keeps each uid's peak."""

    def __init__(self, uids):
        self.uids = set(uids)
        self.peak = {u: (0, {}) for u in uids}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def sample(self):
        totals = {u: 0 for u in self.uids}
        parts = {u: {} for u in self.uids}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/status" % pid) as f:
                    status = f.read()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            try:
                uid = int(fields["Uid"].split()[0])
                rss = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
            except (KeyError, ValueError):
                continue
            if uid in self.uids and rss:
                totals[uid] += rss
                name = fields.get("Name", "?").strip()
                parts[uid][name] = parts[uid].get(name, 0) + rss
        for u in self.uids:
            if totals[u] > self.peak[u][0]:
                self.peak[u] = (totals[u], parts[u])

    def run(self):
        while not self.stop.is_set():
            self.sample()
            time.sleep(0.2)


class Hub:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.token = token
        self.http = AsyncHTTPClient()

    async def call(self, method, path, body=None, ok=(200, 201, 202, 204)):
        req = HTTPRequest(self.url + path, method=method, headers={"Authorization": "token " + self.token},
                          body=None if body is None else json.dumps(body), allow_nonstandard_methods=True,
                          request_timeout=120)
        resp = await self.http.fetch(req, raise_error=False)
        if resp.code not in ok:
            raise RuntimeError("%s %s: HTTP %s %s" % (method, path, resp.code, (resp.body or b"")[:500]))
        return json.loads(resp.body) if resp.body else None

    async def start(self, user):
        await self.call("POST", "/hub/api/users/%s/server" % user, {})
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            info = await self.call("GET", "/hub/api/users/%s" % user)
            server = (info.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            await asyncio.sleep(1)
        raise RuntimeError("the server of %s was not ready within %d s" % (user, START_TIMEOUT))

    async def stop(self, user):
        await self.call("DELETE", "/hub/api/users/%s/server" % user, ok=(202, 204, 400, 404))


async def execute(ws, session, user, code):
    """Runs one cell; returns its outputs (nbformat-like dicts)."""
    msg_id = uuid.uuid4().hex
    await ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": user, "session": session, "msg_type": "execute_request",
                   "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    outputs, replied, idle = [], False, False
    deadline = time.time() + CELL_TIMEOUT
    while not (replied and idle):
        left = deadline - time.time()
        if left <= 0:
            raise RuntimeError("cell did not finish within %d s: %r" % (CELL_TIMEOUT, code[:80]))
        raw = await asyncio.wait_for(ws.read_message(), left)
        if raw is None:
            raise RuntimeError("the kernel's websocket closed")
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["header"]["msg_type"], msg["content"]
        if kind == "stream":
            outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
        elif kind in ("display_data", "execute_result"):
            outputs.append({"output_type": kind, "data": {k: (v if k.startswith("text/") else "…")
                                                          for k, v in content.get("data", {}).items()}})
        elif kind == "error":
            outputs.append({"output_type": "error", "ename": content.get("ename"), "evalue": content.get("evalue")})
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
        elif kind == "execute_reply":
            replied = True
    return outputs


async def student(hub, user, plan):
    t0 = time.time()
    await hub.start(user)
    session = await hub.call("POST", "/user/%s/api/sessions" % user,
                             {"path": plan["notebook"], "type": "notebook", "name": os.path.basename(plan["notebook"]),
                              "kernel": {"name": "gonb"}})
    kid = session["kernel"]["id"]
    ws_url = hub.url.replace("http", "ws", 1) + "/user/%s/api/kernels/%s/channels" % (user, kid)
    ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": "token " + hub.token}))
    cells = []
    try:
        sess = uuid.uuid4().hex
        for code in plan["cells"]:
            t = time.time()
            outs = await execute(ws, sess, user, code)
            cells.append({"code": code, "outputs": outs, "seconds": round(time.time() - t, 2)})
        # The notebook stays open a while, as a student's does (gopls, if on, keeps loading).
        await asyncio.sleep(plan.get("hold_seconds", 0))
    finally:
        ws.close()
        await hub.call("DELETE", "/user/%s/api/sessions/%s" % (user, session["id"]), ok=(204, 404))
        await hub.stop(user)
    return {"cells": cells, "seconds": round(time.time() - t0, 1)}


async def main():
    url, token, plan_path, result_path = sys.argv[1:5]
    plan = json.load(open(plan_path))["users"]
    uids = {pwd.getpwnam(u).pw_uid: u for u in plan}
    mem = Memory(uids)
    mem.thread.start()
    hub = Hub(url, token)
    try:
        results = await asyncio.gather(*(student(hub, u, plan[u]) for u in plan), return_exceptions=True)
    finally:
        mem.stop.set()
        mem.thread.join()
    out = {}
    failed = False
    for u, r in zip(plan, results):
        if isinstance(r, Exception):
            out[u] = {"error": "%s: %s" % (type(r).__name__, r)}
            failed = True
            continue
        uid = pwd.getpwnam(u).pw_uid
        total, parts = mem.peak[uid]
        r["peak_mib"] = round(total / 2**20)
        r["peak_parts"] = {k: round(v / 2**20) for k, v in sorted(parts.items(), key=lambda kv: -kv[1])}
        out[u] = r
    json.dump(out, open(result_path, "w"), indent=1)
    if failed:
        sys.exit("hubclient: " + "; ".join("%s: %s" % (u, r["error"]) for u, r in out.items() if "error" in r))


if __name__ == "__main__":
    asyncio.run(main())
