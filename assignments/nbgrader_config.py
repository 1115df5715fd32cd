"""nbgrader configuration of the glaciers-ml course source (copied to the course directory, /srv/course in the hub)."""

c = get_config()  # noqa: F821 - injected by nbgrader

c.CourseDirectory.course_id = "glaciers-ml"
# Every released notebook starts with the same header: honour code, how data is read, how to submit.
c.IncludeHeaderFooter.header = "source/header.ipynb"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Solutions run in well under a minute; a cell stuck for 5 minutes is an infinite loop, not slow work.
c.Execute.timeout = 300
# Feedback must say which cell failed; a long traceback is truncated by nbgrader itself.
c.Execute.allow_errors = True
