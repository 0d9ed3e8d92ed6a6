"""config/pytest_workers.py: each parallel test worker gets its own Redis database."""

import pytest

from config.pytest_workers import worker_redis_url


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/0", "gw1", "redis://127.0.0.1:6379/2"),
        ("redis://127.0.0.1:6379", "gw0", "redis://127.0.0.1:6379/1"),
        ("redis://:secret@redis.local:6380/3", "gw2", "redis://:secret@redis.local:6380/6"),
        # Past the server's 16 databases the numbers wrap around.
        ("redis://127.0.0.1:6379/14", "gw3", "redis://127.0.0.1:6379/2"),
    ],
)
def test_each_worker_moves_to_a_database_of_its_own(url: str, worker: str, expected: str) -> None:
    assert worker_redis_url(url, worker) == expected


def test_two_workers_never_share_a_database() -> None:
    urls = {worker_redis_url("redis://127.0.0.1:6379/0", f"gw{n}") for n in range(8)}
    assert len(urls) == 8


def test_a_url_it_cannot_read_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValueError, match="REDIS_URL"):
        worker_redis_url("unix:///run/redis.sock", "gw0")
