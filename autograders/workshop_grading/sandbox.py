"""Runs one notebook in a locked-down container and merges back only what may be trusted.

The container (from the notebook image) gets: no network, a read-only root file system, tmpfs for
/tmp only, memory/CPU/process limits, a non-root UID with no capabilities and no-new-privileges,
the submission's own files on stdin (no bind mount of the course, the exchange or the gradebook),
and optionally the glacier data read-only. It returns the executed notebook on stdout.

What comes back is written next to student code, so :func:`merge_outputs` keeps the trusted
(sanitised) notebook and copies over only outputs and execution counts of cells that match it.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .config import SandboxConfig

DOCKER = "/usr/bin/docker"
LABEL = "org.glacier-workshop.grading-sandbox"
EXECUTOR = (Path(__file__).with_name("sandbox_exec.py")).read_text()
# Never handed to student code: the submission's secret names the student's feedback file.
PRIVATE_FILES = {"timestamp.txt", "submission_secret.txt"}
# Output types a browser would run as code when the formgrader or the feedback page shows them.
ACTIVE_MIME_TYPES = ("text/html", "application/javascript", "image/svg+xml", "text/markdown")


@dataclass
class SandboxResult:
    notebook: nbformat.NotebookNode | None = None
    problems: list[str] = field(default_factory=list)
    timed_out_cells: list[int] = field(default_factory=list)
    truncated_cells: list[int] = field(default_factory=list)
    wall_seconds: float = 0.0
    log_tail: str = ""


def _safe(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def build_payload(workdir: Path, notebook_name: str, notebook: nbformat.NotebookNode,
                  max_bytes: int = 512 * 1024 * 1024) -> bytes:
    """A tar of the submission's regular files (no links, no private files), the notebook replaced."""
    buf = io.BytesIO()
    total = 0
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for path in sorted(workdir.rglob("*")):
            rel = path.relative_to(workdir).as_posix()
            if rel == notebook_name or rel in PRIVATE_FILES or path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_size
            if total + size > max_bytes:
                continue
            total += size
            info = tarfile.TarInfo(rel)
            info.size, info.mode, info.mtime = size, 0o644, int(time.time())
            with path.open("rb") as fh:
                tar.addfile(info, fh)
        data = nbformat.writes(notebook).encode()
        info = tarfile.TarInfo(notebook_name)
        info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def docker_command(cfg: SandboxConfig, name: str, notebook_name: str) -> list[str]:
    cmd = [
        DOCKER, "run", "--rm", "-i", "--name", name, "--label", f"{LABEL}=1",
        "--network", "none",
        "--read-only", "--tmpfs", "/tmp:rw,nosuid,nodev,size=1g,mode=1777",
        "--memory", cfg.memory, "--memory-swap", cfg.memory, "--cpus", str(cfg.cpus),
        "--pids-limit", str(cfg.pids), "--ulimit", "nofile=1024:1024",
        "--user", cfg.user, "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "--workdir", "/tmp",
        "--env", "HOME=/tmp/home", "--env", "IPYTHONDIR=/tmp/ipython", "--env", "MPLCONFIGDIR=/tmp/mpl",
        "--env", "JUPYTER_RUNTIME_DIR=/tmp/runtime", "--env", "JUPYTER_DATA_DIR=/tmp/jupyter",
        "--env", "NBGRADER_EXECUTION=autograde", "--env", "PYTHONDONTWRITEBYTECODE=1",
        "--env", "GLACIER_DATA_DIR=/srv/data",
    ]
    if cfg.data_dir:
        cmd += ["--mount", f"type=bind,source={cfg.data_dir},target=/srv/data,readonly"]
    cmd += ["--entrypoint", "python3", cfg.resolved_image(), "-c", EXECUTOR,
            "--notebook", notebook_name, "--cell-timeout", str(cfg.cell_timeout),
            "--notebook-timeout", str(cfg.notebook_timeout), "--max-output-chars", str(cfg.max_output_chars)]
    return cmd


