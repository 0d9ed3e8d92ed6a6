"""The writes of the collections: marking a dispute as an exemplary case (典型案例) and taking
the mark back; and the exports of the statistics and the collection (the monthly report's
XLSX, the anthology's Word file), each audited.

Only an archived dispute settled by an agreement can be exemplary: the anthology tells a
mediation that worked, with its agreement. Marking is for MEDIATION_MANAGE holders who see
the dispute (out of sight is the same 404 as missing, before the role is asked). The change is a
conditional update on the old mark, with a timeline row and an audit row in one transaction.
"""

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier import record_history
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.mediation.models import Agreement, Dispute, DisputeState, Outcome
from zhili.mediation.reports.anthology import Anthology, render_anthology
from zhili.mediation.reports.table import MonthlyTable
from zhili.mediation.reports.workbook import render_monthly_xlsx
from zhili.mediation.workflow import KIND

NOTE_MAX = 2000


def _check(actor: Actor, dispute: Dispute) -> None:
    check_visible(KIND, actor, dispute)  # out of sight: 404, as if it did not exist
    require(actor, Action.MEDIATION_MANAGE)


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise InvalidInput("请填写案例评析（典型意义）", field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"评析不能超过 {NOTE_MAX} 字", field="note")
    return note


def _history(actor: Actor, dispute: Dispute, action: str, note: str) -> None:
    state = dispute.state
    record_history(KIND, dispute, action, from_state=state, to_state=state, actor=actor, note=note)


def _set_mark(dispute: Dispute, mark: bool, actor: Actor, note: str, **where: object) -> bool:
    """Set (`mark`) or clear the exemplary mark, conditionally on the old mark and `where`;
    False when the condition no longer holds."""
    now = timezone.now()
    return bool(
        Dispute.objects.filter(pk=dispute.pk, is_exemplary=not mark, **where).update(
            is_exemplary=mark,
            exemplary_note=note,
            exemplary_at=now if mark else None,
            exemplary_by=actor if mark else None,
            updated_at=now,
        )
    )


@transaction.atomic
def dispute_mark_exemplary(*, actor: Actor, dispute: Dispute, note: str) -> Dispute:
    """Mark an archived, agreed dispute as an exemplary case, with its commentary (评析)."""
    _check(actor, dispute)
    note = _clean_note(note, required=True)
    if dispute.state != DisputeState.ARCHIVED or dispute.outcome != Outcome.AGREEMENT:
        raise Conflict("只有已归档且调解成功的纠纷才能评为典型案例", code="wrong_state")
    if not Agreement.objects.filter(dispute=dispute).exists():
        raise Conflict("该纠纷没有调解协议，不能评为典型案例", code="wrong_state")
    if not _set_mark(dispute, True, actor, note, state=DisputeState.ARCHIVED):
        raise Conflict("该纠纷已是典型案例", code="already_exemplary")
    return _marked(actor, dispute, "mark_exemplary", note)


def _marked(actor: Actor, dispute: Dispute, action: str, note: str) -> Dispute:
    """The dispute as stored after its mark changed, with its timeline line and audit row."""
    dispute.refresh_from_db()
    _history(actor, dispute, action, note)
    audit(actor, f"mediation.dispute.{action}", dispute, number=dispute.number)
    return dispute


@transaction.atomic
def dispute_unmark_exemplary(*, actor: Actor, dispute: Dispute, reason: str = "") -> Dispute:
    """Take the exemplary mark back (the commentary stays in the timeline)."""
    _check(actor, dispute)
    reason = _clean_note(reason, required=False)
    if not _set_mark(dispute, False, actor, ""):
        raise Conflict("该纠纷不是典型案例", code="not_exemplary")
    return _marked(actor, dispute, "unmark_exemplary", reason)


@transaction.atomic
def monthly_export(*, actor: Actor, table: MonthlyTable) -> bytes:
    """The monthly report (人民调解工作统计月报表) as XLSX, its export audited."""
    month = f"{table.year}-{table.month:02d}"
    audit(actor, "mediation.monthly.export", None, unit=table.unit_name, month=month)
    return render_monthly_xlsx(table, preparer=actor.display_name)


@transaction.atomic
def anthology_export(*, actor: Actor, anthology: Anthology) -> bytes:
    """The anthology of exemplary cases (人民调解案例选集) as a Word file, its export audited."""
    audit(actor, "mediation.anthology.export", None, cases=len(anthology.cases))
    return render_anthology(anthology)
