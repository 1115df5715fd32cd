"""Does a bad inventory stop the run before anything on the machine is changed?

Each run here fails in the pre-flight play; the recap must show changed=0 and no task of a
role that changes things may have run.
"""
from __future__ import annotations

import shutil

import pytest
import yaml

from .conftest import LOCAL_INVENTORY, REPO, recap, run_playbook

CHANGING_ROLES = ("base :", "docker_engine :", "images :", "data :", "hub :", "course :", "tls :", "backup :")


def assert_stopped_in_preflight(proc, *expected: str) -> str:
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"the run should have failed:\n{output[-4000:]}"
    counts = recap(proc.stdout)
    assert counts["failed"] == 1 and counts["changed"] == 0, counts
    ran = [line for line in proc.stdout.splitlines() if line.startswith("TASK [") and any(r in line for r in CHANGING_ROLES)]
    assert not ran, f"tasks ran after the pre-flight failure: {ran}"
    for text in expected:
        assert text in output, f"{text!r} not in the failure message:\n{output[-4000:]}"
    return output


@pytest.fixture
def inventory_copy(tmp_path):
    """A copy of the local inventory whose settings a test may edit."""
    target = tmp_path / "inventory"
    shutil.copytree(LOCAL_INVENTORY, target)
    settings = target / "group_vars" / "all" / "workshop.yml"

    def edit(change):
        data = yaml.safe_load(settings.read_text())
        data["workshop_repo_dir"] = str(REPO)  # the copy lives outside the checkout
        change(data)
        settings.write_text(yaml.safe_dump(data, sort_keys=False))
        return target

    return edit


def test_missing_variable_fails_naming_it(inventory_copy):
    """Without workshop_course_id, does the run stop at once and name the variable?"""
    inventory = inventory_copy(lambda d: d.pop("workshop_course_id"))
    proc = run_playbook(inventory=inventory)
    assert_stopped_in_preflight(proc, "workshop_course_id")


def test_misspelt_variable_fails_naming_it(inventory_copy):
    """A typo (hub_rooster for hub_roster): does the run stop and name the unknown variable?"""
    inventory = inventory_copy(lambda d: d.update(hub_rooster=d["hub_roster"]))
    proc = run_playbook(inventory=inventory)
    assert_stopped_in_preflight(proc, "Unknown setting(s): hub_rooster")


def test_wrong_type_fails_naming_it():
    """A port that is not a number: does the pre-flight play name tls_https_port?"""
    proc = run_playbook("-e", "tls_https_port=not-a-port")
    assert_stopped_in_preflight(proc, "tls_https_port")


def test_wrong_choice_fails_naming_it():
    """A mistyped choice (letsencrpyt): does the pre-flight play name tls_mode and the choices?"""
    proc = run_playbook("-e", "tls_mode=letsencrpyt")
    assert_stopped_in_preflight(proc, "tls_mode must be one of: selfsigned, letsencrypt")


def test_gpu_required_without_gpu_fails_before_any_change():
    """Asking for a GPU on this GPU-less machine: clear message, nothing changed?"""
    proc = run_playbook("-e", "workshop_gpu=required")
    assert_stopped_in_preflight(proc, "workshop_gpu is 'required' but no NVIDIA GPU was found",
                                "Nothing has been changed")


def test_production_example_settings_pass_the_checks(tmp_path):
    """Does every setting in the production example have a known name, the right type and choice?

    The example's group_vars are checked on this machine (connection local) by the pre-flight
    play alone; only workshop_gpu is overridden (this machine has no GPU), and workshop_image_tag,
    whose example value reads images/VERSION relative to site.yml, not to this test's playbook.
    """
    production = LOCAL_INVENTORY.parent / "production"
    inventory = tmp_path / "production"
    shutil.copytree(production / "group_vars", inventory / "group_vars")
    (inventory / "hosts.yml").write_text(
        "workshop:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        "      ansible_python_interpreter: '{{ ansible_playbook_python }}'\n")
    tag = (REPO / "images" / "VERSION").read_text().strip()
    proc = run_playbook("-e", "workshop_gpu=none", "-e", f"workshop_image_tag={tag}", inventory=inventory,
                        playbook=str(REPO / "tests" / "ansible" / "preflight_only.yml"))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert recap(proc.stdout)["changed"] == 0
