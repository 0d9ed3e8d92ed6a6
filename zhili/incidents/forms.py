from django import forms

from zhili.cases.models import Category
from zhili.forces.models import TeamType
from zhili.incidents.models import Level, Plan
from zhili.incidents.plans import MAX_DEADLINE_MINUTES, MAX_STEPS


class OpenForm(forms.Form):
    """The desk's form to open an incident (转为指挥事件: with a case number)."""

    category = forms.ModelChoiceField(
        Category.objects.order_by("path"),
        label="事项分类",
        to_field_name="code",
        empty_label="请选择分类",
    )
    title = forms.CharField(label="标题", max_length=200)
    level = forms.ChoiceField(label="等级", choices=Level.choices)
    plan = forms.ModelChoiceField(
        Plan.objects.filter(active=True),
        label="预案",
        required=False,
        to_field_name="code",
        empty_label="按分类和等级自动匹配",
    )
    case_no = forms.CharField(label="关联工单编号", max_length=30, required=False)
    lat = forms.FloatField(label="纬度", min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(label="经度", min_value=-180, max_value=180, widget=forms.HiddenInput)


# --- the plans (预案) -------------------------------------------------------------------------


class PlanForm(forms.Form):
    """A plan's own fields; its code only when it is created (a code is never changed: the
    API and the incidents name a plan by it)."""

    code = forms.CharField(
        label="预案编码",
        max_length=40,
        error_messages={"required": "请填写预案编码"},
        help_text="字母、数字、连字符，如 YA-QTJJ；保存后不能修改",
    )
    name = forms.CharField(
        label="预案名称", max_length=100, error_messages={"required": "请填写预案名称"}
    )
    category = forms.ModelChoiceField(
        Category.objects.order_by("path"),
        label="事项分类",
        to_field_name="code",
        empty_label="请选择分类",
        error_messages={"required": "请选择事项分类", "invalid_choice": "事项分类不存在"},
    )
    level = forms.ChoiceField(
        label="适用等级",
        choices=[("", "任意等级"), *Level.choices],
        required=False,
        help_text="同一分类和等级只能有一个启用的预案；开启事件时优先匹配等级一致的预案",
    )
    reason = forms.CharField(
        label="修改说明",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：根据2026年演练情况调整时限"}),
    )

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if editing:
            del self.fields["code"]


class StepForm(forms.Form):
    """One step: which kind of team, its role, its task, its time limit."""

    team_type = forms.ModelChoiceField(
        TeamType.objects.order_by("code"),
        label="力量类型",
        to_field_name="code",
        empty_label="请选择",
        error_messages={"required": "请选择力量类型", "invalid_choice": "力量类型不存在"},
    )
    role = forms.CharField(
        label="职责",
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "如：公安"}),
        error_messages={"required": "请填写职责"},
    )
    task = forms.CharField(
        label="任务",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "如：控制现场，维护秩序"}),
        error_messages={"required": "请填写任务"},
    )
    deadline_minutes = forms.IntegerField(
        label="时限（分钟）",
        min_value=1,
        max_value=MAX_DEADLINE_MINUTES,
        error_messages={
            "required": "请填写时限",
            "min_value": "时限至少 1 分钟",
            "max_value": f"时限不能超过 {MAX_DEADLINE_MINUTES} 分钟（7 天）",
        },
    )


StepFormSet = forms.formset_factory(
    StepForm, extra=2, can_delete=True, max_num=MAX_STEPS, validate_max=True
)
