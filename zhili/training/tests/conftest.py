"""Fixtures of the training tests: lesson videos made by Debian's ffmpeg (H.264 + AAC in MP4,
as counties upload them), and a township officer's course for the township and a village."""

import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree
from zhili.training import services
from zhili.training.models import Course, Lesson
from zhili.web.tests.conftest import browser, session_cookies  # noqa: F401  (fixtures)


def make_mp4(path: Path, seconds: int, *faststart: str) -> Path:
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10",
            "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-profile:v", "baseline", "-c:a", "aac", "-shortest", *faststart, str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def videos(tmp_path_factory: Any) -> Tree:
    """`long`: 60 s with its moov at the end (as most cameras and phones write); `short`: 16 s
    made with +faststart."""
    folder = tmp_path_factory.mktemp("lessons")
    return Tree(
        long=make_mp4(folder / "long.mp4", 60),
        short=make_mp4(folder / "short.mp4", 16, "-movflags", "+faststart"),
    )


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def course(personas: Tree) -> Course:
    """甲镇's officer trains the township center and its village 甲一村 (learners: the officer,
    the village officer and the grid worker), a 90 % watch and 60 points to pass."""
    return services.course_create(
        actor=personas.township,
        data=services.CourseInput(
            title="矛盾纠纷排查化解实务",
            due_on=timezone.localdate() + timedelta(days=14),
            audience=["320722901", "320722901001"],
        ),
    )


@pytest.fixture
def recorded(course: Course, personas: Tree, videos: Tree) -> Callable[..., Lesson]:
    def add(path: Path | None = None, title: str = "第一讲 人民调解法要点") -> Lesson:
        return services.lesson_add_recorded(
            actor=personas.township, course=course, title=title, video=upload(path or videos.long)
        )

    return add
