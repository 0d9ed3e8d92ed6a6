"""Visit cycles: the care level sets the due date; a visit sent twice is recorded once; a grid
worker of another grid sees no visits of this one."""

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from zhili.cases.tests.test_api import get, post
from zhili.registers import services, visits
from zhili.registers.models import PersonRole, Visit
from zhili.registers.tests.conftest import ID, People


def due(client: Any, user: Any, before: Any) -> list[dict]:
    response = get(client, user, f"/api/v1/visits?due_before={quote(before.isoformat())}")
    assert response.status_code == 200, response.content
    return list(response.json())


def test_cycle_and_idempotent_visit(client: Any, people: People, settings: Any) -> None:
    settings.ZHILI_VISIT_DAYS = {"high": 7, "normal": 30, "low": 90}
    person = services.person_create(
        actor=people.gridworker, values={"id_number": ID, "name": "赵强", "grid": "32072290100101"}
    )
    high = services.role_add(
        actor=people.gridworker, person_id=person.pk, kind="drug", care_level="high"
    )
    low = services.role_add(
        actor=people.gridworker, person_id=person.pk, kind="floating", care_level="low"
    )
    now = timezone.now()
    rows = due(client, people.gridworker, now + timedelta(days=8))
    assert [(r["kind"], r["due_at"][:10]) for r in rows] == [
        ("drug", (high.started_at + timedelta(days=7)).date().isoformat())
    ]
    assert len(due(client, people.gridworker, now + timedelta(days=91))) == 2
    assert due(client, people.other_worker, now + timedelta(days=91)) == []
    body = {
        "client_uuid": str(uuid.uuid4()),
        "person_id": person.pk,
        "role_id": high.pk,
        "visited_at": now.isoformat(),
        "notes": "在家，情况稳定",
        "lat": 34.505,
        "lng": 118.705,
    }
    first = post(client, people.gridworker, "/api/v1/visits", body)
    again = post(client, people.gridworker, "/api/v1/visits", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Visit.objects.count() == 1
    # Visited now: the next visit is a week on, no longer due within 6 days.
    assert due(client, people.gridworker, now + timedelta(days=6)) == []
    assert all(r["overdue"] is False for r in due(client, people.gridworker, now + timedelta(400)))
    # A low-care role registered 100 days ago and never visited is overdue by 10 days.
    PersonRole.objects.filter(pk=low.pk).update(started_at=now - timedelta(days=100))
    rows = due(client, people.gridworker, now)
    assert [(r["kind"], r["overdue"]) for r in rows] == [("floating", True)]


def test_a_special_groups_due_role_is_listed_only_for_who_may_see_it(
    people: People, settings: Any
) -> None:
    """The grid's own worker and the township see both roles; the county's dispatcher (the
    whole register, no special group) the ordinary one; the judicial officer (社区矫正) only
    the special one; the other township neither. The list reads plain rows: `role` is built
    for the page that shows it."""
    settings.ZHILI_VISIT_DAYS = {"high": 7, "normal": 30, "low": 90}
    person = services.person_create(
        actor=people.gridworker, values={"id_number": ID, "name": "赵强", "grid": "32072290100101"}
    )
    correction = services.role_add(
        actor=people.gridworker, person_id=person.pk, kind="correction", care_level="high"
    )
    services.role_add(
        actor=people.gridworker, person_id=person.pk, kind="floating", care_level="high"
    )
    before = timezone.now() + timedelta(days=8)

    def kinds(user: Any) -> list[str]:
        return sorted(d.role.kind for d in visits.visits_due(user, due_before=before))

    assert kinds(people.gridworker) == kinds(people.township) == ["correction", "floating"]
    assert kinds(people.dispatcher) == ["floating"]
    assert kinds(people.judicial) == ["correction"]
    assert kinds(people.other_township) == []
    row = visits.visits_due(people.gridworker, due_before=before, grid="32072290100101")[0]
    assert row.role == correction  # the earlier of the two (both a week from their start)
    assert (row.role.person.name, row.role.person.grid.code) == ("赵强", "32072290100101")
    assert row.due_at == row.role.started_at + timedelta(days=7) and row.last_visit is None
