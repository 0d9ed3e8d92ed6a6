"""The admin's queue page (Django admin, 领域事件): the outbox's backlog, the failing events
with their errors, and the heartbeats of the scheduler and the worker."""

from typing import Any

import pytest
from django.utils import timezone

from zhili.core.tests.test_health import beats, event

pytestmark = pytest.mark.django_db


def test_admin_queue_page_shows_the_figures(admin_client: Any) -> None:
    beats(scheduler=65, worker=4)
    event(seconds_ago=125)
    event(seconds_ago=20)
    event(seconds_ago=10, delivered_at=timezone.now())
    broken = event(
        seconds_ago=30, attempts=4, last_error="handlers.notify: RuntimeError('下游不可用')"
    )
    response = admin_client.get("/admin/core/outboxevent/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "队列状态" in html
    queue = response.context["queue"]
    assert queue["pending"] == 2
    assert queue["failed"] == 1
    assert [e.pk for e in queue["failed_events"]] == [broken.pk]
    assert '<td id="queue-pending">2</td>' in html
    assert '<td id="queue-failed">1</td>' in html
    assert queue["oldest_pending"].startswith("2 分")  # 125 s and the few the clock ticked
    assert queue["scheduler"].startswith("1 分")
    assert queue["worker"].endswith("秒前")
    assert "下游不可用" in html
    assert "上限 5 分 0 秒" in html  # the outbox limit, ZHILI_HEALTH_OUTBOX_MAX_AGE


def test_admin_queue_page_without_any_beat(admin_client: Any) -> None:
    response = admin_client.get("/admin/core/outboxevent/?state=failed")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<td id="queue-scheduler">从未记录' in html
    assert '<td id="queue-worker">从未记录' in html
    assert 'id="queue-failed-events"' not in html
