# Add or update the roster's students in nbgrader's gradebook. Runs inside the grader container
# as the grader; argv[1] is the roster CSV (username,role,name,email). The gradebook comes from
# the container's NBGRADER_DB_URL and NBGRADER_COURSE_ID. Student ids are the hub's lower-cased
# usernames. Prints one JSON line: {"added": [...], "updated": [...]}. Students are never removed
# here (their grades would go with them); `nbgrader db student remove` does that on purpose.
import csv
import io
import json
import os
import sys

from nbgrader.api import Gradebook, MissingEntry

added, updated = [], []
rows = csv.DictReader(io.StringIO(sys.argv[1]))
with Gradebook(os.environ["NBGRADER_DB_URL"], course_id=os.environ["NBGRADER_COURSE_ID"]) as gb:
    for row in rows:
        if row.get("role", "").strip() != "student":
            continue
        sid = row["username"].strip().lower()
        first, _, last = row.get("name", "").strip().rpartition(" ")
        if not first:
            first, last = last, ""
        fields = {"first_name": first, "last_name": last, "email": row.get("email", "").strip()}
        try:
            student = gb.find_student(sid)
        except MissingEntry:
            gb.add_student(sid, **fields)
            added.append(sid)
            continue
        if any(getattr(student, k) != v for k, v in fields.items()):
            gb.update_or_create_student(sid, **fields)
            updated.append(sid)
print(json.dumps({"added": added, "updated": updated}))
