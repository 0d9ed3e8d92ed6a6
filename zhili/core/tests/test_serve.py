"""A real `zhili serve --with-background`: a killed worker is reaped and restarted, and SIGTERM
stops the server with every background process.

The server runs on a copy of the test database (SQLite: a file made with SQLite's backup
API, which another process can open; PostgreSQL: the test database itself).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from zhili.conftest import database_url_for_server, free_port, wait_until

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
    # Supervision does not depend on the date; under `make test-days`' faketime the restarted
    # worker did not appear within the limits (CI, 2026-12-03), so that run leaves it out.
    pytest.mark.skipif(
        os.environ.get("ZHILI_TEST_CLOCK") == "process",
        reason="not day-sensitive; faketime's clock slows the supervised children",
    ),
]


def database_for_server(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        copy = tmp_path / "serve.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{copy}"
    url = database_url_for_server()
    assert url is not None
    return url


def proc_stat(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of `pid`, or None once it is gone (reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def children(parent: int) -> dict[str, int]:
    """{"worker": pid, "scheduler": pid} of the live children of `parent`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = proc_stat(int(entry.name))
        if stat is None or stat[1] != parent or stat[0] == "Z":
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except (FileNotFoundError, ProcessLookupError):
            continue
        for name in ("worker", "scheduler"):
            if name.encode() in argv:
                found[name] = int(entry.name)
    return found


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:  # noqa: S310
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_for_server(tmp_path),
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZHILI_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "zhili", "serve", "--port", str(port), "--with-background"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: process.poll() is not None or healthy(base), 90, "the server answers")
        assert process.poll() is None, log.read_text()
        yield process, base, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for pid in children(process.pid).values():  # only if the test failed half-way
            os.kill(pid, signal.SIGKILL)


def test_a_killed_worker_is_reaped_and_restarted_and_sigterm_leaves_no_child(serve) -> None:
    server, base, log = serve
    first = wait_until(
        lambda: (found := children(server.pid)).keys() == {"worker", "scheduler"} and found,
        30,
        "a worker and a scheduler under the server",
    )

    os.kill(first["worker"], signal.SIGKILL)
    restarted = wait_until(
        lambda: (
            (found := children(server.pid)).get("worker", first["worker"]) != first["worker"]
            and found
        ),
        10,
        "a new worker",
    )
    # Reaped: no <defunct> entry is left under the server.
    assert proc_stat(first["worker"]) is None
    assert restarted["scheduler"] == first["scheduler"]
    assert f"zhili worker (pid {first['worker']}) was killed by SIGKILL" in log.read_text()
    assert healthy(base)

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=30) == 0
    for name, pid in restarted.items():
        assert proc_stat(pid) is None, f"the {name} (pid {pid}) outlived the server"
    assert "ignored SIGTERM" not in log.read_text()  # both stopped on SIGTERM, none killed
