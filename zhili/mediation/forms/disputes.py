"""Forms of the dispute pages: registration, opening from a case, the list's filters.

They check the shape of the input only; the rules (who may, valid ID numbers) live in
`zhili.mediation.services`, whose errors come back beside the field they name
(`parties.1.id_number` is the respondent's `r_id_number` here).
"""

from typing import TypedDict

from django import forms
from django.http import QueryDict

from zhili.core.dates import DayField, MonthField
from zhili.core.formfields import text_box
from zhili.mediation.forms.fields import choice_field
from zhili.mediation.models import DisputeKind, DisputeState, PartyKind, Scale, Source
from zhili.mediation.selectors import OUTCOME_FILTERS
from zhili.mediation.services import PartyInput

# The party blocks of the registration form: prefix -> (side, label, required).
PARTY_BLOCKS = [
    ("a", "applicant", "申请人", True),
    ("r", "respondent", "被申请人", True),
    ("o", "other", "其他当事人", False),
]
PARTY_FIELDS = ("kind", "name", "id_number", "phone", "address", "org_code")


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


class PartyBlock(TypedDict):
    label: str
    fields: list[forms.BoundField]


class PartiesForm(forms.Form):
    """A dispute's opening form: the committee offered, the party blocks (applicant,
    respondent, another) and the mapping of service errors to their fields."""

    blocks: list[tuple[str, str, str, bool]] = PARTY_BLOCKS
    committee = forms.ChoiceField(label="受理调委会")

    def __init__(self, data: QueryDict | None = None, *, committees: list[tuple[str, str]]) -> None:
        super().__init__(data)
        choice_field(self, "committee").choices = committees
        for prefix, _side, label, required in self.blocks:
            self.fields.update(_party_fields(prefix, label, required))

    def party_blocks(self) -> list[PartyBlock]:
        return [
            {"label": label, "fields": [self[f"{prefix}_{f}"] for f in PARTY_FIELDS]}
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


class RegisterForm(PartiesForm):
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
    summary = text_box("纠纷简要情况", max_length=5000, rows=5, missing="请填写纠纷简要情况")


class FromCaseForm(PartiesForm):
    """Opening from a case: the case gives the text, place and applicant; add the rest."""

    blocks = [("r", "respondent", "被申请人", True), ("o", "other", "其他当事人", False)]
    kind = forms.ChoiceField(label="纠纷类型", choices=DisputeKind.choices)
    scale = forms.ChoiceField(label="纠纷规模", choices=Scale.choices, initial=Scale.ORDINARY)
    people_count = forms.IntegerField(label="涉及人数", min_value=1, max_value=100_000, initial=2)

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
    # Kept as hidden inputs: an assessment entry (调解成功率) opens the disputes of a unit and
    # those under it concluded in its period, by outcome.
    within = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    concluded_from = DayField(label="调解结果日期自", required=False, widget=forms.HiddenInput)
    concluded_to = DayField(label="至", required=False, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="调解结果",
        choices=[("", "全部"), *OUTCOME_FILTERS.items()],
        required=False,
        widget=forms.HiddenInput,
    )
