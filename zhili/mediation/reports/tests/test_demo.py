"""The demo's exemplary cases: one per type among archived agreements, idempotent."""

from io import StringIO

import pytest

from zhili.core.models import AuditLog
from zhili.mediation.models import Dispute, DisputeEvent
from zhili.mediation.reports import demo
from zhili.mediation.reports.tests.conftest import at, make_dispute

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def test_demo_marks_one_case_per_type_once(world):
    for kind in ("neighbourhood", "neighbourhood", "labour"):
        make_dispute(world.c1, kind=kind, outcome="agreement", outcome_at=at(2026, 10, 2))
    make_dispute(world.c1, kind="contract", outcome="no_agreement")
    make_dispute(world.c1, kind="medical", outcome="agreement", archived=False)
    Dispute.objects.update(is_demo=True)
    out = StringIO()
    demo.load(stdout=out)
    marked = Dispute.objects.filter(is_exemplary=True)
    assert sorted(marked.values_list("kind", flat=True)) == ["labour", "neighbourhood"]
    assert all(d.exemplary_note for d in marked)
    assert DisputeEvent.objects.filter(action="mark_exemplary").count() == 2
    assert "典型案例 2 件" in out.getvalue()
    demo.load(stdout=out)
    assert Dispute.objects.filter(is_exemplary=True).count() == 2
    assert AuditLog.objects.filter(action="mediation.dispute.mark_exemplary").count() == 2
