"""Are container account names valid for useradd, unique, and tied to DockerSpawner's escaping?"""

import re

import pytest
from dockerspawner import DockerSpawner

from workshop_hub.unixname import MAX_LENGTH, docker_escape, unix_name

USERADD = re.compile(r"^[a-z_][-a-z0-9_]*$")
NAMES = ["bob", "anna.lund", "øyvind", "åsa.ek", "2024guest", "kari@uit.no", "jean-luc", "x" * 64,
         "kristoffer.andersen@student.uit.no", "ünïcödé.ñame"]


@pytest.mark.parametrize("name", NAMES)
def test_escape_matches_dockerspawner(name):
    assert docker_escape(name) == DockerSpawner._escape(name)


@pytest.mark.parametrize("name", NAMES)
def test_account_name_is_valid_for_useradd(name):
    account = unix_name(name)
    assert USERADD.match(account), account
    assert len(account) <= MAX_LENGTH


def test_examples():
    assert unix_name("bob") == "bob"
    assert unix_name("anna.lund") == "anna-2elund"
    assert unix_name("øyvind") == "_-c3-b8yvind"
    assert unix_name("2024guest") == "_2024guest"


def test_distinct_names_give_distinct_accounts():
    accounts = [unix_name(n) for n in NAMES + ["x" * 63, "x" * 65, "anna-lund", "anna_lund"]]
    assert len(accounts) == len(set(accounts))
