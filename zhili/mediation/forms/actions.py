"""Each action's small form on the dispute's page (opened in place, HTMX).

They check the shape of the input only; the rules (who may, in which state) live in
`zhili.mediation.services`, whose errors come back beside the field they name.
`data_for_service` is the input of `services.dispute_act`.
"""

from datetime import datetime
from typing import TypedDict

from django import forms
from django.http import QueryDict

from zhili.core.formfields import text_box
from zhili.mediation.forms.fields import TEXTAREA, choice_field, moment_field
from zhili.mediation.models import (
    AgreementForm,
    AgreementParty,
    ConfirmationResult,
    Consent,
    Dispute,
    Performed,
    RiskKind,
    SessionMode,
    SignMethod,
)


class SignatureRow(TypedDict):
    """One party's signature: how (sign, seal, fingerprint) and when ("" for the default)."""

    party: int
    method: str
    signed_at: datetime | str


class LiabilityRow(TypedDict):
    party: int
    liability: str


# One field of an action's input as the forms give it to `services.dispute_act`.
InputValue = str | int | bool | datetime | list[str] | list[SignatureRow] | list[LiabilityRow]
ActionInput = dict[str, InputValue]


class ActionForm(forms.Form):
    def __init__(self, data: QueryDict | None = None, *, dispute: Dispute) -> None:
        super().__init__(data)
        self.dispute = dispute

    def data_for_service(self) -> ActionInput:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def _note(label: str, *, required: bool, placeholder: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        required=required,
        widget=forms.Textarea(
            attrs={**TEXTAREA, "placeholder": placeholder or ("可不填" if not required else "")}
        ),
        error_messages={"required": f"请填写{label}"},
    )


def _answer(label: str, choices: list[tuple[str, str]], missing: str) -> forms.ChoiceField:
    """An answer given (a party's consent, a court's result): any choice but "pending"."""
    return forms.ChoiceField(
        label=label,
        choices=[c for c in choices if c[0] != "pending"],
        widget=forms.RadioSelect,
        error_messages={"required": missing},
    )


def _mediator_choices(dispute: Dispute) -> list[tuple[str, str]]:
    mediators = dispute.committee.mediators.filter(is_active=True).select_related("user")
    return [(str(m.pk), f"{m.user}（{m.get_employment_display()}）") for m in mediators]


def _room_choices(dispute: Dispute) -> list[tuple[str, str]]:
    rooms = dispute.committee.rooms.filter(is_active=True)
    return [("", "不使用调解室"), *[(str(r.pk), r.name) for r in rooms]]


class NoteForm(ActionForm):
    note = _note("说明", required=False)


class ReasonForm(ActionForm):
    note = _note("理由", required=True)


class ConsentForm(ActionForm):
    party = forms.ChoiceField(label="当事人")
    consent = _answer("是否同意调解", Consent.choices, "请选择同意或不同意调解")
    note = _note("说明", required=False)

    def __init__(self, data: QueryDict | None = None, *, dispute: Dispute) -> None:
        super().__init__(data, dispute=dispute)
        pending = dispute.parties.filter(consent=Consent.PENDING)
        choice_field(self, "party").choices = [
            (str(p.pk), f"{p.get_side_display()} {p.name}") for p in pending
        ]


class AssignForm(ActionForm):
    lead_mediator = forms.ChoiceField(label="主办调解员")
    mediators = forms.MultipleChoiceField(
        label="参与调解员", required=False, widget=forms.CheckboxSelectMultiple
    )
    room = forms.ChoiceField(label="调解室", required=False)

    def __init__(self, data: QueryDict | None = None, *, dispute: Dispute) -> None:
        super().__init__(data, dispute=dispute)
        choices = _mediator_choices(dispute)
        choice_field(self, "lead_mediator").choices = choices
        choice_field(self, "mediators").choices = choices
        choice_field(self, "room").choices = _room_choices(dispute)


class SessionForm(ActionForm):
    held_at = moment_field("调解时间")
    mode = forms.ChoiceField(label="调解方式", choices=SessionMode.choices)
    room = forms.ChoiceField(label="调解室", required=False)
    place = forms.CharField(label="调解地点", max_length=200, required=False)
    video_room = forms.CharField(label="视频会议室", max_length=100, required=False)
    mediators = forms.MultipleChoiceField(
        label="调解员", required=False, widget=forms.CheckboxSelectMultiple
    )
    record = text_box(
        "调解记录",
        max_length=20000,
        rows=6,
        missing="请填写调解记录",
        placeholder="当事人陈述、调解员意见、调解经过",
    )

    def __init__(self, data: QueryDict | None = None, *, dispute: Dispute) -> None:
        super().__init__(data, dispute=dispute)
        choice_field(self, "mediators").choices = _mediator_choices(dispute)
        choice_field(self, "room").choices = _room_choices(dispute)


