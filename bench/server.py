"""The platform as a benchmark's server: `zhili serve` (uvicorn, as a county runs it) in a
process of its own, on the bench's database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection

from zhili.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def start(env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """`zhili serve` with DEBUG off and `env` on top; returns the process and its base URL
    once /healthz answers. A SQLite bench database is handed over by its file's path."""
    port = free_port()
    # No page is drawn, only the API and the socket: an empty static folder is enough.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    full = {
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "ZHILI_SECURE_COOKIES": "false",  # plain HTTP on this machine
        **env,
    }
    if connection.vendor == "sqlite":
        full["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    command = [sys.executable, "-m", "zhili", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=full, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError("the server did not answer /healthz within 30 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:  # open WebSockets keep it waiting
        server.kill()
        server.wait(timeout=10)
