#!/usr/bin/env python3
"""Spawn latency and hub memory of the deployed hub (prints figures; not a test).

Login (through the real form) to server ready, for one user (several rounds) and for ten users
logging in at once; then the hub container's memory. Needs the bench roster deployed:

    ./deploy local -e @bench/deploy-vars.yml
    .venv/bin/python bench/spawn.py [--rounds 5]

Afterwards `./deploy local -e @tests/e2e/deploy-vars.yml` (or plain `./deploy local`) restores the
roster; the bench users' servers are stopped at the end.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.conftest import HUB_CONTAINER, HUB_URL, TLS_VERIFY, issued_passwords  # noqa: E402
from tests.utils import docker_helper as dh  # noqa: E402
from tests.utils.hub_client import HubUser  # noqa: E402

BENCH_USERS = [f"bench{i:02d}" for i in range(1, 11)]


def login_to_ready(name: str, password: str) -> float:
    user = HubUser(HUB_URL, name, password, verify=TLS_VERIFY)
    t0 = time.monotonic()
    resp = user.login()
    assert resp.status_code == 302, f"{name}: login answered {resp.status_code}"
    user.start_server(timeout=600)
    return time.monotonic() - t0


def stop(name: str, password: str) -> None:
    user = HubUser(HUB_URL, name, password, verify=TLS_VERIFY)
    user.login()
    info = user.api("GET", f"/users/{user.escaped}").json()
    if "" in info.get("servers", {}):
        user.stop_server()


def hub_memory() -> str:
    proc = dh.docker("stats", "--no-stream", "--format", "{{.MemUsage}}", HUB_CONTAINER)
    return proc.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds for the single-user figure")
    args = parser.parse_args()
    passwords = issued_passwords()
    missing = [u for u in BENCH_USERS if u not in passwords]
    if missing:
        print(f"bench users {missing} are not in the deployed roster: ./deploy local -e @bench/deploy-vars.yml",
              file=sys.stderr)
        return 2
    with ThreadPoolExecutor(len(BENCH_USERS)) as pool:
        list(pool.map(lambda u: stop(u, passwords[u]), BENCH_USERS))

    single = []
    for _ in range(args.rounds):
        single.append(login_to_ready(BENCH_USERS[0], passwords[BENCH_USERS[0]]))
        stop(BENCH_USERS[0], passwords[BENCH_USERS[0]])

    with ThreadPoolExecutor(len(BENCH_USERS)) as pool:
        together = list(pool.map(lambda u: login_to_ready(u, passwords[u]), BENCH_USERS))
    memory_with_ten = hub_memory()
    with ThreadPoolExecutor(len(BENCH_USERS)) as pool:
        list(pool.map(lambda u: stop(u, passwords[u]), BENCH_USERS))

    print(f"spawn latency, login to server ready, 1 user ({args.rounds} rounds): "
          f"median {statistics.median(single):.1f} s, max {max(single):.1f} s")
    print(f"spawn latency, 10 simultaneous logins: median {statistics.median(together):.1f} s, "
          f"max {max(together):.1f} s")
    print(f"hub container memory with 10 servers running: {memory_with_ten}")
    print(f"hub container memory now: {hub_memory()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
