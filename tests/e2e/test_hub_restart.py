"""A hub restart in the middle of a session loses nothing."""
from __future__ import annotations

from tests.utils import docker_helper as dh

from .conftest import HUB_CONTAINER, as_student, user_container


def test_restarting_the_hub_keeps_servers_reachable(login, hub, unique):
    """After the hub container restarts, is a running server still reachable with its files, and the same container?"""
    alice = login("alice")
    alice.start_server()
    before = user_container("alice")
    started_at = dh.inspect("container", before)["State"]["StartedAt"]
    assert as_student("alice", f"echo kept > ~/restart-{unique}.txt").returncode == 0

    dh.docker("restart", HUB_CONTAINER)

    def hub_answers() -> bool:
        return alice.get(f"{hub['url']}/hub/health").status_code == 200

    dh.wait_for(hub_answers, timeout=120, interval=1, what="the hub to answer after its restart")
    # The same session cookie still works, and the proxy routes to the very same container.
    resp = dh.wait_for(lambda: (r := alice.contents(f"restart-{unique}.txt")).status_code == 200 and r,
                       timeout=120, interval=1, what="alice's server through the restarted hub")
    assert resp.json()["content"] == "kept\n"
    after = user_container("alice")
    assert after == before
    assert dh.inspect("container", after)["State"]["StartedAt"] == started_at, "the server was restarted"
