"""Executes one notebook inside the grading sandbox (runs in the container, never on the host).

It is passed to ``python -c`` by :mod:`workshop_grading.sandbox`, so it must only need the
standard library, nbformat and nbclient, which every notebook image has. Protocol:

* stdin: a tar archive with the submission's files (the sanitised notebook among them);
* argv: ``--notebook NAME --cell-timeout S --notebook-timeout S --max-output-chars N``;
* stdout: one JSON envelope ``{"notebook": ..., "timed_out_cells": [...], "truncated_cells": [...],
  "deadline_reached": bool, "kernel_died": bool}``.

Everything this program writes is produced next to student code running as the same user, so the
grading side treats it as untrusted: it takes only the outputs of cells it already knows.
"""
import argparse
import asyncio
import io
import json
import os
import sys
import tarfile
import time

WORK = "/tmp/work"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notebook", required=True)
    parser.add_argument("--cell-timeout", type=int, default=120)
    parser.add_argument("--notebook-timeout", type=int, default=900)
    parser.add_argument("--max-output-chars", type=int, default=200_000)
    args = parser.parse_args()

    # Keep the real stdout for the result; the kernel inherits stderr as its stdout so that
    # anything it writes to file descriptor 1 cannot mix with the envelope.
    result_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    os.makedirs(WORK, exist_ok=True)
    data = sys.stdin.buffer.read()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        try:
            tar.extractall(WORK, filter="data")
        except TypeError:  # Python before 3.11.4; the archive comes from the grading side anyway
            tar.extractall(WORK)
    del data

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    path = os.path.join(WORK, args.notebook)
    nb = nbformat.read(path, as_version=4)

    state = {"timed_out": [], "truncated": [], "deadline": False, "died": False}
    used_chars = {}

    class BoundedClient(NotebookClient):
        """Drops output beyond a per-cell budget while it arrives, so 100 MB of prints cost no memory."""

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            budget = args.max_output_chars - used_chars.get(cell_index, 0)
            if msg.get("msg_type") == "stream":
                size = len(content.get("text", ""))
            else:
                size = sum(len(str(v)) for v in content.get("data", {}).values()) + len(str(content.get("traceback", "")))
            if size > budget:
                if cell_index not in state["truncated"]:
                    state["truncated"].append(cell_index)
                    if msg.get("msg_type") == "stream" and budget > 0:
                        content["text"] = content["text"][:budget]
                        out = super().output(outs, msg, display_id, cell_index)
                    else:
                        out = None
                    outs.append(nbformat.v4.new_output(
                        "stream", name="stdout",
                        text=f"\n[... output truncated by the grader after {args.max_output_chars} characters ...]\n"))
                    used_chars[cell_index] = args.max_output_chars
                    return out
                if msg.get("msg_type") == "error":
                    return super().output(outs, msg, display_id, cell_index)
                return None
            used_chars[cell_index] = used_chars.get(cell_index, 0) + size
            return super().output(outs, msg, display_id, cell_index)

    def on_cell_executed(cell, cell_index, execute_reply):
        # Like nbgrader's Execute: an error reply without an error output (a timeout) becomes one.
        content = execute_reply.get("content", {})
        timed_out = content.get("ename") == "CellTimeoutError"
        # A timeout always says so (the interrupt alone shows only a KeyboardInterrupt).
        if content.get("status") == "error" and (timed_out or not any(o.get("output_type") == "error" for o in cell.outputs)):
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename=content.get("ename", "Error"), evalue=content.get("evalue", ""),
                traceback=content.get("traceback") or ["ERROR"]))
        if timed_out:
            state["timed_out"].append(cell_index)

    client = BoundedClient(
        nb,
        timeout=args.cell_timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": WORK}},
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeoutError", "evalue": f"cell exceeded {args.cell_timeout} s",
                          "traceback": [f"CellTimeoutError: the cell ran longer than {args.cell_timeout} s and was interrupted"]},
        record_timing=False,
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
        on_cell_executed=on_cell_executed,
    )
    deadline = time.monotonic() + args.notebook_timeout

    async def run():
        async with client.async_setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                remaining = deadline - time.monotonic()
                if remaining < 1:
                    state["deadline"] = True
                    break
                client.timeout = int(min(args.cell_timeout, remaining))
                try:
                    await client.async_execute_cell(cell, index, execution_count=index + 1)
                except DeadKernelError:
                    state["died"] = True
                    cell.outputs.append(nbformat.v4.new_output(
                        "error", ename="DeadKernelError", evalue="the kernel died (memory limit?)",
                        traceback=["DeadKernelError: the kernel died while running this cell (memory limit?)"]))
                    cell.execution_count = index + 1
                    break

    try:
        asyncio.run(run())
    except Exception as exc:  # noqa: BLE001 - report and return what was executed so far
        print(f"sandbox: execution stopped: {exc!r}", file=sys.stderr)
        state["died"] = True

    envelope = {
        "notebook": nb,
        "timed_out_cells": state["timed_out"],
        "truncated_cells": state["truncated"],
        "deadline_reached": state["deadline"],
        "kernel_died": state["died"],
    }
    with os.fdopen(result_fd, "w") as out:
        json.dump(envelope, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
