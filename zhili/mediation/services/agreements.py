"""The mediation agreement: written or oral, the parties' liability and signatures, the seal,
the derived effective date and the judicial-confirmation window (人民调解法 第二十八条 to
第三十三条; the limits in deadlines.py).

`agreement_values` checks the `agree` action's inputs and `agreement_write` stores them;
`signatures_record` adds the signatures and seal still missing (the `sign` action). A written
agreement takes effect with the last of every party's signature, the mediator's and the
committee's seal; the effective date is never typed.

The inputs (`AgreementDraft` for `settlement.dispute_agree`, `Signing` for `dispute_sign`;
`liability_rows` and `signature_rows` read them from the rows of a form or of the API):
- `form`: "written" (default) or "oral";
- `matters`, `terms`, `performance`: the facts and disputed matters, the terms (for an oral
  agreement: what the mediator wrote down), how and when performed;
- `signed_at`: when the agreement was reached (default now);
- `liabilities`: one `LiabilityInput` per party (written);
- `signing` (`Signing`): the parties who signed (`SignatureInput`: how, and when, None for
  when the agreement was reached, or now for `sign`), the others signing later (`sign`); the
  signing mediator's id (default the lead mediator); when the mediator signed and the
  committee sealed (True: done, the time not given; None: not yet).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput
from zhili.core.types import SystemActor
from zhili.mediation import deadlines
from zhili.mediation.law import cite
from zhili.mediation.models import (
    Agreement,
    AgreementForm,
    AgreementParty,
    Dispute,
    Mediator,
    Party,
    SignMethod,
)
from zhili.mediation.services.common import (
    Data,
    as_moment,
    first_id,
    given,
    one_of,
    when,
)

RESET = {
    "confirmation_due": None,
    "confirmation_warn_on": None,
    "confirmation_provisional": False,
    "confirmation_applied_at": None,
    "court": "",
    "confirmation_result": "",
    "result_at": None,
    "confirmation_warned_at": None,
    "performed": "",
    "performance_note": "",
    "performance_checked_at": None,
}
# A signature or the seal: when (True: done, the time not given); None or False: not yet.
Done = datetime | bool | None


@dataclass(frozen=True)
class LiabilityInput:
    party: int
    liability: str


@dataclass(frozen=True)
class SignatureInput:
    party: int
    method: str = SignMethod.SIGN
    signed_at: datetime | None = None


@dataclass(frozen=True)
class Signing:
    """Who signed and sealed, as given to `agree` and `sign`."""

    signatures: Sequence[SignatureInput] = ()
    mediator: int | None = None
    mediator_signed_at: Done = None
    sealed_at: Done = None


@dataclass(frozen=True)
class AgreementDraft:
    """What `agree` is given (see the module's docstring)."""

    terms: str
    form: str = AgreementForm.WRITTEN
    matters: str = ""
    performance: str = ""
    signed_at: datetime | None = None
    liabilities: Sequence[LiabilityInput] = ()
    signing: Signing = Signing()


@dataclass
class Signature:
    party: Party
    method: str
    signed_at: datetime


@dataclass
class AgreementInput:
    form: str
    values: dict[str, str]
    signed_at: datetime
    liabilities: dict[int, str] = field(default_factory=dict)
    signatures: list[Signature] = field(default_factory=list)
    mediator: Mediator | None = None
    mediator_signed_at: datetime | None = None
    sealed_at: datetime | None = None


# --- reading the rows of a form or of the API ------------------------------------------------
def _rows(data: Data, name: str) -> list[Data]:
    raw = data.get(name) or []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise InvalidInput("格式不正确", field=name)
    return raw


def liability_rows(data: Data) -> list[LiabilityInput]:
    """`liabilities`: [{"party": id, "liability": text}]."""
    return [
        LiabilityInput(first_id(row, "party") or 0, str(row.get("liability") or ""))
        for row in _rows(data, "liabilities")
    ]


def signature_rows(data: Data) -> list[SignatureInput]:
    """`signatures`: [{"party": id, "method": sign|seal|fingerprint, "signed_at": moment}]."""
    return [
        SignatureInput(
            first_id(row, "party") or 0,
            str(row.get("method") or SignMethod.SIGN),
            as_moment(row, "signed_at", "签名时间"),
        )
        for row in _rows(data, "signatures")
    ]


def done(data: Data, name: str, label: str) -> Done:
    """A signature's or the seal's input: a moment, True (done, no time given), or None."""
    raw = data.get(name)
    if raw in (None, "", False):
        return None
    if raw is True:
        return True
    return as_moment(data, name, label)


# --- checking them -----------------------------------------------------------------------------
def _party(parties: dict[int, Party], pk: int, name: str) -> Party:
    if pk not in parties:
        raise InvalidInput("当事人不属于该纠纷", field=name)
    return parties[pk]


def _not_before(moment: datetime, reached: datetime, name: str, label: str) -> datetime:
    if timezone.localdate(moment) < timezone.localdate(reached):
        raise InvalidInput(f"{label}不能早于协议达成的日期", field=name)
    return moment


def _liabilities(rows: Sequence[LiabilityInput], parties: dict[int, Party]) -> dict[int, str]:
    found: dict[int, str] = {}
    for row in rows:
        party = _party(parties, row.party, "liabilities")
        found[party.pk] = given(
            row.liability, "liability", "当事人责任", required=False, limit=2000
        )
    missing = [p for pk, p in parties.items() if not found.get(pk)]
    if missing:
        raise InvalidInput(
            f"请写明{missing[0].get_side_display()}{missing[0].name}的责任（可写“无”）",
            field="liabilities",
        )
    return found


def _signatures(
    rows: Sequence[SignatureInput], parties: dict[int, Party], default: datetime, reached: datetime
) -> list[Signature]:
    found: dict[int, Signature] = {}
    for row in rows:
        party = _party(parties, row.party, "signatures")
        moment = when(row.signed_at, "signed_at", "签名时间") if row.signed_at else default
        found[party.pk] = Signature(
            party=party,
            method=one_of(row.method, "method", "签署方式", SignMethod, SignMethod.SIGN),
            signed_at=_not_before(moment, reached, "signatures", "签名时间"),
        )
    return list(found.values())


def _mediator(dispute: Dispute, mediator: int | None) -> Mediator | None:
    if mediator is None:
        return dispute.lead_mediator
    found = Mediator.objects.filter(pk=mediator, committee_id=dispute.committee_id).first()
    if found is None:
        raise InvalidInput("调解员不属于该调委会", field="mediator")
    return found


def _signed(
    value: Done, name: str, label: str, reached: datetime, default: datetime | None = None
) -> datetime | None:
    """The moment of a signature or seal: given, or `default` (else `reached`) for True."""
    if value is None or value is False:
        return None
    moment = (default or reached) if value is True else when(value, name, label)
    return _not_before(moment, reached, name, label)


def agreement_values(dispute: Dispute, draft: AgreementDraft) -> AgreementInput:
    """The checked inputs of `agree`; errors name their field."""
    form = one_of(draft.form, "form", "协议形式", AgreementForm, AgreementForm.WRITTEN)
    written = form == AgreementForm.WRITTEN
    reached = when(draft.signed_at, "signed_at", "达成时间")
    terms_label = "协议内容" if written else "口头协议内容"
    values = {
        "matters": given(draft.matters, "matters", "争议事项", required=written, limit=10000),
        "terms": given(draft.terms, "terms", terms_label, required=True, limit=20000),
        "performance": given(
            draft.performance, "performance", "履行方式、时限", required=written, limit=5000
        ),
    }
    result = AgreementInput(form=form, values=values, signed_at=reached)
    if written:
        _written(result, dispute, draft)
    return result


def _written(result: AgreementInput, dispute: Dispute, draft: AgreementDraft) -> None:
    """A written agreement's liabilities, signatures, mediator and seal, checked."""
    reached, signing = result.signed_at, draft.signing
    parties = {p.pk: p for p in dispute.parties.all()}
    result.liabilities = _liabilities(draft.liabilities, parties)
    result.signatures = _signatures(signing.signatures, parties, reached, reached)
    result.mediator = _mediator(dispute, signing.mediator)
    result.mediator_signed_at = _signed(
        signing.mediator_signed_at, "mediator_signed_at", "调解员签名时间", reached
    )
    result.sealed_at = _signed(signing.sealed_at, "sealed_at", "盖章时间", reached)
    if result.mediator_signed_at and result.mediator is None:
        raise InvalidInput("请选择签名的调解员", field="mediator")


# --- writing -------------------------------------------------------------------------------------
def snapshot(agreement: Agreement | None) -> dict[str, object]:
    """What a superseded agreement said (kept on the timeline when a new one replaces it)."""
    if agreement is None:
        return {}
    return {
        "form": agreement.form,
        "terms": agreement.terms,
        "signed_at": agreement.signed_at,
        "effective_at": agreement.effective_at,
        "signatories": [
            {"party": s.party_id, "liability": s.liability, "signed_at": s.signed_at}
            for s in agreement.signatories.all()
        ],
    }


def agreement_write(dispute: Dispute, values: AgreementInput, actor: SystemActor) -> Agreement:
    written = values.form == AgreementForm.WRITTEN
    agreement, _ = Agreement.objects.update_or_create(
        dispute=dispute,
        defaults={
            **values.values,
            **RESET,
            "form": values.form,
            "signed_at": values.signed_at,
            "mediator": values.mediator,
            "mediator_signed_at": values.mediator_signed_at,
            "sealed_at": values.sealed_at,
            # 第三十条: an oral agreement is in effect once reached.
            "effective_at": None if written else values.signed_at,
            "created_by": actor if actor is not None and actor.pk else None,
        },
    )
    _replace_signatories(agreement, values)
    if written:
        take_effect(agreement)
    return agreement


def _replace_signatories(agreement: Agreement, values: AgreementInput) -> None:
    """Each party's liability and signature (a re-mediated agreement replaces the old ones)."""
    agreement.signatories.all().delete()
    signed = {s.party.pk: s for s in values.signatures}
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement,
            party_id=pk,
            liability=liability,
            signed_at=signed[pk].signed_at if pk in signed else None,
            method=signed[pk].method if pk in signed else "",
        )
        for pk, liability in values.liabilities.items()
    )


