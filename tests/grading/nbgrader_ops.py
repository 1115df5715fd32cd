"""Gradebook operations the grading tests need, run by the grading Python (the one with nbgrader).

Usage: python nbgrader_ops.py '<json request>'  ->  prints a JSON answer.
Requests: {"op": "generate", "course": DIR, "db": URL, "assignment": NAME}
          {"op": "grades", "db": URL}                          every grade row + table counts
          {"op": "manual", "db": URL, "assignment", "student", "notebook", "cell", "score", "comment"}
          {"op": "tamper_check", "db": URL}                    row counts of each gradebook table
"""
import json
import os
import subprocess
import sys

os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")


def generate(req):
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", req["assignment"], "--force",
                           f"--CourseDirectory.db_url={req['db']}", "--CourseDirectory.course_id=glaciers-ml"],
                          cwd=req["course"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    return {"ok": True}


def grades(req):
    from nbgrader.api import Gradebook
    from sqlalchemy import text
    rows = []
    with Gradebook(req["db"], "glaciers-ml") as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    for g in nb.grades:
                        comment = next((c for c in nb.comments if c.name == g.name), None)
                        rows.append({"assignment": assignment.name, "student": sub.student.id, "notebook": nb.name,
                                     "cell": g.name, "auto": g.auto_score, "manual": g.manual_score,
                                     "score": g.score, "max": g.max_score, "needs_manual": g.needs_manual_grade,
                                     "manual_comment": comment.manual_comment if comment else None,
                                     "timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
                                     "penalty": nb.late_submission_penalty})
        counts = {t: gb.db.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("student", "submitted_assignment", "submitted_notebook", "grade", "comment", "assignment")}
    return {"grades": rows, "counts": counts}


def manual(req):
    from nbgrader.api import Gradebook
    with Gradebook(req["db"], "glaciers-ml") as gb:
        grade = gb.find_grade(req["cell"], req["notebook"], req["assignment"], req["student"])
        grade.manual_score = req["score"]
        grade.needs_manual_grade = False
        comment = gb.find_comment(req["cell"], req["notebook"], req["assignment"], req["student"])
        comment.manual_comment = req.get("comment")
        gb.db.commit()
    return {"ok": True}


if __name__ == "__main__":
    request = json.loads(sys.argv[1])
    print(json.dumps({"generate": generate, "grades": grades, "manual": manual}[request["op"]](request), default=str))
