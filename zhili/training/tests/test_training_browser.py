"""Online training in Debian's chromium: a township officer makes a course for all the
township's villages on the page, uploads a lesson's MP4 and a quiz question, publishes it; a
village officer plays the lesson halfway (the page's beats: half watched, quiz locked), then
to the end, passes the quiz, and the organizer's page shows the village 1 of 2 complete.
Screenshots in /work/shots/training-*.png."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from zhili.conftest import Tree, wait_until
from zhili.training.models import Course, Progress
from zhili.web.tests.conftest import BROWSER, login, pump

pytestmark = BROWSER
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else Path("test-artifacts")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"training-{name}.png"), full_page=True)


def played_to(page: Any, second: float) -> None:
    """Play (muted: no gesture needed) until `second`, then pause."""
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    wait_until(
        lambda: page.evaluate("document.querySelector('video').currentTime") >= second,
        second + 20,
        f"the lesson plays to {second} s",
        pause=pump(page),
    )
    page.evaluate("document.querySelector('video').pause()")


def shown_percent(page: Any) -> int:
    return int(page.get_attribute("[data-testid=my-status]", "data-percent") or -1)


def test_a_course_is_made_watched_halfway_then_to_the_end_and_its_quiz_passed(
    live_server: Any, browser: Any, personas: Tree, videos: Tree
) -> None:
    base = live_server.url
    organizer = browser.new_context(
        viewport={"width": 1366, "height": 860}, locale="zh-CN"
    ).new_page()
    login(organizer, base, "township")
    organizer.goto(f"{base}/training/")
    organizer.fill("[data-testid=course-form] input[name=title]", "矛盾纠纷排查化解实务")
    due = timezone.localdate() + timedelta(days=30)
    organizer.fill("[data-testid=course-form] input[name=due_on]", f"{due:%Y-%m-%d}")
    organizer.check("[data-testid=course-form] input[name=groups][value=villages]")
    organizer.click("[data-testid=course-submit]")
    organizer.wait_for_selector("[data-testid=course-detail]")
    course = Course.objects.get()
    assert set(course.audience.values_list("name", flat=True)) == {"甲一村", "甲二村"}
    organizer.fill("[data-testid=recorded-form] input[name=title]", "第一讲 人民调解法要点")
    organizer.set_input_files("[data-testid=recorded-form] input[name=video]", str(videos.short))
    organizer.click("[data-testid=recorded-submit]")
    organizer.wait_for_selector("[data-testid=lesson-row-1]")
    organizer.click("[data-testid=lesson-row-1] a")
    organizer.select_option("[data-testid=question-form] select[name=kind]", "single")
    organizer.fill(
        "[data-testid=question-form] input[name=text]", "人民调解委员会调解民间纠纷，收费吗？"
    )
    organizer.fill(
        "[data-testid=question-form] textarea[name=options]", "不收取任何费用\n收取少量费用"
    )
    organizer.fill("[data-testid=question-form] input[name=answer]", "A")
    organizer.click("[data-testid=question-submit]")
    organizer.wait_for_selector("[data-testid=question-1]")
    shot(organizer, "lesson-organizer")
    organizer.goto(f"{base}/training/{course.number}/")
    organizer.click("[data-testid=action-publish]")
    organizer.click("[data-testid=submit-publish]")
    organizer.wait_for_selector("[data-testid=course-state]:has-text('已发布')")

    learner_context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
    learner = learner_context.new_page()
    errors: list[str] = []
    learner.on("pageerror", lambda exc: errors.append(str(exc)))
    login(learner, base, "village")
    learner.goto(f"{base}/training/")
    assert "已完成 0/1 课时" in learner.inner_text(f"[data-testid=course-row-{course.number}]")
    learner.click(f"[data-testid=course-row-{course.number}] a")
    learner.click("[data-testid=lesson-row-1] a")
    learner.wait_for_selector("[data-testid=quiz-locked]")
    played_to(learner, 8)
    wait_until(lambda: 45 <= shown_percent(learner) <= 60, 10, "half shown", pause=pump(learner))
    row = Progress.objects.get(user=personas.village)
    assert row.watched_s == pytest.approx(8, abs=1.5) and row.completed_at is None
    shot(learner, "lesson-half")
    played_to(learner, 15.9)
    wait_until(lambda: shown_percent(learner) >= 95, 15, "all shown", pause=pump(learner))
    learner.reload()
    learner.check("[data-testid=question-1] input[value='0']")
    learner.click("[data-testid=quiz-submit]")
    learner.wait_for_selector("[data-testid=quiz-result]:has-text('100')")
    assert "本课时已完成" in learner.inner_text("[data-testid=my-status]")
    shot(learner, "lesson-done")
    assert not errors, errors

    organizer.goto(f"{base}/training/{course.number}/")
    # 甲镇's villages in one row: 甲一村's two on the course, one complete (甲二村 has none).
    unit = organizer.inner_text("[data-testid=unit-row-320722901]")
    assert unit.split()[:5] == ["甲镇综治中心", "（2", "个单位）", "2", "1"] and "50%" in unit
    shot(organizer, "course")
    organizer.goto(f"{base}/training/")
    shot(organizer, "list")
