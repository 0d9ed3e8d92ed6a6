"""The scoped reads of the collections: the full-text search of archived disputes, the
exemplary cases and their anthology, and the rankings of mediators and rooms.

Every read takes the user and filters on the dispute's materialized `path` through
`scope_for`; a dispute outside the scope is the same 404 as a missing one.

Full text: `Dispute.search_tokens` holds the jieba tokens of the archived dossier joined by
single spaces (`zhili.cases.text.search_tokens`: words and the pairs of adjacent Chinese
characters). A query is cut by `zhili.cases.text.query_terms` (its words, a Chinese word as its
character pairs) and every term must be one whole token. The tokens are indexed like the
cases' (zhili/mediation/migrations/0004_dispute_search.py): on SQLite an FTS5 table kept in
step by triggers, matched with every term as a quoted phrase; on PostgreSQL a generated
tsvector column ('simple') with a GIN index, matched with `plainto_tsquery` (every term,
AND). Another database falls back to a scan of the padded column " tok1 tok2 ... " for
" term ". A dispute number typed in the box finds that dispute.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Protocol

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone

from zhili.cases.text import query_terms
from zhili.core.dates import period_bounds
from zhili.core.errors import InvalidInput
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.mediation.models import (
    Agreement,
    Dispute,
    DisputeKind,
    DisputeState,
    MediationRoom,
    Mediator,
    Outcome,
    Performed,
    Session,
)
from zhili.mediation.reports import ranking
from zhili.mediation.reports.anthology import AnthologyCase, Person, SessionText
from zhili.mediation.selectors import dispute_list

MAX_TERMS = 12
# A dispute number typed in the search box (TJ2026-000123) finds that dispute.
NUMBER = re.compile(r"[A-Za-z]{1,4}\d{4}-\d{3,8}")
MEDIATED = (Outcome.AGREEMENT, Outcome.NO_AGREEMENT)


def disputes_for(user: Actor) -> QuerySet[Dispute]:
    """The disputes the user may see (the dossiers' own rule), without the list's joins."""
    return dispute_list(user=user).select_related(None)


def dispute_get(*, user: Actor, number: str) -> Dispute:
    return one_or_not_found(
        disputes_for(user).select_related("committee"), "矛盾纠纷不存在", number=number
    )


# --- full-text search --------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    text: str = ""
    kind: str = ""
    start: date | None = None  # archived on or after
    end: date | None = None  # archived on or before
    exemplary: bool = False


def archived_disputes(*, user: Actor) -> QuerySet[Dispute]:
    return disputes_for(user).filter(state=DisputeState.ARCHIVED)


def _date_filter(
    qs: QuerySet[Dispute], field: str, start: date | None, end: date | None
) -> QuerySet[Dispute]:
    if start and end:
        begin, until = period_bounds(start, end)
        return qs.filter(**{f"{field}__gte": begin, f"{field}__lt": until})
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(**{f"{field}__gte": datetime.combine(start, time.min, tz)})
    if end:
        qs = qs.filter(**{f"{field}__lt": datetime.combine(end + timedelta(days=1), time.min, tz)})
    return qs


def search_terms(text: str) -> list[str]:
    """The query's terms, at most MAX_TERMS (a pasted paragraph is refused, not run)."""
    terms = query_terms(text or "")
    if len(terms) > MAX_TERMS:
        raise InvalidInput(f"检索词过多，请精简到 {MAX_TERMS} 个词以内", field="q")
    return terms


def fts_match(terms: list[str]) -> str:
    """The FTS5 query requiring every term: each a quoted string (a quote doubled), so that
    FTS5's operators (AND, NEAR, *, ^, parentheses) typed in the box are plain words."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def match_terms(qs: QuerySet[Dispute], terms: list[str]) -> QuerySet[Dispute]:
    """Disputes whose tokens hold every term as a whole token, through the full-text index
    of the database (the caller adds the scope and the archived state)."""
    if not terms:
        return qs
    vendor = connections[qs.db].vendor
    if vendor == "postgresql":
        # `search` is the generated tsvector column of migration 0004 (not a model field).
        found = RawSQL(
            '"mediation_dispute"."search" @@ plainto_tsquery(\'simple\', %s)',
            [" ".join(terms)],
            output_field=BooleanField(),
        )
        return qs.filter(found)
    if vendor == "sqlite":
        ids = RawSQL(
            "SELECT rowid FROM mediation_dispute_fts WHERE mediation_dispute_fts MATCH %s",
            [fts_match(terms)],
        )
        return qs.filter(pk__in=ids)
    return _scan_terms(qs, terms)


def _scan_terms(qs: QuerySet[Dispute], terms: list[str]) -> QuerySet[Dispute]:
    """Without an index: the padded column contains " term " for every term (a full scan)."""
    qs = qs.annotate(
        _tokens=Concat(Value(" "), "search_tokens", Value(" "), output_field=TextField())
    )
    condition = Q()
    for term in terms:
        condition &= Q(_tokens__contains=f" {term} ")
    return qs.filter(condition)


def dispute_search(*, user: Actor, filters: SearchFilters) -> QuerySet[Dispute]:
    """Archived disputes in the user's scope matching the filters, newest archive first."""
    qs = archived_disputes(user=user)
    if filters.kind:
        if filters.kind not in DisputeKind.values:
            raise InvalidInput("纠纷类型不正确", field="kind")
        qs = qs.filter(kind=filters.kind)
    if filters.exemplary:
        qs = qs.filter(is_exemplary=True)
    qs = _date_filter(qs, "closed_at", filters.start, filters.end)
    text = (filters.text or "").strip()
    if NUMBER.fullmatch(text):
        qs = qs.filter(number=text.upper())
    else:
        qs = match_terms(qs, search_terms(text))
    return qs.select_related("committee", "agreement").order_by("-closed_at", "-id")


# --- exemplary cases and the anthology -----------------------------------------------------------


def exemplary_cases(
    *, user: Actor, start: date | None = None, end: date | None = None, kind: str = ""
) -> QuerySet[Dispute]:
    """The exemplary cases in scope, by the date their dispute was archived."""
    return dispute_search(
        user=user, filters=SearchFilters(kind=kind, start=start, end=end, exemplary=True)
    ).select_related("exemplary_by")


def _day(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日"


def _names(mediators: Iterable[Mediator]) -> str:
    return "、".join(m.user.display_name for m in mediators)


def anthology_case(dispute: Dispute) -> AnthologyCase:
    """The plain record of one dispute for the anthology (anonymized when written)."""
    agreement = getattr(dispute, "agreement", None)
    return AnthologyCase(
        number=dispute.number,
        title=dispute.title,
        kind=dispute.get_kind_display(),
        committee=dispute.committee.name,
        registered_on=_day(dispute.registered_at),
        parties=[Person(p.name, p.kind == "person") for p in dispute.parties.all()],
        background=dispute.summary,
        sessions=[_session_text(s) for s in dispute.sessions.all()],
        matters=agreement.matters if agreement else "",
        terms=agreement.terms if agreement else "",
        performance=_performance(agreement),
        commentary=dispute.exemplary_note,
        mediators=_names(_mediators(dispute)),
    )


def _session_text(session: Session) -> SessionText:
    return SessionText(
        held_on=_day(session.held_at),
        mode=session.get_mode_display(),
        place=session.room.name if session.room else session.place,
        mediators=_names(session.mediators.all()),
        record=session.record,
    )


def _performance(agreement: Agreement | None) -> str:
    """How the agreement is to be performed, and what the follow-up found."""
    if agreement is None:
        return ""
    performance = agreement.performance
    if agreement.performed:
        checked = agreement.get_performed_display()
        note = f",{agreement.performance_note}" if agreement.performance_note else ""
        performance = f"{performance}。回访：{checked}{note}".lstrip("。")
    return performance


def _mediators(dispute: Dispute) -> list[Mediator]:
    """The dispute's mediators, the lead first when not among them."""
    mediators = list(dispute.mediators.all())
    if dispute.lead_mediator and dispute.lead_mediator not in mediators:
        mediators.insert(0, dispute.lead_mediator)
    return mediators


def anthology_cases(qs: QuerySet[Dispute]) -> list[AnthologyCase]:
    rows = qs.select_related("committee", "agreement", "lead_mediator__user").prefetch_related(
        "parties", "mediators__user", "sessions__room", "sessions__mediators__user"
    )
    return [anthology_case(d) for d in rows.order_by("closed_at", "id")]


# --- rankings (十佳调解能手, 十佳调解室) ----------------------------------------------------------


def mediated_disputes(user: Actor, start: date, end: date) -> QuerySet[Dispute]:
    """What the rankings count: the disputes in the user's sight mediated to an end
    (agreement or none) in [start, end]."""
    begin, until = period_bounds(start, end)
    return disputes_for(user).filter(
        outcome__in=MEDIATED, outcome_at__gte=begin, outcome_at__lt=until
    )


@dataclass
class _Count:
    mediated: int = 0
    succeeded: int = 0
    performed: int = 0
    partly: int = 0

    def add(self, outcome: str, performed: str | None) -> None:
        self.mediated += 1
        if outcome == Outcome.AGREEMENT:
            self.succeeded += 1
            self.performed += performed == Performed.YES
            self.partly += performed == Performed.PARTLY


def _dispute_rows(
    qs: QuerySet[Dispute],
) -> dict[int, tuple[str, str | None, int | None, int | None]]:
    """id -> (outcome, agreement's performed, lead mediator id, room id)."""
    return {
        pk: (outcome, performed, lead, room)
        for pk, outcome, performed, lead, room in qs.values_list(
            "pk", "outcome", "agreement__performed", "lead_mediator_id", "room_id"
        )
    }


def dispute_mediators(qs: QuerySet[Dispute]) -> dict[int, set[int]]:
    """Dispute id -> the mediators who took part: the lead and the co-mediators."""
    who: dict[int, set[int]] = defaultdict(set)
    for pk, lead in qs.filter(lead_mediator__isnull=False).values_list("pk", "lead_mediator_id"):
        who[pk].add(lead)
    through = Dispute.mediators.through.objects.filter(dispute_id__in=qs.values("pk"))
    for dispute_id, mediator_id in through.values_list("dispute_id", "mediator_id"):
        who[dispute_id].add(mediator_id)
    return who


def mediator_tallies(*, user: Actor, start: date, end: date) -> list[ranking.Tally]:
    """Per mediator: the disputes mediated to an end in the period (lead or co-mediator)."""
    qs = mediated_disputes(user, start, end)
    rows = _dispute_rows(qs)
    counts: dict[int, _Count] = defaultdict(_Count)
    for pk, mediators in dispute_mediators(qs).items():
        outcome, performed, _lead, _room = rows[pk]
        for mediator_id in mediators:
            counts[mediator_id].add(outcome, performed)
    people = Mediator.objects.filter(pk__in=counts).select_related("user", "committee")
    return [
        ranking.Tally(
            key=m.pk,
            name=m.user.display_name,
            unit=m.committee.name,
            **vars(counts[m.pk]),
        )
        for m in people
    ]


def room_tallies(*, user: Actor, start: date, end: date) -> list[ranking.Tally]:
    """Per mediation room: the disputes mediated to an end in the period in that room."""
    counts: dict[int, _Count] = defaultdict(_Count)
    for outcome, performed, _lead, room in _dispute_rows(
        mediated_disputes(user, start, end)
    ).values():
        if room:
            counts[room].add(outcome, performed)
    rooms = MediationRoom.objects.filter(pk__in=counts).select_related("committee")
    return [
        ranking.Tally(key=r.pk, name=r.name, unit=r.committee.name, **vars(counts[r.pk]))
        for r in rooms
    ]


class Tallies(Protocol):
    """What a ranking counts: mediator_tallies or room_tallies."""

    def __call__(self, *, user: Actor, start: date, end: date) -> list[ranking.Tally]: ...


def ranked(
    tallies: Tallies,
    *,
    user: Actor,
    start: date,
    end: date,
    min_cases: int = ranking.MIN_CASES,
    top: int = ranking.TOP,
) -> list[ranking.Ranked]:
    """The first `top` by the formula in `zhili.mediation.reports.ranking`."""
    return ranking.rank(tallies(user=user, start=start, end=end), min_cases=min_cases, top=top)


# 十佳调解能手 and 十佳调解室: the same formula over each mediator's and each room's disputes.
mediator_ranking = partial(ranked, mediator_tallies)
room_ranking = partial(ranked, room_tallies)
