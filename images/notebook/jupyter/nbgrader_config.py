# nbgrader settings shared by every container started from the notebook image.
# A course directory's own nbgrader_config.py (assignments/) still overrides these.
import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# One course per hub; its id comes from the hub's settings (key course_id).
c.CourseDirectory.course_id = os.environ.get("NBGRADER_COURSE_ID", "glaciers-ml")
# The shared exchange volume (workshop-exchange), root mode 1777.
c.Exchange.root = "/srv/nbgrader/exchange"

if os.environ.get("WORKSHOP_ROLE") == "grader":
    # The grader service owns the course directory (volume workshop-course-<course_id>).
    c.CourseDirectory.root = "/srv/course"
    # The gradebook: PostgreSQL (workshop-gradebook) when the hub passes NBGRADER_DB_URL,
    # else SQLite beside the course files.
    c.CourseDirectory.db_url = os.environ.get("NBGRADER_DB_URL", "sqlite:////srv/course/gradebook.db")
