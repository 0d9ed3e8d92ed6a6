"""The mediation demo: committees, mediators, rooms and a year of disputes in every state,
loaded on top of the organization demo; a second run adds nothing."""

import io
from collections import Counter

import pytest

from zhili.mediation import demo
from zhili.mediation.models import (
    Agreement,
    Committee,
    Dispute,
    DisputeEvent,
    DisputeState,
    Mediator,
    RiskAlert,
)
from zhili.mediation.selectors import committee_warnings, current_members, dispute_list
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def test_demo_loads_every_state_and_is_idempotent() -> None:
    load_orgs(stdout=io.StringIO())
    out = io.StringIO()
    demo.load(stdout=out)
    assert "矛盾纠纷" in out.getvalue()
    states = Counter(Dispute.objects.values_list("state", flat=True))
    assert set(states) == set(DisputeState.values)
    assert 280 <= sum(states.values()) <= 320
    assert Committee.objects.filter(level="county").count() == 1
    assert Committee.objects.filter(level="township").count() == 21
    assert Committee.objects.filter(level="village").count() >= 21
    tjy, tjzr = User.objects.get(username="tjy"), User.objects.get(username="tjzr")
    assert tjy.mediator.committee.organization.code == "320722003"
    assert tjy.has_usable_password() and tjzr.groups.filter(name="mediation_chair").exists()
    assert Mediator.objects.filter(user__username="mediator", committee__level="county").exists()
    assert dispute_list(user=tjy).exists()
    assert not dispute_list(user=tjy).exclude(path__startswith=tjy.organization.path).exists()
    assert RiskAlert.objects.count() >= 10
    warned = Agreement.objects.filter(
        confirmation_warned_at__isnull=False,
        confirmation_applied_at__isnull=True,
        dispute__state__in=["agreed", "following_up"],
    )
    assert warned.count() >= 3
    archived = Dispute.objects.filter(state="archived").first()
    assert archived.search_tokens and archived.closed_at
    assert archived.events.first().action == "register"
    assert all(p.id_number or p.org_code for p in archived.parties.all())
    assert any(
        committee_warnings(c, current_members(c))
        for c in Committee.objects.prefetch_related("members")
    )
    counts = (Dispute.objects.count(), DisputeEvent.objects.count(), User.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Dispute.objects.count(), DisputeEvent.objects.count(), User.objects.count()) == counts
