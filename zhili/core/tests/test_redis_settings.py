"""The Redis settings (config/settings.py, docs/operations.md "Redis versions and timeouts"):
a connect timeout for everything, a short read timeout for the cache, and for the channel
layer none shorter than its blocking receive, which redis-py 8's 5 s default raced (every
idle WebSocket dropped after ~5 s, issue 11 item 1). Read in a fresh process with REDIS_URL
set, as production starts; no Redis needed."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from channels_redis.core import RedisChannelLayer

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json, config.settings as s; "
    "print(json.dumps({'caches': s.CACHES, 'layers': s.CHANNEL_LAYERS}))"
)


def settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our interpreter, a fixed program)
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/9", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def production() -> dict[str, Any]:
    done = settings_with()
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_channel_layer_reads_longer_than_its_blocking_receive_and_the_cache_briefly():
    configured = production()
    (host,) = configured["layers"]["default"]["CONFIG"]["hosts"]
    assert host["address"] == "redis://127.0.0.1:6379/9"
    assert host["socket_timeout"] > RedisChannelLayer.brpop_timeout
    assert host["socket_connect_timeout"] == 2
    cache = configured["caches"]["default"]
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/9"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 2, "socket_timeout": 1}


def test_a_channel_read_timeout_within_the_blocking_receive_is_refused():
    done = settings_with(REDIS_CHANNEL_READ_TIMEOUT="5")
    assert done.returncode != 0
    assert "REDIS_CHANNEL_READ_TIMEOUT must exceed" in done.stderr
