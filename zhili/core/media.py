"""The worker's media jobs (a camera clip, a room's recording): run in a scratch folder; a
refusal (`DomainError`) or a program that could not run ends the job with a message on its row,
never as a crash of the worker. And ffmpeg's progress (`-progress pipe:1`) read as seconds."""

import logging
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from zhili.core.errors import DomainError

log = logging.getLogger(__name__)


@contextmanager
def media_job(name: str, fail: Callable[[str], None], crashed: str) -> Iterator[Path]:
    """A scratch folder for the job `name`; a DomainError raised inside goes to `fail` with its
    message, an OSError or a subprocess error with `crashed` and the error's kind."""
    with tempfile.TemporaryDirectory(prefix=f"zhili-{name}-") as folder:
        try:
            yield Path(folder)
        except DomainError as exc:
            fail(exc.message)
        except (OSError, subprocess.SubprocessError) as exc:
            log.exception("%s failed", name)
            fail(f"{crashed}：{type(exc).__name__}")


def encoded_seconds(lines: Iterable[str]) -> Iterator[float]:
    """The seconds of output ffmpeg reports on its `-progress` lines (`out_time_us=`)."""
    for line in lines:
        key, _sep, value = line.strip().partition("=")
        if key == "out_time_us" and value.isdigit():
            yield int(value) / 1_000_000
