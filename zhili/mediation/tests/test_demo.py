"""The mediation demo: committees, mediators, rooms and a year of disputes in every state,
loaded on top of the organization demo; a second run adds nothing."""

import io
from collections import Counter

import pytest

from zhili.mediation import demo
from zhili.mediation.models import (
    Agreement,
    AgreementParty,
    Committee,
    Dispute,
    DisputeEvent,
    DisputeState,
    Mediator,
    MediatorTraining,
    Outcome,
    RiskAlert,
)
from zhili.mediation.selectors import (
    committee_warnings,
    current_members,
    dispute_list,
    untrained_by_committee,
)
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.demo.hours import office_time_of_day
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
    _the_new_rules_hold()
    # Mediators and chairs act in office hours (a committee may meet on a weekend): nobody
    # registers or accepts a dispute at night.
    by_people = DisputeEvent.objects.exclude(actor__isnull=True)
    assert by_people.filter(action="accept").count() > 100
    night = [(e.action, e.created_at) for e in by_people if not office_time_of_day(e.created_at)]
    assert night == []
    counts = (Dispute.objects.count(), DisputeEvent.objects.count(), User.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Dispute.objects.count(), DisputeEvent.objects.count(), User.objects.count()) == counts


def _the_new_rules_hold() -> None:
    """The demo keeps the rules: a written agreement in effect has every party's liability
    and signature, the seal, and takes effect with the last of them; a party's termination
    names the party; disputes past their target are warned; some mediators lack training."""
    written = Agreement.objects.filter(form="written", effective_at__isnull=False)
    assert written.exists() and Agreement.objects.filter(form="oral").exists()
    for agreement in written.prefetch_related("signatories")[:50]:
        rows = list(agreement.signatories.all())
        assert len(rows) == agreement.dispute.parties.count()
        assert all(r.liability and r.signed_at for r in rows)
        last = max(
            [r.signed_at for r in rows] + [agreement.sealed_at, agreement.mediator_signed_at]
        )
        assert agreement.effective_at == last and agreement.confirmation_due is not None
    unsigned = Agreement.objects.get(form="written", effective_at__isnull=True)
    assert AgreementParty.objects.filter(agreement=unsigned, signed_at__isnull=True).exists()
    ended = Dispute.objects.filter(outcome=Outcome.TERMINATED)
    assert ended.exists() and all(d.terminated_by_id and d.termination_reason for d in ended)
    assert set(ended.values_list("state", flat=True)) <= {"terminated", "archived"}
    late = [d for d in Dispute.objects.filter(state__in=["accepted", "mediating"]) if d.past_target]
    assert len(late) >= 2 and all(d.handling_warned_at for d in late)
    assert DisputeEvent.objects.filter(action="target_warning").count() >= 2
    assert MediatorTraining.objects.exists()
    assert any(
        "本年度未参加培训" in w
        for c in Committee.objects.prefetch_related("members")
        for w in committee_warnings(
            c, current_members(c), untrained=untrained_by_committee([c.pk], _year()).get(c.pk)
        )
    )


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
