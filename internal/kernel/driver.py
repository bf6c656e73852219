# Runs one notebook in a Jupyter kernel with nbclient, one cell at a time, and reports each step
# to the Go side as JSON lines on file descriptor 3. Embedded in package kernel; see kernel.go.
#
# argv: NOTEBOOK KERNEL_NAME CWD CELL_TIMEOUT_S STARTUP_TIMEOUT_S CONTINUE_ON_ERROR(0|1)
#
# Events: {"event": "started"}, {"event": "cell_start", "cell": i},
# {"event": "cell_done", "cell": i, "outputs": [...], "execution_count": n, "execution": {...}},
# {"event": "timeout" | "dead" | "stopped", "cell": i}, {"event": "fatal", "kind": K, "message": M},
# {"event": "done"}.
#
# After "done", "timeout" or "dead" the driver waits for its standard input to close: the Go side
# first kills every process the kernel left (its cell programs, gopls), while the tree is intact.
import json
import os
import sys

events = os.fdopen(3, "w", buffering=1)


def emit(**kw):
    events.write(json.dumps(kw) + "\n")


def hold():
    try:
        sys.stdin.read()
    finally:
        os._exit(0)


def has_problem(cell):
    return any(o.get("output_type") == "error" or (o.get("output_type") == "stream" and o.get("name") == "stderr")
               for o in cell.get("outputs", []))


def main():
    path, kernel, cwd, cell_timeout, startup_timeout, cont = sys.argv[1:7]
    try:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        from jupyter_client.kernelspec import NoSuchKernel
    except ImportError as e:
        emit(event="fatal", kind="python", message=str(e))
        return
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=int(cell_timeout) if int(cell_timeout) > 0 else None,
        startup_timeout=int(startup_timeout),
        allow_errors=True,
        interrupt_on_timeout=False,
        record_timing=True,
        resources={"metadata": {"path": cwd}},
    )
    try:
        with client.setup_kernel():
            emit(event="started")
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                emit(event="cell_start", cell=i)
                try:
                    client.execute_cell(cell, i)
                except CellTimeoutError:
                    report(i, cell)
                    emit(event="timeout", cell=i)
                    hold()
                except DeadKernelError:
                    report(i, cell)
                    emit(event="dead", cell=i)
                    hold()
                report(i, cell)
                if cont != "1" and has_problem(cell):
                    emit(event="stopped", cell=i)
                    break
    except NoSuchKernel as e:
        emit(event="fatal", kind="no_kernel", message="no such kernel: %s" % e)
        return
    except Exception as e:  # kernel failed to start, or the client broke
        emit(event="fatal", kind="start", message="%s: %s" % (type(e).__name__, e))
        return
    emit(event="done")
    hold()


def report(i, cell):
    emit(event="cell_done", cell=i, outputs=cell.get("outputs", []), execution_count=cell.get("execution_count"),
         execution=cell.get("metadata", {}).get("execution"))


if __name__ == "__main__":
    main()
    emit(event="exit")
    hold()
