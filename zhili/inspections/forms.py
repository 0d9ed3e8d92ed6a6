"""Forms of the 督 pages: the actions' small forms, a new inspection, a finding, a circular
and the findings list's filters. They check the shape of the input; the rules live in
`zhili.inspections.services`."""

from django import forms

from zhili.cases.forms import MultipleFileField
from zhili.core.dates import DayField
from zhili.core.formfields import text_box, text_line
from zhili.inspections.models import CircularKind, FindingState, InspectionKind


class FindingFilterForm(forms.Form):
    """The findings list's filters. Invalid values are dropped, never an error page."""

    unit = forms.CharField(required=False, max_length=40)
    inspection = forms.CharField(required=False, max_length=30)
    issued_from = DayField(label="下发日期自", required=False)
    issued_to = DayField(label="至", required=False)
    late = forms.BooleanField(label="只看逾期未报告", required=False)
    key = forms.BooleanField(label="只看重点督查", required=False)
    # An assessment entry's link (整改按期完成率): a unit and those under it, the deadlines in
    # its period, rectified on time or not.
    within = forms.CharField(required=False, max_length=40)
    due_from = DayField(label="整改期限自", required=False)
    due_to = DayField(label="至", required=False)
    on_time = forms.ChoiceField(
        label="按期整改",
        choices=[("", "全部"), ("yes", "按期整改"), ("no", "未按期整改")],
        required=False,
    )


class ReportForm(forms.Form):
    report = text_box(
        "整改报告",
        max_length=5000,
        rows=5,
        missing="请填写整改报告",
        placeholder="查摆原因、整改措施、完成情况和长效机制",
    )
    evidence = MultipleFileField(label="佐证材料（照片、会议记录、文件）", required=False)


class ExtensionForm(forms.Form):
    extend_to = DayField(label="申请延期至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = text_box("延期理由", max_length=500, missing="请填写延期理由")


class NoteForm(forms.Form):
    note = text_box("意见", max_length=500, optional=True, placeholder="可不填")


class ReasonForm(forms.Form):
    reason = text_box("理由", max_length=500, missing="请填写理由")


class FailForm(forms.Form):
    reason = text_box("复查意见", max_length=500, missing="请写明仍未整改到位的问题")
    due_on = DayField(label="新的整改期限", widget=forms.DateInput(attrs={"type": "date"}))


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "report": ReportForm,
    "request_extension": ExtensionForm,
    "approve_extension": NoteForm,
    "refuse_extension": ReasonForm,
    "pass": NoteForm,
    "fail": FailForm,
    "close": NoteForm,
}


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label="督查类型", choices=InspectionKind.choices)
    title = text_line("督查名称", max_length=200)
    basis = text_box("督查内容与依据", max_length=5000, optional=True)
    starts_on = DayField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.MultipleChoiceField(label="督查组成员单位", choices=[])
    targets = forms.MultipleChoiceField(label="被督查单位", choices=[])
    items = forms.MultipleChoiceField(label="从考核指标选取检查项", choices=[], required=False)
    checklist = text_box(
        "督查清单（每行一项，可在行首写考核指标编码并以“|”分隔）",
        rows=5,
        optional=True,
        max_length=20000,
    )

    def __init__(
        self,
        *args: object,
        units: list[tuple[str, str]],
        items: dict[str, str],
        **kwargs: object,
    ) -> None:
        """`items`: the assessment items the checklist may cite (code -> name)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = units  # type: ignore[attr-defined]
        self.fields["targets"].choices = units  # type: ignore[attr-defined]
        self.item_names = items
        choices = [(code, f"{name}（{code}）") for code, name in items.items()]
        self.fields["items"].choices = choices  # type: ignore[attr-defined]

    def checklist_lines(self) -> list[tuple[str, str]]:
        """The typed lines, then a line per assessment item picked (its name) not typed."""
        lines = []
        for raw in (self.cleaned_data.get("checklist") or "").splitlines():
            code, bar, text = raw.partition("|")
            lines.append((text.strip(), code.strip()) if bar else (raw.strip(), ""))
        typed = {code for _text, code in lines}
        picked = [c for c in self.cleaned_data.get("items") or [] if c not in typed]
        lines += [(self.item_names[code], code) for code in picked]
        return [line for line in lines if line[0]]


class FindingForm(forms.Form):
    unit = forms.ChoiceField(label="整改单位", choices=[])
    item = forms.TypedChoiceField(
        label="对应督查清单项", choices=[], coerce=int, required=False, empty_value=None
    )
    problem = text_box("发现问题", max_length=5000, missing="请填写发现的问题")
    requirement = text_box("整改要求", max_length=5000, missing="请填写整改要求")
    unit_leader = text_line("单位负责人", max_length=50)
    due_on = DayField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))
    deduction = forms.DecimalField(
        label="考核扣分", min_value=0, max_value=100, decimal_places=2, initial=1
    )


class CircularForm(forms.Form):
    kind = forms.ChoiceField(label="通报类型", choices=CircularKind.choices)
    title = text_line("标题", max_length=200)
    body = text_box("正文", rows=10, max_length=20000, missing="请填写通报正文")
    units = forms.MultipleChoiceField(label="主送单位", choices=[])

    def __init__(self, *args: object, units: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["units"].choices = units  # type: ignore[attr-defined]


STATE_TABS = [
    (FindingState.ISSUED.value, "整改中"),
    (FindingState.EXTENSION.value, "延期待审批"),
    (FindingState.REPORTED.value, "待复查"),
    (FindingState.VERIFIED.value, "待销号"),
    (FindingState.CLOSED.value, "已销号"),
    ("all", "全部"),
]
