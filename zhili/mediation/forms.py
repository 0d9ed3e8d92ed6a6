"""Forms of the mediation pages: registration, the list's filters, each action's small form.

They check the shape of the input only; the rules (who may, in which state, valid ID
numbers) live in `zhili.mediation.services`, whose errors come back beside the field they
name (`parties.1.id_number` is the respondent's `r_id_number` here).
"""

from typing import Any, cast

from django import forms

from zhili.core.dates import DayField, MomentField, MonthField
from zhili.mediation.models import (
    AgreementForm,
    AgreementParty,
    ConfirmationResult,
    Consent,
    Dispute,
    DisputeKind,
    DisputeState,
    Education,
    Employment,
    Gender,
    PartyKind,
    Performed,
    RiskKind,
    Scale,
    SessionMode,
    SignMethod,
    Source,
)
from zhili.mediation.services import PartyInput
from zhili.orgs.models import Organization
from zhili.orgs.pickers import use_unit_picker

TEXTAREA = {"rows": 3}
LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]

# The party blocks of the registration form: prefix -> (side, label, required).
PARTY_BLOCKS = [
    ("a", "applicant", "申请人", True),
    ("r", "respondent", "被申请人", True),
    ("o", "other", "其他当事人", False),
]
PARTY_FIELDS = ("kind", "name", "id_number", "phone", "address", "org_code")


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, typed (its choices are set per request)."""
    return cast(forms.ChoiceField, form.fields[name])


def _party_fields(prefix: str, label: str, required: bool) -> dict[str, forms.Field]:
    return {
        f"{prefix}_kind": forms.ChoiceField(
            label=f"{label}类型",
            choices=PartyKind.choices,
            initial=PartyKind.PERSON,
            required=False,
        ),
        f"{prefix}_name": forms.CharField(
            label=f"{label}姓名或名称",
            max_length=100,
            required=required,
            error_messages={"required": f"请填写{label}姓名或名称"},
        ),
        f"{prefix}_id_number": forms.CharField(label="身份证号码", max_length=18, required=False),
        f"{prefix}_phone": forms.CharField(label="联系电话", max_length=20, required=False),
        f"{prefix}_address": forms.CharField(label="住址", max_length=200, required=False),
        f"{prefix}_org_code": forms.CharField(
            label="统一社会信用代码", max_length=18, required=False
        ),
    }


class PartiesMixin:
    """Party blocks (applicant, respondent, another) and the mapping of service errors."""

    blocks: list[tuple[str, str, str, bool]] = PARTY_BLOCKS
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_party_fields(self) -> None:
        for prefix, _side, label, required in self.blocks:
            self.fields.update(_party_fields(prefix, label, required))

    def party_blocks(self) -> list[dict[str, Any]]:
        return [
            {"label": label, "fields": [self[f"{prefix}_{f}"] for f in PARTY_FIELDS]}  # type: ignore[index]
            for prefix, _side, label, _ in self.blocks
        ]

    def parties(self) -> list[PartyInput]:
        parties = []
        for prefix, side, _label, _ in self.blocks:
            values = {f: self.cleaned_data.get(f"{prefix}_{f}") or "" for f in PARTY_FIELDS}
            if not values["name"]:
                continue
            parties.append(PartyInput(side=side, **values))
        return parties

    def error_field(self, field: str | None) -> str | None:
        """The form field a service error names (parties.<i>.<f> -> <prefix>_<f>)."""
        if not field:
            return None
        if field.startswith("parties."):
            parts = field.split(".")
            named = [p for p, *_ in self.blocks if self.cleaned_data.get(f"{p}_name")]
            index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1
            if 0 <= index < len(named) and len(parts) > 2:
                name = f"{named[index]}_{parts[2]}"
                return name if name in self.fields else None
            return None
        return field if field in self.fields else None


class RegisterForm(PartiesMixin, forms.Form):
    committee = forms.ChoiceField(label="受理调委会")
    title = forms.CharField(
        label="纠纷名称", max_length=200, error_messages={"required": "请填写纠纷名称"}
    )
    kind = forms.ChoiceField(label="纠纷类型", choices=DisputeKind.choices)
    source = forms.ChoiceField(
        label="纠纷来源", choices=[c for c in Source.choices if c[0] != Source.CASE]
    )
    scale = forms.ChoiceField(label="纠纷规模", choices=Scale.choices, initial=Scale.ORDINARY)
    people_count = forms.IntegerField(label="涉及人数", min_value=1, max_value=100_000, initial=2)
    place = forms.CharField(label="发生地点", max_length=200, required=False)
    grid = forms.CharField(label="网格编码", max_length=40, required=False)
    summary = forms.CharField(
        label="纠纷简要情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写纠纷简要情况"},
    )

    def __init__(self, *args: Any, committees: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "committee").choices = committees
        self.add_party_fields()


class FromCaseForm(PartiesMixin, forms.Form):
    """Opening from a case: the case gives the text, place and applicant; add the rest."""

    blocks = [("r", "respondent", "被申请人", True), ("o", "other", "其他当事人", False)]
    committee = forms.ChoiceField(label="受理调委会")
    kind = forms.ChoiceField(label="纠纷类型", choices=DisputeKind.choices)
    scale = forms.ChoiceField(label="纠纷规模", choices=Scale.choices, initial=Scale.ORDINARY)
    people_count = forms.IntegerField(label="涉及人数", min_value=1, max_value=100_000, initial=2)

    def __init__(self, *args: Any, committees: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "committee").choices = committees
        self.add_party_fields()

    def error_field(self, field: str | None) -> str | None:
        # The case's reporter is party 0; the form's blocks start at party 1.
        if field and field.startswith("parties."):
            parts = field.split(".")
            if len(parts) > 2 and parts[1].isdigit():
                if parts[1] == "0":
                    return None
                field = f"parties.{int(parts[1]) - 1}.{parts[2]}"
        return super().error_field(field)


class DisputeFilterForm(forms.Form):
    """The list's filters. Invalid values are dropped, never an error page; a bad month is
    shown at its field, with a 422 (it would silently widen the list otherwise)."""

    state = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *DisputeState.choices], required=False
    )
    kind = forms.ChoiceField(
        label="纠纷类型", choices=[("", "全部类型"), *DisputeKind.choices], required=False
    )
    committee = forms.IntegerField(label="调委会", required=False, min_value=1, max_value=10**9)
    month = MonthField(label="登记月份", required=False)
    q = forms.CharField(label="编号或名称", max_length=100, required=False)
    late = forms.BooleanField(label="只看超过办理目标", required=False)
    due_today = forms.BooleanField(label="只看今日到达办理目标", required=False)


# --- action forms ----------------------------------------------------------------------------
class ActionForm(forms.Form):
    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dispute = dispute

    def data_for_service(self) -> dict[str, Any]:
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
    consent = forms.ChoiceField(
        label="是否同意调解",
        choices=[c for c in Consent.choices if c[0] != Consent.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择同意或不同意调解"},
    )
    note = _note("说明", required=False)

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, dispute=dispute, **kwargs)
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

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, dispute=dispute, **kwargs)
        choices = _mediator_choices(dispute)
        choice_field(self, "lead_mediator").choices = choices
        choice_field(self, "mediators").choices = choices
        choice_field(self, "room").choices = _room_choices(dispute)


class SessionForm(ActionForm):
    held_at = MomentField(
        label="调解时间", required=False, widget=LOCAL_DT, input_formats=DT_FORMATS
    )
    mode = forms.ChoiceField(label="调解方式", choices=SessionMode.choices)
    room = forms.ChoiceField(label="调解室", required=False)
    place = forms.CharField(label="调解地点", max_length=200, required=False)
    video_room = forms.CharField(label="视频会议室", max_length=100, required=False)
    mediators = forms.MultipleChoiceField(
        label="调解员", required=False, widget=forms.CheckboxSelectMultiple
    )
    record = forms.CharField(
        label="调解记录",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "当事人陈述、调解员意见、调解经过"}),
        error_messages={"required": "请填写调解记录"},
    )

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, dispute=dispute, **kwargs)
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
    form.fields[f"signat_{prefix}"] = MomentField(
        label="签署时间",
        required=False,
        widget=LOCAL_DT,
        input_formats=DT_FORMATS,
        help_text=f"不填为{blank_means}",
    )


def _signature_rows(form: forms.Form, pks: list[int]) -> list[dict[str, Any]]:
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
    matters = forms.CharField(
        label="纠纷主要事实、争议事项",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    terms = forms.CharField(
        label="协议内容（口头协议：调解员记录的协议内容）",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "一、……\n二、……"}),
        error_messages={"required": "请填写协议内容"},
    )
    performance = forms.CharField(
        label="履行方式、时限",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    signed_at = MomentField(
        label="达成时间",
        required=False,
        widget=LOCAL_DT,
        input_formats=DT_FORMATS,
        help_text="不填为现在",
    )
    mediator = forms.ChoiceField(label="签名调解员", required=False)
    mediator_signed = forms.BooleanField(label="调解员已签名", initial=True, required=False)
    sealed = forms.BooleanField(label="已加盖调委会印章", initial=True, required=False)

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, dispute=dispute, **kwargs)
        self.parties = list(dispute.parties.all())
        for party in self.parties:
            label = f"{party.get_side_display()}{party.name}"
            self.fields[f"liability_{party.pk}"] = forms.CharField(
                label=f"{label}的责任",
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": "无责任的写“无”"}),
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agreement_form", AgreementForm.WRITTEN) == AgreementForm.WRITTEN:
            for name, label in (("matters", "争议事项"), ("performance", "履行方式、时限")):
                if not data.get(name):
                    self.add_error(name, f"请填写{label}")
            for party in self.parties:
                if not data.get(f"liability_{party.pk}"):
                    self.add_error(f"liability_{party.pk}", "请写明该当事人的责任（可写“无”）")
        return data

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {k: data[k] for k in ("matters", "terms", "performance") if data.get(k)}
        out["form"] = data.get("agreement_form") or AgreementForm.WRITTEN
        if data.get("signed_at"):
            out["signed_at"] = data["signed_at"]
        if out["form"] == AgreementForm.ORAL:
            return out
        out["liabilities"] = [
            {"party": p.pk, "liability": data[f"liability_{p.pk}"]} for p in self.parties
        ]
        out["signatures"] = _signature_rows(self, [p.pk for p in self.parties])
        out["mediator"] = data.get("mediator") or ""
        out["mediator_signed_at"] = bool(data.get("mediator_signed"))
        out["sealed_at"] = bool(data.get("sealed"))
        return out


class SignForm(ActionForm):
    """登记签名盖章: the signatures and the seal still missing on a written agreement; a time
    left blank is now."""

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, dispute=dispute, **kwargs)
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
            self.fields["mediator_signed_at"] = MomentField(
                label="调解员签名时间",
                required=False,
                widget=LOCAL_DT,
                input_formats=DT_FORMATS,
                help_text="不填为现在",
            )
        if self.needs_seal:
            self.fields["sealed"] = forms.BooleanField(label="已加盖调委会印章", required=False)
            self.fields["sealed_at"] = MomentField(
                label="盖章时间",
                required=False,
                widget=LOCAL_DT,
                input_formats=DT_FORMATS,
                help_text="不填为现在",
            )

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {"signatures": _signature_rows(self, [p.pk for p in self.unsigned])}
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

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, dispute=dispute, **kwargs)
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
    applied_at = MomentField(
        label="申请时间", required=False, widget=LOCAL_DT, input_formats=DT_FORMATS
    )


class RecordConfirmationForm(ActionForm):
    result = forms.ChoiceField(
        label="确认结果",
        choices=[c for c in ConfirmationResult.choices if c[0] != ConfirmationResult.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择确认结果"},
    )
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


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=[("male", "男"), ("female", "女")])
    position = forms.ChoiceField(
        label="职务", choices=[("member", "委员"), ("vice_chair", "副主任"), ("chair", "主任")]
    )


class RoomForm(forms.Form):
    name = forms.CharField(label="调解室名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200, required=False)


# --- committee management (MEDIATION_MANAGE) -------------------------------------------------
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_committee_name(org_name: str) -> str:
    """甲镇综治中心 -> 甲镇人民调解委员会；甲一村 -> 甲一村人民调解委员会."""
    base = org_name.removesuffix("社会治理综合服务中心").removesuffix("综治中心").strip()
    return f"{base or org_name}人民调解委员会"


class CommitteeForm(forms.Form):
    """新建调委会: the center it sits in, its name (defaulted from the center), its term."""

    organization = forms.ChoiceField(
        label="所在综治中心", error_messages={"required": "请选择所在综治中心"}
    )
    name = forms.CharField(
        label="调委会名称",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "不填则按所在综治中心命名"}),
    )
    term_start = DayField(
        label="本届任期开始",
        widget=DATE_INPUT,
        error_messages={"required": "请填写任期开始日期", "invalid": "日期格式不正确"},
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choice_field(self, "organization")
        use_unit_picker(field, organizations, "请选择综治中心", value=lambda o: str(o.pk))


class MediatorForm(forms.Form):
    """登记调解员 (or change one): a staff account of the committee's area, full- or
    part-time, the dispute kinds they are good at, the rooms they sit in."""

    user = forms.ChoiceField(
        label="工作人员账号", error_messages={"required": "请选择工作人员账号"}
    )
    employment = forms.ChoiceField(label="专兼职", choices=Employment.choices, initial="part_time")
    gender = forms.ChoiceField(
        label="性别", choices=[("", "未填写"), *Gender.choices], required=False
    )
    specialities = forms.MultipleChoiceField(
        label="擅长纠纷类型",
        choices=DisputeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rooms = forms.MultipleChoiceField(
        label="值守调解室", required=False, widget=forms.CheckboxSelectMultiple
    )
    education = forms.ChoiceField(
        label="文化程度", choices=[("", "未填写"), *Education.choices], required=False
    )
    qualification = forms.CharField(
        label="资格证书或职业资格",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：法律职业资格、心理咨询师"}),
    )
    certificate_no = forms.CharField(label="证书编号", max_length=50, required=False)
    appointed_on = DayField(
        label="聘任日期",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "日期格式不正确"},
    )

    def __init__(
        self,
        *args: Any,
        users: list[tuple[str, str]],
        rooms: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "user").choices = [("", "请选择"), *users]
        choice_field(self, "rooms").choices = rooms


class TrainingForm(forms.Form):
    """登记培训 (人民调解法 第十四条: the county justice bureau trains mediators regularly)."""

    trained_on = DayField(
        label="培训日期",
        widget=DATE_INPUT,
        error_messages={"required": "请填写培训日期", "invalid": "日期格式不正确"},
    )
    hours = forms.DecimalField(
        label="学时",
        min_value=0.5,
        max_value=500,
        decimal_places=1,
        error_messages={"required": "请填写学时", "invalid": "学时应为数字"},
    )
    organizer = forms.CharField(
        label="组织单位",
        max_length=100,
        initial="东海县司法局",
        error_messages={"required": "请填写组织单位"},
    )
    content = forms.CharField(
        label="培训内容", max_length=200, error_messages={"required": "请填写培训内容"}
    )


class TermForm(forms.Form):
    """换届: the new three-year term starts on this day."""

    term_start = DayField(
        label="新一届任期开始",
        widget=DATE_INPUT,
        error_messages={"required": "请填写新一届任期开始日期", "invalid": "日期格式不正确"},
    )
