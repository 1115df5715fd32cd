"""Is the provisioning code clean by the linters' production standards?"""
from __future__ import annotations

import subprocess

from .conftest import ANSIBLE_DIR, REPO, VENV_BIN, ansible_env


def test_yamllint_is_clean():
    """Does yamllint (ansible/.yamllint) find nothing in ansible/?"""
    proc = subprocess.run([str(VENV_BIN / "yamllint"), "-s", "-c", str(ANSIBLE_DIR / ".yamllint"), str(ANSIBLE_DIR)],
                          capture_output=True, text=True, cwd=REPO, env=ansible_env(), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ansible_lint_production_profile_is_clean():
    """Does ansible-lint pass with the production profile (FQCN, names, var prefixes, modes, ...)?"""
    proc = subprocess.run([str(VENV_BIN / "ansible-lint"), "--nocolor", "--profile", "production",
                           "-c", str(ANSIBLE_DIR / ".ansible-lint"), str(ANSIBLE_DIR)],
                          capture_output=True, text=True, cwd=REPO, env=ansible_env(), timeout=900)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-6000:]
    assert "Profile 'production' was required, and it passed" in proc.stdout + proc.stderr


def test_playbooks_pass_syntax_check():
    """Do site.yml, restore.yml and backup.yml parse with both inventories?"""
    for inventory in ("local", "production"):
        for playbook in ("site.yml", "restore.yml", "backup.yml"):
            proc = subprocess.run([str(VENV_BIN / "ansible-playbook"), "--syntax-check",
                                   "-i", str(ANSIBLE_DIR / "inventories" / inventory), str(ANSIBLE_DIR / playbook)],
                                  capture_output=True, text=True, cwd=REPO, env=ansible_env(), timeout=300)
            assert proc.returncode == 0, f"{inventory}/{playbook}:\n{proc.stdout}\n{proc.stderr}"