SIGN_CHOICES = [("", "尚未签署"), *SignMethod.choices]


def _signature_fields(
    form: forms.Form, prefix: str, label: str, *, initial: str, blank_means: str
) -> None:
    """One signer's pair of fields: how they signed (or not yet) and when."""
    form.fields[f"sign_{prefix}"] = forms.ChoiceField(
        label=f"{label}签署", choices=SIGN_CHOICES, initial=initial, required=False
    )
    form.fields[f"signat_{prefix}"] = moment_field("签署时间", blank_means)


def _signature_rows(form: forms.Form, pks: list[int]) -> list[SignatureRow]:
    data = form.cleaned_data
    return [
        {"party": pk, "method": data[f"sign_{pk}"], "signed_at": data.get(f"signat_{pk}") or ""}
        for pk in pks
        if data.get(f"sign_{pk}")
    ]


class AgreeForm(ActionForm):
    """达成协议: written (人民调解法 第二十九条: each party's liability, the signatures and the
    seal, the effective date derived from them) or oral (第二十八条: what the mediator
    records). A party marked 尚未签署 signs later (the `sign` action); a signing time left
    blank is the time the agreement was reached."""

    # Not named "form": an input of that name hides the <form> element's own `form`
    # property, which htmx reads to submit it.
    agreement_form = forms.ChoiceField(
        label="协议形式",
        choices=AgreementForm.choices,
        initial=AgreementForm.WRITTEN,
        widget=forms.RadioSelect,
        help_text="口头协议只填写达成时间和调解员记录的协议内容",
    )
    matters = text_box("纠纷主要事实、争议事项", max_length=10000, rows=4, optional=True)
    terms = text_box(
        "协议内容（口头协议：调解员记录的协议内容）",
        max_length=20000,
        rows=5,
        missing="请填写协议内容",
        placeholder="一、……\n二、……",
    )
    performance = text_box("履行方式、时限", max_length=5000, optional=True)
    signed_at = moment_field("达成时间", "现在")
    mediator = forms.ChoiceField(label="签名调解员", required=False)
    mediator_signed = forms.BooleanField(label="调解员已签名", initial=True, required=False)
    sealed = forms.BooleanField(label="已加盖调委会印章", initial=True, required=False)

    def __init__(self, data: QueryDict | None = None, *, dispute: Dispute) -> None:
        super().__init__(data, dispute=dispute)
        self.parties = list(dispute.parties.all())
        for party in self.parties:
            label = f"{party.get_side_display()}{party.name}"
            self.fields[f"liability_{party.pk}"] = text_box(
                f"{label}的责任",
                max_length=2000,
                rows=2,
                optional=True,
                placeholder="无责任的写“无”",
            )
            _signature_fields(
                self, str(party.pk), label, initial=SignMethod.SIGN, blank_means="达成时间"
            )
        mediator = choice_field(self, "mediator")
        mediator.choices = _mediator_choices(dispute)
        mediator.initial = str(dispute.lead_mediator_id or "")
        party_fields = [
            f"{name}_{p.pk}" for p in self.parties for name in ("liability", "sign", "signat")
        ]
        self.order_fields(
            ["agreement_form", "signed_at", "matters", *party_fields, "terms", "performance"]
        )

    def clean(self) -> None:
        data = self.cleaned_data
        if data.get("agreement_form", AgreementForm.WRITTEN) == AgreementForm.WRITTEN:
            for name, label in (("matters", "争议事项"), ("performance", "履行方式、时限")):
                if not data.get(name):
                    self.add_error(name, f"请填写{label}")
            for party in self.parties:
                if not data.get(f"liability_{party.pk}"):
                    self.add_error(f"liability_{party.pk}", "请写明该当事人的责任（可写“无”）")

    def data_for_service(self) -> ActionInput:
        data = self.cleaned_data
        out: ActionInput = {k: data[k] for k in ("matters", "terms", "performance") if data.get(k)}
        out["form"] = data.get("agreement_form") or AgreementForm.WRITTEN
        if data.get("signed_at"):
            out["signed_at"] = data["signed_at"]
        if out["form"] == AgreementForm.ORAL:
            return out
        out["liabilities"] = [
            LiabilityRow(party=p.pk, liability=data[f"liability_{p.pk}"]) for p in self.parties
        ]
        out["signatures"] = _signature_rows(self, [p.pk for p in self.parties])
        out["mediator"] = data.get("mediator") or ""
        out["mediator_signed_at"] = bool(data.get("mediator_signed"))
        out["sealed_at"] = bool(data.get("sealed"))
        return out