def missing_signatures(agreement: Agreement) -> list[str]:
    """Who has still to sign or seal a written agreement, as the page lists them."""
    missing = [
        f"{s.party.get_side_display()}{s.party.name}"
        for s in agreement.signatories.select_related("party")
        if s.signed_at is None
    ]
    if agreement.mediator_signed_at is None:
        missing.append("人民调解员")
    if agreement.sealed_at is None:
        missing.append("调委会印章")
    return missing


def take_effect(agreement: Agreement) -> bool:
    """Derive the effective moment and the judicial-confirmation window once every party,
    the mediator and the committee have signed and sealed (第二十九条); False until then."""
    if missing_signatures(agreement):
        return False
    moments = [s.signed_at for s in agreement.signatories.all() if s.signed_at]
    moments += [agreement.mediator_signed_at, agreement.sealed_at]  # type: ignore[list-item]
    agreement.effective_at = max(moments)  # type: ignore[type-var]
    set_window(agreement)
    agreement.save(
        update_fields=[
            "effective_at",
            "confirmation_due",
            "confirmation_warn_on",
            "confirmation_provisional",
        ]
    )
    return True


def set_window(agreement: Agreement) -> deadlines.Window:
    assert agreement.effective_at is not None
    window = deadlines.confirmation_window(timezone.localdate(agreement.effective_at))
    agreement.confirmation_due = window.due
    agreement.confirmation_warn_on = window.warn_on
    agreement.confirmation_provisional = window.provisional
    return window