def run_in_sandbox(cfg: SandboxConfig, workdir: Path, notebook_name: str,
                   notebook: nbformat.NotebookNode, label: str = "") -> SandboxResult:
    """Execute ``notebook`` (already sanitised) in a fresh container; never raises for student faults."""
    result = SandboxResult()
    name = f"wsgrade-{_safe(label)}-{uuid.uuid4().hex[:8]}"
    payload = build_payload(workdir, notebook_name, notebook)
    started = time.monotonic()
    proc = subprocess.Popen(docker_command(cfg, name, notebook_name), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_chunks: list[bytes] = []
    err_tail = bytearray()
    too_big = threading.Event()

    def read_stdout():
        total = 0
        while chunk := proc.stdout.read(1 << 20):
            total += len(chunk)
            if total > cfg.max_result_bytes:
                too_big.set()
                subprocess.run([DOCKER, "kill", name], capture_output=True)
                while proc.stdout.read(1 << 20):
                    pass
                return
            out_chunks.append(chunk)

    def read_stderr():
        while chunk := proc.stderr.read(65536):
            err_tail.extend(chunk)
            del err_tail[:-20000]

    readers = [threading.Thread(target=read_stdout, daemon=True), threading.Thread(target=read_stderr, daemon=True)]
    for t in readers:
        t.start()
    try:
        proc.stdin.write(payload)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    hard_limit = cfg.notebook_timeout + 60
    try:
        proc.wait(timeout=hard_limit)
    except subprocess.TimeoutExpired:
        result.problems.append(f"notebook time limit: the sandbox was killed after {hard_limit} s")
        subprocess.run([DOCKER, "kill", name], capture_output=True)
        proc.wait(timeout=60)
    finally:
        for t in readers:
            t.join(timeout=30)
        subprocess.run([DOCKER, "rm", "-f", name], capture_output=True)
    result.wall_seconds = time.monotonic() - started
    result.log_tail = err_tail.decode(errors="replace")[-4000:]

    if too_big.is_set():
        result.problems.append(f"output too large: more than {cfg.max_result_bytes} bytes came back")
        return result
    raw = b"".join(out_chunks)
    if not raw:
        if not result.problems:
            result.problems.append(f"the sandbox returned nothing (exit {proc.returncode})")
        return result
    try:
        envelope = json.loads(raw)
        result.notebook = nbformat.from_dict(envelope["notebook"])
        result.timed_out_cells = [int(i) for i in envelope.get("timed_out_cells", [])][:10000]
        result.truncated_cells = [int(i) for i in envelope.get("truncated_cells", [])][:10000]
        if envelope.get("deadline_reached"):
            result.problems.append("notebook time limit: cells after the limit were not run")
        if envelope.get("kernel_died"):
            result.problems.append("the kernel died (memory limit or crash); later cells were not run")
    except (ValueError, KeyError, TypeError) as exc:
        result.problems.append(f"unreadable result from the sandbox: {exc}")
        result.notebook = None
    return result


def _error_output(ename: str, message: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


def _text(value) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def _clean_output(output) -> nbformat.NotebookNode | None:
    """Rebuild one output from its expected fields only; errors are never dropped."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "error":
        traceback = output.get("traceback")
        if not isinstance(traceback, list):
            traceback = [_text(traceback)]
        return nbformat.v4.new_output("error", ename=_text(output.get("ename", "Error")),
                                      evalue=_text(output.get("evalue", "")), traceback=[_text(t) for t in traceback])
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return nbformat.v4.new_output("stream", name=name, text=_text(output.get("text", "")))
    if kind in ("display_data", "execute_result"):
        data = output.get("data")
        if not isinstance(data, dict):
            return None
        # Kinds a browser would run as code when the formgrader or the feedback page shows them.
        data = {str(k): (v if isinstance(v, (dict, list)) and k.endswith("json") else _text(v))
                for k, v in data.items() if str(k) not in ACTIVE_MIME_TYPES}
        if not data:
            return None
        if kind == "display_data":
            return nbformat.v4.new_output("display_data", data=data)
        count = output.get("execution_count")
        return nbformat.v4.new_output("execute_result", data=data,
                                      execution_count=count if isinstance(count, int) else None)
    return None


def _clean_outputs(outputs) -> list:
    if not isinstance(outputs, list):
        return [_error_output("GradingError", "malformed outputs in the executed notebook")]
    return [node for node in map(_clean_output, outputs) if node is not None]


def merge_outputs(trusted: nbformat.NotebookNode, result: SandboxResult, is_grade) -> nbformat.NotebookNode:
    """The trusted notebook with the sandbox's outputs where the cell structure matches.

    A grade cell that was not run (time limit, dead kernel, tampered or missing result) gets an
    error output, so nbgrader scores it 0 instead of "no error = full marks".
    """
    merged = nbformat.from_dict(json.loads(json.dumps(trusted)))
    executed = result.notebook
    reason = "; ".join(result.problems) or "not run"
    if executed is not None:
        same_shape = len(executed.cells) == len(merged.cells) and all(
            a.get("id") == b.get("id") and a.cell_type == b.cell_type for a, b in zip(executed.cells, merged.cells))
        if not same_shape:
            result.problems.append("the executed notebook does not match the submitted one; no output was kept")
            reason = result.problems[-1]
            executed = None
    for index, cell in enumerate(merged.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if executed is not None:
            source = executed.cells[index]
            count = source.get("execution_count")
            cell.execution_count = count if isinstance(count, int) and count > 0 else None
            cell.outputs = _clean_outputs(source.get("outputs", []))
        if is_grade(cell) and cell.execution_count is None:
            cell.outputs = [_error_output("NotGraded", f"this cell was not run by the grader ({reason})")]
    return merged