class SignForm(ActionForm):
    """登记签名盖章: the signatures and the seal still missing on a written agreement; a time
    left blank is now."""

    def __init__(self, data: QueryDict | None = None, *, dispute: Dispute) -> None:
        super().__init__(data, dispute=dispute)
        agreement = getattr(dispute, "agreement", None)
        rows = (
            list(AgreementParty.objects.filter(agreement=agreement).select_related("party"))
            if agreement is not None
            else []
        )
        self.unsigned = [r.party for r in rows if r.signed_at is None]
        for party in self.unsigned:
            label = f"{party.get_side_display()}{party.name}"
            _signature_fields(self, str(party.pk), label, initial="", blank_means="现在")
        self.needs_mediator = agreement is not None and agreement.mediator_signed_at is None
        self.needs_seal = agreement is not None and agreement.sealed_at is None
        if self.needs_mediator:
            self.fields["mediator"] = forms.ChoiceField(
                label="签名调解员",
                choices=_mediator_choices(dispute),
                initial=str(dispute.lead_mediator_id or ""),
                required=False,
            )
            self.fields["mediator_signed"] = forms.BooleanField(
                label="调解员已签名", required=False
            )
            self.fields["mediator_signed_at"] = moment_field("调解员签名时间", "现在")
        if self.needs_seal:
            self.fields["sealed"] = forms.BooleanField(label="已加盖调委会印章", required=False)
            self.fields["sealed_at"] = moment_field("盖章时间", "现在")

    def data_for_service(self) -> ActionInput:
        data = self.cleaned_data
        out: ActionInput = {"signatures": _signature_rows(self, [p.pk for p in self.unsigned])}
        if data.get("mediator_signed"):
            out["mediator"] = data.get("mediator") or ""
            out["mediator_signed_at"] = data.get("mediator_signed_at") or True
        if data.get("sealed"):
            out["sealed_at"] = data.get("sealed_at") or True
        return out


class TerminateForm(ActionForm):
    """当事人终止调解 (人民调解法 第二十三条): which party ends it, and why."""

    party = forms.ChoiceField(label="要求终止调解的当事人")
    note = _note("终止理由", required=True, placeholder="当事人提出终止调解的理由")

    def __init__(self, data: QueryDict | None = None, *, dispute: Dispute) -> None:
        super().__init__(data, dispute=dispute)
        choice_field(self, "party").choices = [
            (str(p.pk), f"{p.get_side_display()} {p.name}") for p in dispute.parties.all()
        ]


class FollowUpForm(ActionForm):
    performed = forms.ChoiceField(label="履行情况", choices=Performed.choices)
    note = _note("回访情况", required=True, placeholder="回访对象、方式及当事人反映")


class ApplyConfirmationForm(ActionForm):
    court = forms.CharField(
        label="受理法院",
        max_length=100,
        initial="东海县人民法院",
        error_messages={"required": "请填写受理法院"},
    )
    applied_at = moment_field("申请时间")


class RecordConfirmationForm(ActionForm):
    result = _answer("确认结果", ConfirmationResult.choices, "请选择确认结果")
    note = _note("说明", required=False)


class FlagRiskForm(ActionForm):
    risk = forms.ChoiceField(label="风险类型", choices=RiskKind.choices, widget=forms.RadioSelect)
    note = _note("风险说明", required=True, placeholder="可能激化的迹象、涉及人员")


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "consent": ConsentForm,
    "accept": NoteForm,
    "decline": ReasonForm,
    "assign": AssignForm,
    "start": NoteForm,
    "session": SessionForm,
    "agree": AgreeForm,
    "sign": SignForm,
    "fail": ReasonForm,
    "terminate": TerminateForm,
    "follow_up": FollowUpForm,
    "apply_confirmation": ApplyConfirmationForm,
    "record_confirmation": RecordConfirmationForm,
    "remediate": ReasonForm,
    "to_court": NoteForm,
    "archive": NoteForm,
    "flag_risk": FlagRiskForm,
}
