# Copy the course source (mounted read-only at /srv/course-source) into the course directory.
# Runs inside the grader container as the grader. Copies only files whose bytes differ and never
# deletes anything (instructors may add files). Prints one JSON line: {"copied": [...]}.
import filecmp
import json
import os
import shutil

SRC, DEST = "/srv/course-source", "/srv/course"
WANTED = ("source", "nbgrader_config.py")
copied = []
for top in WANTED:
    start = os.path.join(SRC, top)
    if os.path.isfile(start):
        pairs = [(start, os.path.join(DEST, top))]
    elif os.path.isdir(start):
        pairs = []
        for root, dirs, files in os.walk(start):
            dirs[:] = [d for d in dirs if d not in ("__pycache__", ".ipynb_checkpoints")]
            rel = os.path.relpath(root, SRC)
            os.makedirs(os.path.join(DEST, rel), mode=0o755, exist_ok=True)
            pairs += [(os.path.join(root, f), os.path.join(DEST, rel, f)) for f in files]
    else:
        continue
    for src, dest in pairs:
        if os.path.isfile(dest) and filecmp.cmp(src, dest, shallow=False):
            continue
        shutil.copyfile(src, dest)
        os.chmod(dest, 0o644)
        copied.append(os.path.relpath(dest, DEST))
print(json.dumps({"copied": sorted(copied)}))
