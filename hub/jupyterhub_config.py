# JupyterHub configuration for the glacier ML workshop: thin glue only.
# Each concern lives in workshop_hub/<module>.py and is unit-tested in tests/unit.
# Settings: /etc/workshop/workshop.yaml (or $WORKSHOP_SETTINGS); see hub/README.md.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from workshop_hub import names  # noqa: E402
from workshop_hub.auth import check_admins_in_roster, configure_auth  # noqa: E402
from workshop_hub.hub import configure_hub  # noqa: E402
from workshop_hub.passwd_map import configure_passwd_map  # noqa: E402
from workshop_hub.passwords import HASH_FILE_NAME, ISSUED_FILE_NAME, issue_missing_passwords  # noqa: E402
from workshop_hub.preflight import check_docker_host, check_hub_volumes  # noqa: E402
from workshop_hub.roles import configure_roles  # noqa: E402
from workshop_hub.roster import load_roster  # noqa: E402
from workshop_hub.services import configure_services  # noqa: E402
from workshop_hub.settings import load_settings  # noqa: E402
from workshop_hub.spawner import configure_spawner  # noqa: E402
from workshop_hub.ui import configure_ui  # noqa: E402

c = get_config()  # noqa: F821

# Everything that can be wrong stops start-up here, before the hub touches its DB.
settings = load_settings()
roster = load_roster(settings.roster_file)
check_admins_in_roster(settings, roster)
check_hub_volumes()
check_docker_host(settings)

configure_hub(c, settings)
configure_auth(c, settings, roster)
configure_spawner(c, settings, roster)
configure_passwd_map(c, roster)
configure_roles(c, settings)
configure_services(c, settings)
configure_ui(c, settings)

if settings.auth_mode == "password":
    issued = issue_missing_passwords(
        roster.usernames,
        hash_file=os.path.join(names.HUB_DATA_DIR, HASH_FILE_NAME),
        issued_file=os.path.join(names.HUB_DATA_DIR, ISSUED_FILE_NAME),
    )
    if issued:
        print(
            f"[workshop] issued passwords to {len(issued)} user(s); hand out "
            f"{names.HUB_DATA_DIR}/{ISSUED_FILE_NAME} (mode 0600) and then delete it",
            file=sys.stderr,
        )
