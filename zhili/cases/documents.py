"""What the case pages print (zhili/cases/views/printing.py):

- the 工单处理单: the whole record of a case for the file (who called, where, what, the
  handling units and their deadlines, every step, the reply and the rating), with boxes for
  signatures;
- the 受理回执: the receipt given or sent to the caller (the case number, what happens next,
  how to follow its progress on the citizen page or by the hotline).

Both are made from a case fetched through the scoped selector and both are audited as prints
of personal data (`personal_data_print`). The caller's phone is masked as in the lists; the
工单处理单 prints it in full only for a user who may reveal it and asks to (the reveal rule),
and its audit row says so. The receipt never prints more than the masked number.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhili.cases import deadlines
from zhili.cases.models import Case, State
from zhili.core.personal import mask_phone, personal_data_print
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.orgs.models import Kind, Level, Organization
from zhili.orgs.selectors import organization_ancestors

# States in which the case has been answered: the receipt no longer promises a deadline.
ANSWERED = {State.REPLIED, State.CLOSED, State.RATED}


@dataclass(frozen=True)
class Caller:
    """The caller as a printed page shows them."""

    anonymous: bool
    name: str
    phone: str  # masked unless `full`; "" when no number was given
    tail: str  # the last four digits the progress page asks for
    full: bool

    @property
    def fields(self) -> tuple[str, ...]:
        """The personal data printed, for the audit row."""
        if self.anonymous:
            return ()
        printed: tuple[str, ...] = ("reporter_name",) if self.name else ()
        if self.phone:
            printed += ("reporter_phone:full" if self.full else "reporter_phone",)
        return printed


@dataclass(frozen=True)
class Receipt:
    caller: Caller
    intake_unit: Organization  # who registered the request (its seal goes on the receipt)
    steps: tuple[tuple[str, str], ...]  # (heading, text): what happens next
    progress_url: str
    hotline: str


def county_center(case: Case) -> Organization:
    """The county's governance center above the case's dispatch center (the heading of the
    printed forms); the dispatch center itself when none is found."""
    center = case.dispatch_center
    chain = [*organization_ancestors(center), center]
    return next(
        (o for o in chain if o.level == Level.COUNTY and o.kind == Kind.CENTER),
        center,
    )


def intake_unit(case: Case) -> Organization:
    """The unit of the officer who registered the case; the dispatch center for a request
    that came in by itself (the citizen page, a push, Open311)."""
    registrar = case.registered_by
    if registrar is not None and registrar.organization is not None:
        return registrar.organization
    return case.dispatch_center


def _caller(case: Case, *, full: bool) -> Caller:
    phone = case.reporter_phone or ""
    if case.anonymous:
        return Caller(anonymous=True, name="", phone="", tail="", full=False)
    return Caller(
        anonymous=False,
        name=case.reporter_name,
        phone=phone if full else mask_phone(phone),
        tail=phone[-4:] if len(phone) >= 4 else "",
        full=full and bool(phone),
    )


@transaction.atomic
def case_form_print(*, actor: Actor, case: Case, full_phone: bool = False) -> Caller:
    """The caller for the 工单处理单 of `case` (from a scoped selector); audited. A full
    phone number needs the reveal permission, as on the detail page."""
    if full_phone:
        require(actor, Action.PERSONAL_DATA_REVEAL)
    caller = _caller(case, full=full_phone)
    personal_data_print(actor=actor, target=case, document="cases.form", fields=caller.fields)
    return caller


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def next_steps(case: Case, caller: Caller, hotline: str) -> tuple[tuple[str, str], ...]:
    """What happens to the request after intake, as the receipt tells the caller."""
    if case.lead_unit is not None:
        dispatch = f"您的诉求已派至{case.lead_unit.name}办理。"
    elif case.state == State.HELD:
        dispatch = "您的诉求已转入专门程序办理，办理结果将一并答复您。"
    else:
        dispatch = f"{case.dispatch_center.name}将按照权责清单，把您的诉求派至责任单位办理。"
    if case.state in ANSWERED and case.replied_at:
        limit = f"您的诉求已于{_when(case.replied_at)}办理答复。"
    elif case.due_at is not None:
        limit = f"承办单位应于{_when(case.due_at)}前办结并答复您。"
    else:
        handle = deadlines.limits_for(case.category, case.urgency).handle
        basis = "" if handle.calendar else "（遇法定节假日顺延）"
        limit = f"承办单位应自派单之时起{handle.text}内办结并答复您{basis}。"
    if caller.phone:
        reply = f"办理结果将通过您留下的联系电话（{caller.phone}）答复您，请保持电话畅通。"
    else:
        reply = f"您未留联系电话，请凭工单编号拨打{hotline}热线查询办理结果。"
    if case.rating:
        rating = f"已回访，您的评价为“{case.get_rating_display()}”。感谢您的监督！"
    else:
        rating = "办结后我们将进行回访，请您对办理结果作出评价（满意、基本满意或不满意）。"
    return (("派单办理", dispatch), ("办理时限", limit), ("结果答复", reply), ("回访评价", rating))


def progress_url(case: Case, base: str) -> str:
    """The citizen page's progress lookup with the case number filled in; `base` is the
    platform's address as the public reaches it (ZHILI_PUBLIC_URL, else the request's)."""
    root = settings.ZHILI_PUBLIC_URL or base.rstrip("/")
    return f"{root}{reverse('portal:progress')}?{urlencode({'case_no': case.case_no})}"


@transaction.atomic
def case_receipt_print(*, actor: Actor, case: Case, base: str) -> Receipt:
    """The 受理回执 of `case` (from a scoped selector); audited. The phone stays masked."""
    caller = _caller(case, full=False)
    personal_data_print(actor=actor, target=case, document="cases.receipt", fields=caller.fields)
    hotline = settings.ZHILI_HOTLINE
    return Receipt(
        caller=caller,
        intake_unit=intake_unit(case),
        steps=next_steps(case, caller, hotline),
        progress_url=progress_url(case, base),
        hotline=hotline,
    )
