"""Executes one notebook with a Jupyter kernel and writes the executed copy (and optionally HTML).

Run by `deno task notebooks:run` (cli/notebooks.ts) with Debian's /usr/bin/python3 (jupyter-client,
nbformat and, for --to html, nbconvert). Progress goes to stdout as one JSON object per line.

Why not `jupyter nbconvert --execute` / nbclient: Deno's kernel (2.9) publishes a cell's `idle`
status before all of that cell's outputs. Its stdout goes through a channel that is drained by
another task, and results displayed through `Deno.jupyter.broadcast` may still be in flight; each
late message takes as parent whatever execute request is current when it is finally sent. nbclient
stops listening at `idle`, so outputs were dropped or filed under the next cell, differently on
each run.

The fix here does not depend on timing. After each cell, this driver sends a *flush* request: a
silent execution (it does not advance the execution count) that yields to the event loop, then
writes a marker line to stdout and broadcasts a marker display. The kernel runs requests one at
a time and its stdout channel is first in, first out, so once both markers have arrived and the
flush request is idle, everything the cell wrote before has arrived too. Messages whose parent is
the cell or its flush request are the cell's outputs; the markers themselves are dropped.
Output a cell schedules for later without awaiting it (a timer that displays) is outside this
guarantee, as in any front end. Consecutive stream outputs with the same name are merged (as Jupyter's UI shows them), so how the
kernel chunked stdout never changes the saved notebook.
"""

import json
import queue
import sys
import time
import uuid

import nbformat
from jupyter_client.manager import KernelManager
from nbformat.v4 import output_from_msg

MARK = "sentinel-flush-" + uuid.uuid4().hex
FLUSH_CODE = (
    "await new Promise((resolve) => setTimeout(resolve, 0));\n"
    f'console.log("{MARK}");\n'
    f'await Deno.jupyter.broadcast("display_data", {{ data: {{ "text/plain": "{MARK}" }}, metadata: {{}}, transient: {{}} }});\n'
    "undefined;\n"
)
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}


def emit(**event):
    print(json.dumps(event), flush=True)


def is_marker(msg):
    content = msg["content"]
    if msg["msg_type"] == "stream":
        return content.get("text", "").strip() == MARK
    if msg["msg_type"] in ("display_data", "execute_result"):
        return content.get("data", {}).get("text/plain") == MARK
    return False


def append_output(outputs, msg):
    out = output_from_msg(msg)
    if out.output_type == "stream" and outputs and outputs[-1].output_type == "stream" and outputs[-1].name == out.name:
        outputs[-1].text += out.text
    else:
        outputs.append(out)


class KernelDied(Exception):
    pass


class Runner:
    def __init__(self, km, kc, timeout):
        self.km = km
        self.kc = kc
        self.timeout = timeout
        self.owner = {}  # parent msg_id -> cell whose outputs it carries
        self.stray = 0

    def route(self, msg):
        """Files an iopub message under the cell it belongs to; returns it if it is an output."""
        cell = self.owner.get(msg["parent_header"].get("msg_id"))
        if cell is None:
            return
        if msg["msg_type"] == "execute_input":
            cell["execution_count"] = msg["content"].get("execution_count")
        elif msg["msg_type"] in OUTPUT_TYPES and not is_marker(msg):
            append_output(cell["outputs"], msg)

    def wait(self, get, deadline):
        """The next message from `get`, checking every second that the kernel is still there."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            try:
                return get(timeout=min(left, 1.0))
            except queue.Empty:
                if not self.km.is_alive():
                    raise KernelDied

    def shell_reply(self, msg_id, deadline):
        while True:
            reply = self.wait(self.kc.get_shell_msg, deadline)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def run_cell(self, cell):
        cell["outputs"] = []
        cell["execution_count"] = None
        deadline = time.monotonic() + self.timeout
        cell_id = self.kc.execute(cell["source"], store_history=True, allow_stdin=False, stop_on_error=True)
        self.owner[cell_id] = cell
        reply = self.shell_reply(cell_id, deadline)
        flush_id = self.kc.execute(FLUSH_CODE, silent=True, store_history=False, allow_stdin=False)
        self.owner[flush_id] = cell
        waiting = {"stream", "display", "idle"}
        while waiting:
            msg = self.wait(self.kc.get_iopub_msg, deadline)
            parent = msg["parent_header"].get("msg_id")
            if parent == flush_id:
                if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                    waiting.discard("idle")
                elif is_marker(msg):
                    waiting.discard("stream" if msg["msg_type"] == "stream" else "display")
            elif parent in self.owner and self.owner[parent] is not cell:
                self.stray += 1
            self.route(msg)
        self.shell_reply(flush_id, deadline)
        if reply["content"].get("execution_count") is not None:
            cell["execution_count"] = reply["content"]["execution_count"]
        return reply["content"]


def main():
    opts = json.loads(sys.argv[1])
    nb = nbformat.read(opts["src"], as_version=4)
    km = KernelManager(kernel_name=opts.get("kernel", "deno"))
    km.start_kernel(cwd=opts["cwd"])
    kc = km.client()
    kc.start_channels()
    failed = None
    try:
        kc.wait_for_ready(timeout=opts.get("startTimeout", 120))
        runner = Runner(km, kc, opts["timeout"])
        code_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        emit(event="start", cells=len(code_cells))
        for n, (i, cell) in enumerate(code_cells):
            if not cell.source.strip():
                cell.outputs, cell.execution_count = [], None
                continue
            t0 = time.monotonic()
            try:
                reply = runner.run_cell(cell)
            except (TimeoutError, KernelDied) as e:
                if isinstance(e, KernelDied):
                    failed = {"index": i, "ename": "KernelDied", "evalue": "the kernel exited while running this cell"}
                else:
                    failed = {"index": i, "ename": "Timeout", "evalue": f"no reply within {opts['timeout']} s"}
                status = "died" if isinstance(e, KernelDied) else "timeout"
                emit(event="cell", index=i, n=n + 1, status=status, seconds=round(time.monotonic() - t0, 2))
                break
            status = reply.get("status", "ok")
            emit(
                event="cell",
                index=i,
                n=n + 1,
                status=status,
                seconds=round(time.monotonic() - t0, 2),
                outputs=[o.output_type for o in cell.outputs],
            )
            if status != "ok":
                err = next((o for o in cell.outputs if o.output_type == "error"), None)
                failed = {
                    "index": i,
                    "ename": reply.get("ename") or (err.ename if err else "Error"),
                    "evalue": reply.get("evalue") or (err.evalue if err else ""),
                }
                break
        if runner.stray:
            emit(event="warning", message=f"{runner.stray} late message(s) from an earlier cell were filed under it")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    if opts.get("out"):
        nbformat.write(nb, opts["out"])
    if opts.get("html"):
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(opts["html"], "w", encoding="utf-8") as f:
            f.write(body)
    emit(event="done", failed=failed)


if __name__ == "__main__":
    main()
