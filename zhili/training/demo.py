"""`zhili demo` for the online training (issue 15): a course of the county center for the
township and village centers, due in two weeks, with two recorded lessons (made here by ffmpeg,
when installed), their quizzes, and a live lesson tomorrow afternoon; published, and the first
weeks' learning of part of the learners written as their players' beats and quizzes would
write it, so its completion tables have something to show. A second run adds nothing."""

import random
import shutil
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import TextIO

from django.core.files import File
from django.utils import timezone

from zhili.core.demo import progress_line
from zhili.orgs.models import Kind, Level, Organization, User
from zhili.training import services
from zhili.training.models import Course, Lesson, Progress, QuizAttempt
from zhili.training.workflow import learners

LESSONS = [
    (
        "第一讲 综治中心规范化建设要求",
        75,
        [
            (
                "single",
                "县级综治中心实行的工作模式是",
                ["一站式接待、一揽子调处、全链条解决", "分散受理、各自办理", "只受理不办理"],
                [0],
            ),
            (
                "multiple",
                "综治中心“一口受理”的渠道包括",
                ["12345热线", "网格员上报", "群众来访", "私人微信群"],
                [0, 1, 2],
            ),
            ("judge", "矛盾纠纷调处实行首问负责制", [], [0]),
        ],
    ),
    (
        "第二讲 矛盾纠纷排查与分流",
        60,
        [
            (
                "single",
                "发现可能激化的矛盾纠纷，网格员应当",
                ["立即上报并先行稳控", "等当事人自行解决", "年底统一汇总"],
                [0],
            ),
            ("judge", "人民调解不收取任何费用", [], [0]),
        ],
    ),
]


def load(*, stdout: TextIO) -> None:
    started = time.monotonic()
    if Course.objects.exists():
        stdout.write("网上培训：演示课程已存在，跳过\n")
        return
    director = User.objects.filter(username="director").first()
    if director is None:
        stdout.write("网上培训：缺少演示账号 director，跳过\n")
        return
    centers = Organization.objects.filter(
        kind=Kind.CENTER, level__in=[Level.TOWNSHIP, Level.VILLAGE]
    )
    course = services.course_create(
        actor=director,
        data=services.CourseInput(
            title="2026年综治中心规范化建设培训",
            description="面向乡镇（街道）和村（社区）综治中心工作人员：规范化建设要求、矛盾纠纷排查分流、视频接访与调解。",
            due_on=timezone.localdate() + timedelta(days=14),
            audience=list(centers.values_list("code", flat=True)),
        ),
    )
    recorded = _recorded_lessons(course, director, stdout)
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.lesson_add_live(
        actor=director,
        course=course,
        title="第三讲 视频接访与视频调解实务（直播）",
        starts_at=timezone.make_aware(datetime.combine(tomorrow, clock(15, 0))),
    )
    services.course_publish(actor=director, course=course)
    people = _learning(course, recorded)
    progress_line(
        stdout,
        f"网上培训：课程 {course.number}（{len(recorded)} 个录播课时、1 个直播课时），"
        f"{people} 人已开始学习",
        started,
    )


def _recorded_lessons(course: Course, director: User, stdout: TextIO) -> list[Lesson]:
    if shutil.which("ffmpeg") is None:
        stdout.write("网上培训：缺少 ffmpeg，演示课程不含录播课时\n")
        return []
    made = []
    with tempfile.TemporaryDirectory(prefix="zhili-training-") as folder:
        for n, (title, seconds, questions) in enumerate(LESSONS, 1):
            path = _video(Path(folder) / f"lesson{n}.mp4", seconds, n)
            with path.open("rb") as handle:
                lesson = services.lesson_add_recorded(
                    actor=director, course=course, title=title, video=File(handle, name=path.name)
                )
            for kind, text, options, answer in questions:
                services.question_add(
                    actor=director,
                    lesson=lesson,
                    data=services.QuestionInput(
                        kind=kind, text=text, options=options, answer=answer
                    ),
                )
            made.append(lesson)
    return made


def _video(path: Path, seconds: int, n: int) -> Path:
    """A lesson's stand-in video: a test pattern and a tone, H.264 and AAC, +faststart."""
    source = "testsrc2" if n == 1 else "smptebars"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"{source}=size=640x360:rate=15",
            "-f", "lavfi", "-i", f"sine=frequency={330 + 110 * n}",
            "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def _learning(course: Course, lessons: list[Lesson]) -> int:
    """About half the township centers' staff and a fifth of the villages' have begun: some
    watched the first lesson through and passed its quiz, some are part way."""
    if not lessons:
        return 0
    rng = random.Random(15)
    now = timezone.now()
    first = lessons[0]
    rows, attempts = [], []
    for user in learners(course).select_related("organization").order_by("pk"):
        share = 0.5 if user.organization and user.organization.level == Level.TOWNSHIP else 0.2
        if rng.random() >= share:
            continue
        watched = (
            first.duration_s
            if rng.random() < 0.6
            else round(first.duration_s * rng.uniform(0.1, 0.8), 1)
        )
        when = now - timedelta(days=rng.randint(0, 5), minutes=rng.randint(0, 600))
        row = Progress(
            lesson=first,
            user=user,
            spans=[[0, watched]],
            position_s=watched,
            beat_at=when,
        )
        if watched == first.duration_s:
            score = rng.choice([60, 80, 100, 100, 40])
            row.attempts, row.best_score = 1, score
            attempts.append(
                QuizAttempt(
                    lesson=first,
                    user=user,
                    score=score,
                    passed=score >= course.pass_score,
                    submitted_at=when,
                )
            )
            if score >= course.pass_score:
                row.completed_at = when
        rows.append(row)
    Progress.objects.bulk_create(rows, batch_size=500)
    QuizAttempt.objects.bulk_create(attempts, batch_size=500)
    return len(rows)
