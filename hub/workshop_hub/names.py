"""Names and paths fixed by docs/architecture.md (the contract between the kit's parts).

They are constants, not settings: the images, the Ansible roles and the tests
all code against the same values, so changing one here means changing the
contract document in the same commit.
"""

# Docker network shared by the hub, the user servers and the grader.
NETWORK = "workshop-net"
# Hub container name; user containers reach the hub API at http://HUB_HOST:HUB_API_PORT.
HUB_HOST = "workshop-hub"
HUB_API_PORT = 8081
# Public port of the proxy inside the hub container (publish it on the host).
HUB_PUBLIC_PORT = 8000

# Hub state: sqlite DB, cookie secret, password hashes (volume workshop-hub-data).
HUB_DATA_DIR = "/srv/jupyterhub"
# The passwd map lives in its own volume so user containers can mount it read-only
# without seeing the rest of the hub's state (Docker 20.10 cannot mount a volume subpath).
PASSWD_VOLUME = "workshop-passwd"
PASSWD_DIR_IN_HUB = HUB_DATA_DIR + "/passwd"
PASSWD_DIR_IN_USER = "/etc/workshop/passwd"
PASSWD_FILE_NAME = "passwd"

# Volumes mounted into every notebook container.
EXCHANGE_VOLUME = "workshop-exchange"
EXCHANGE_DIR = "/srv/nbgrader/exchange"
HOME_VOLUME_TEMPLATE = "workshop-home-{username}"  # {username}: DockerSpawner's escaped name
HOME_DIR_TEMPLATE = "/home/{raw_username}"  # the hub name itself (NB_HOME in the notebook image)
DATA_DIR_IN_USER = "/srv/data"
USER_CONTAINER_TEMPLATE = "workshop-user-{username}"

# Per-user UIDs: 20000 + the JupyterHub user id (stable while the hub DB lives).
UID_BASE = 20000

# Settings file read at start-up (overridable with WORKSHOP_SETTINGS).
SETTINGS_PATH = "/etc/workshop/workshop.yaml"
SETTINGS_ENV = "WORKSHOP_SETTINGS"

# Groups
STUDENTS_GROUP = "students"
INSTRUCTORS_GROUP = "instructors"


def formgrade_group(course_id: str) -> str:
    """nbgrader's documented group name for a course's graders."""
    return f"formgrade-{course_id}"


def grader_container(course_id: str) -> str:
    return f"workshop-grader-{course_id}"
