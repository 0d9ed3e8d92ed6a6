"""Forms of the plan pages: the task actions' small forms, the progress report, a meeting with
its decisions. They check the shape of the input; the rules live in the services."""

from datetime import date, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from zhili.core.dates import DayField, MonthField
from zhili.core.formfields import text_box
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.plans.models import MeetingKind

DECISION_ROWS = 5


class StartForm(forms.Form):
    pass


class CompleteForm(forms.Form):
    outcome = text_box("完成情况", max_length=2000, missing="请填写完成情况")


class ReopenForm(forms.Form):
    reason = text_box("退回理由", max_length=500, missing="请填写退回理由")


class ExtendForm(forms.Form):
    due_on = DayField(label="新的完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    reason = text_box("调整理由", max_length=500, missing="请填写调整理由")


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "start": StartForm,
    "complete": CompleteForm,
    "reopen": ReopenForm,
    "extend": ExtendForm,
}


class MonthForm(forms.Form):
    month = MonthField(label="报告月份", required=False)


class ProgressForm(forms.Form):
    month = MonthField(label="报告月份")
    progress = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    text = text_box("本月进展", max_length=2000, missing="请填写本月进展")
    problems = text_box("存在问题", max_length=2000, optional=True)
    next_steps = text_box("下步打算", max_length=2000, optional=True)


def assignable_units(actor: Actor) -> QuerySet[Organization]:
    """The units a manager may give a task to: the county's and townships' units in scope."""
    rows = Organization.objects.exclude(level="village").order_by("path")
    return scope_for(actor).filter(rows)


class PlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099)
    title = forms.CharField(label="计划名称", max_length=120)
    summary = text_box("总体目标与工作要求", max_length=5000, optional=True)


class ProjectForm(forms.Form):
    name = forms.CharField(label="重点项目名称", max_length=120)
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Organization.objects.none(), to_field_name="code"
    )
    description = text_box("项目内容", max_length=2000, optional=True)

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["lead_unit"].queryset = assignable_units(actor)  # type: ignore[attr-defined]
        self.fields["lead_unit"].empty_label = "请选择牵头单位"  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    """A task of the plan: its project (or none), lead and responsible units, due day,
    requirements and milestones, one per line as ``节点名称|YYYY-MM-DD``."""

    project = forms.TypedChoiceField(
        label="所属重点项目", choices=[], coerce=int, required=False, empty_value=None
    )
    title = forms.CharField(label="任务名称", max_length=200)
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Organization.objects.none(), to_field_name="code"
    )
    units = forms.ModelMultipleChoiceField(
        label="责任单位（可多选）",
        queryset=Organization.objects.none(),
        to_field_name="code",
        required=False,
    )
    due_on = DayField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    description = text_box("任务要求", max_length=5000, optional=True)
    milestones = text_box(
        "节点（每行一个：节点名称|YYYY-MM-DD）",
        max_length=5000,
        optional=True,
    )

    def __init__(
        self, *args: object, actor: Actor, projects: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        units = assignable_units(actor)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["project"].choices = [("", "（不属于重点项目）"), *projects]  # type: ignore[attr-defined]
        self.fields["lead_unit"].empty_label = "请选择牵头单位"  # type: ignore[attr-defined]
        today = timezone.localdate()
        example = f"制定方案|{today + timedelta(days=30)}\n完成培训|{today + timedelta(days=90)}"
        self.fields["milestones"].widget.attrs["placeholder"] = example

    def clean_milestones(self) -> list[tuple[str, date | None]]:
        rows: list[tuple[str, date | None]] = []
        for n, line in enumerate((self.cleaned_data.get("milestones") or "").splitlines(), 1):
            if not line.strip():
                continue
            title, _bar, day = line.partition("|")
            try:
                rows.append((title.strip(), date.fromisoformat(day.strip())))
            except ValueError:
                raise forms.ValidationError(
                    f"第 {n} 行应为“节点名称|YYYY-MM-DD”，日期写成如 2027-01-15"
                ) from None
        return rows


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    title = forms.CharField(label="会议名称", max_length=120)
    held_on = DayField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=120, required=False)
    chair = forms.CharField(label="主持人", max_length=60, required=False)
    attendees = text_box("参会人员", max_length=2000, missing="请填写参会人员")
    minutes = text_box("会议纪要", max_length=20000, missing="请填写会议纪要")

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        units = assignable_units(actor)
        for n in range(DECISION_ROWS):
            self.fields[f"d{n}_title"] = forms.CharField(
                label=f"决定事项{n + 1}", max_length=200, required=False
            )
            self.fields[f"d{n}_unit"] = forms.ModelChoiceField(
                label="责任单位", queryset=units, required=False, to_field_name="code"
            )
            self.fields[f"d{n}_due"] = DayField(
                label="完成期限", required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def decision_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"d{n}_title"], self[f"d{n}_unit"], self[f"d{n}_due"])
            for n in range(DECISION_ROWS)
        ]