def effect_note(agreement: Agreement) -> str:
    """The timeline's sentence for an agreement in effect (or still to be signed)."""
    if agreement.effective_at is None:
        return f"待签名盖章：{'、'.join(missing_signatures(agreement))}"
    effective = timezone.localtime(agreement.effective_at)
    if not agreement.is_written:
        return f"口头调解协议自{effective:%Y年%m月%d日}达成时生效（{cite(30)}）"
    assert agreement.confirmation_due is not None
    return (
        f"调解协议书自{effective:%Y年%m月%d日}生效（最后签名盖章之日），"
        f"司法确认申请期限至{due_text(agreement)}"
    )


def due_text(agreement: Agreement, *, mark: bool = True) -> str:
    """2026年12月28日（第30日为休息日，顺延）（临时日历）: the last day as printed. Pages
    leave the mark out (`mark=False`) and show the shared 临时日历 badge instead."""
    assert agreement.confirmation_due is not None
    text_ = f"{agreement.confirmation_due:%Y年%m月%d日}"
    if agreement.effective_at is not None:
        window = deadlines.Window(
            effective=timezone.localdate(agreement.effective_at),
            due=agreement.confirmation_due,
            warn_on=agreement.confirmation_warn_on or agreement.confirmation_due,
            provisional=agreement.confirmation_provisional,
        )
        if window.moved:
            text_ += f"（第{deadlines.CONFIRMATION_DAYS}日为休息日，顺延）"
    if mark and agreement.confirmation_provisional:
        text_ += "（临时日历）"
    return text_


def signatures_record(agreement: Agreement, signing: Signing) -> list[str]:
    """Add the signatures and the seal still missing (the `sign` action; a time not given is
    now); returns what was added, as the timeline says it. A signature already recorded is
    not changed."""
    now = timezone.now()
    reached = agreement.signed_at
    rows = {s.party_id: s for s in agreement.signatories.select_related("party")}
    parties = {pk: s.party for pk, s in rows.items()}
    added = []
    for signature in _signatures(signing.signatures, parties, now, reached):
        row = rows[signature.party.pk]
        if row.signed_at is not None:
            raise Conflict(f"{signature.party.name}已签署", field="signatures")
        row.signed_at, row.method = signature.signed_at, signature.method
        row.save(update_fields=["signed_at", "method"])
        added.append(f"{signature.party.name}{SignMethod(signature.method).label}")
    added += _sign_mediator_and_seal(agreement, signing, now)
    if not added:
        raise InvalidInput("请登记至少一项签名或盖章", field="signatures")
    return added


def _sign_mediator_and_seal(agreement: Agreement, signing: Signing, now: datetime) -> list[str]:
    added = []
    reached = agreement.signed_at
    signed = _signed(
        signing.mediator_signed_at, "mediator_signed_at", "调解员签名时间", reached, now
    )
    if signed and agreement.mediator_signed_at is None:
        wanted = _mediator(agreement.dispute, signing.mediator)
        if wanted is None:
            raise InvalidInput("请选择签名的调解员", field="mediator")
        agreement.mediator, agreement.mediator_signed_at = wanted, signed
        added.append(f"调解员{wanted}签名")
    sealed = _signed(signing.sealed_at, "sealed_at", "盖章时间", reached, now)
    if sealed and agreement.sealed_at is None:
        agreement.sealed_at = sealed
        added.append("调委会盖章")
    agreement.save(update_fields=["mediator", "mediator_signed_at", "sealed_at"])
    return added
