"""The same matter as a petition being registered: the same petitioner with the same request
and facts (see zhili.petitions.services.registration). One of the petitioners is a petitioner
of the other petition, and their texts (title and matter) share most of their character pairs
(`SAME_MATTER_SIMILARITY`)."""

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from zhili.petitions.models import Petition, Petitioner, State

# Two texts are "the same matter" when their character pairs overlap this much.
SAME_MATTER_SIMILARITY = 0.35

_HAN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")


def _pairs(text: str) -> set[str]:
    pairs: set[str] = set()
    for run in _HAN.findall(text or ""):
        pairs.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return pairs


def similarity(a: str, b: str) -> float:
    left, right = _pairs(a), _pairs(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def _same_matter(candidates: QuerySet[Petition], text: str) -> Petition | None:
    for candidate in candidates[:20]:
        if similarity(text, f"{candidate.title} {candidate.matter}") >= SAME_MATTER_SIMILARITY:
            return candidate
    return None


def closed_by_re_review(petitioner_ids: list[int], text: str) -> Petition | None:
    """The latest petition of these petitioners on the same matter whose re-review is
    decided, if any."""
    if not petitioner_ids:
        return None
    candidates = (
        Petition.objects.filter(
            parties__petitioner_id__in=petitioner_ids, re_review_decided_at__isnull=False
        )
        .distinct()
        .order_by("-re_review_decided_at")
    )
    return _same_matter(candidates, text)


# A petition in these states is still being handled (not concluded by a close, a refusal or a
# re-review).
CONCLUDED = {State.CLOSED, State.NOT_ACCEPTED, State.RE_REVIEWED}


def handled_elsewhere(petitioner_ids: list[int], text: str) -> Petition | None:
    """The latest petition of these petitioners on the same matter still being handled."""
    if not petitioner_ids:
        return None
    candidates = (
        Petition.objects.filter(parties__petitioner_id__in=petitioner_ids)
        .exclude(state__in=CONCLUDED)
        .select_related("handling_unit", "registering_unit")
        .distinct()
        .order_by("-received_at")
    )
    return _same_matter(candidates, text)


def pending_message(other: Petition) -> str:
    unit = other.handling_unit or other.registering_unit
    return (
        f"同一信访人就同一事项已有信访件 {other.number} 正在办理"
        f"（{unit.name}，{State(other.state).label}）"
    )


@dataclass(frozen=True)
class SameMatter:
    """What the registration found of the same matter: closed by re-review (`repeat_of`,
    with the officer's new facts in `override`) or still handled elsewhere (`pending_of`)."""

    repeat_of: Petition | None
    pending_of: Petition | None
    override: str

    @property
    def refused(self) -> bool:
        """Closed by re-review and no new facts: registered as not accepted."""
        return self.repeat_of is not None and not self.override


def same_matter_of(people: list[Petitioner], title: str, matter: str, override: str) -> SameMatter:
    """The same matter of these petitioners, closed by re-review or still handled."""
    text = f"{title} {matter}"
    repeat_of = closed_by_re_review([p.pk for p in people], text)
    pending_of = None if repeat_of else handled_elsewhere([p.pk for p in people], text)
    return SameMatter(repeat_of, pending_of, (override or "").strip()[:500])


def repeat_check(*, petitioner_ids: list[int], text: str) -> Petition | None:
    """For the registration page: would this registration be flagged as a repeat?"""
    return closed_by_re_review(petitioner_ids, text)
