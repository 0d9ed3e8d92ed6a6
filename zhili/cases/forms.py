"""Forms of the case pages. They only parse input; zhili.cases.services holds the rules."""

from typing import Any

from django import forms

from zhili.cases.figures import FIGURE_LABELS
from zhili.cases.models import Category, Channel, Rating, State, Urgency
from zhili.cases.selectors import DUE_FILTERS, CaseFilters, queue_labels
from zhili.cases.services.intake import Intake
from zhili.core.dates import DayField, MomentField
from zhili.core.formfields import text_box, text_line
from zhili.core.selecting import filters_from
from zhili.core.types import SystemActor
from zhili.orgs.models import Organization


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name. The view reads request.FILES.getlist; the service checks
    each file's type by its content."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        return None


class IntakeForm(forms.Form):
    """坐席受理. The category arrives as a catalog code picked from the search."""

    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices, initial=Channel.HOTLINE)
    category = forms.CharField(
        label="事项分类", max_length=40, error_messages={"required": "请搜索并选择事项分类"}
    )
    title = forms.CharField(label="标题", max_length=200)
    description = text_box("诉求内容", rows=4)
    urgency = forms.ChoiceField(
        label="紧急程度",
        choices=[("", "按分类默认"), *Urgency.choices],
        required=False,
    )
    lat = forms.FloatField(label="纬度", required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label="经度", required=False, min_value=-180, max_value=180)
    address = text_line(
        "地址",
        max_length=300,
        optional=True,
        placeholder="写明乡镇（街道）和村（社区），如：白塔埠镇夏沟村3组",
        autocomplete="off",
    )
    reporter_name = forms.CharField(label="诉求人", max_length=50, required=False)
    reporter_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    anonymous = forms.BooleanField(label="匿名", required=False)
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="可选多个文件：图片、PDF、Word、Excel 或 MP4 视频，单个不超过 20MB",
    )

    def intake(self, category: Category) -> Intake:
        """The request the valid form says, of `category` (looked up from its code)."""
        data = self.cleaned_data
        return Intake(
            channel=data["channel"],
            category=category,
            title=data["title"],
            description=data["description"],
            urgency=data["urgency"],
            lat=data["lat"],
            lng=data["lng"],
            address=data["address"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            anonymous=data["anonymous"],
        )


def _queue_choices() -> list[tuple[str, str]]:
    """Read when the form is shown: other apps add their queues once every app is ready."""
    return [("", "我可查看的全部工单"), *queue_labels().items()]


class CaseFilterForm(forms.Form):
    """The list's filters; invalid values are dropped, never an error page."""

    q = forms.CharField(label="工单编号 / 关键词", max_length=50, required=False)
    state = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *State.choices], required=False
    )
    category = forms.CharField(label="事项分类", max_length=40, required=False)
    township = forms.CharField(label="乡镇（街道）", max_length=40, required=False)
    channel = forms.ChoiceField(
        label="来源渠道", choices=[("", "全部渠道"), *Channel.choices], required=False
    )
    # Several channels at once (a report's 社情民意 opens its channels' cases): repeated
    # `channels` parameters, kept by the filter form as hidden inputs.
    channels = forms.MultipleChoiceField(
        label="来源渠道（多个）",
        choices=Channel.choices,
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    urgency = forms.ChoiceField(
        label="紧急程度", choices=[("", "全部"), *Urgency.choices], required=False
    )
    card = forms.ChoiceField(
        label="督办牌",
        choices=[("", "全部"), ("any", "黄牌或红牌"), ("yellow", "黄牌"), ("red", "红牌")],
        required=False,
    )
    registered_from = DayField(label="受理日期自", required=False)
    registered_to = DayField(label="至", required=False)
    # Kept as hidden inputs: a report's figure opens the cases of one handling unit dispatched
    # in its period (the unit figures' basis), or of one village or grid (its hot spots).
    unit = forms.CharField(
        label="主办单位", max_length=40, required=False, widget=forms.HiddenInput
    )
    village = forms.CharField(
        label="村（社区）", max_length=40, required=False, widget=forms.HiddenInput
    )
    grid = forms.CharField(label="网格", max_length=40, required=False, widget=forms.HiddenInput)
    dispatched_from = DayField(label="派单日期自", required=False, widget=forms.HiddenInput)
    dispatched_to = DayField(label="派单日期至", required=False, widget=forms.HiddenInput)
    # Kept as hidden inputs: an assessment entry opens the cases behind a unit's figure of its
    # period (zhili.cases.figures.figure_q), shown above the list as what it lists.
    figure = forms.ChoiceField(
        label="考核口径",
        choices=[("", ""), *FIGURE_LABELS.items()],
        required=False,
        widget=forms.HiddenInput,
    )
    figure_unit = forms.CharField(
        label="被考核单位", max_length=40, required=False, widget=forms.HiddenInput
    )
    figure_from = DayField(label="统计日期自", required=False, widget=forms.HiddenInput)
    figure_to = DayField(label="统计日期至", required=False, widget=forms.HiddenInput)
    mine = forms.BooleanField(label="我上报的", required=False)
    due = forms.ChoiceField(
        label="办理时限", choices=[("", "全部"), *DUE_FILTERS.items()], required=False
    )
    queue = forms.ChoiceField(label="范围", choices=_queue_choices, required=False)

    def chosen_queue(self) -> str:
        """Which of the user's queues the list is drawn from ("": all they may see)."""
        self.is_valid()
        return self.cleaned_data.get("queue") or ""

    def figure_caption(self) -> str:
        """What an assessment entry's link lists, in words ("" without a figure)."""
        self.is_valid()
        data = self.cleaned_data
        figure = data.get("figure")
        if not figure:
            return ""
        parts = [f"考核口径：{FIGURE_LABELS[figure]}"]
        if code := data.get("figure_unit"):
            named = Organization.objects.filter(code=code).values_list("name", flat=True)
            parts.append(f"{named.first() or code}及其下级单位")
        first, last = data.get("figure_from"), data.get("figure_to")
        if first or last:
            parts.append(f"统计日期 {first or '…'} 至 {last or '…'}")
        return "；".join(parts)

    def filters(self, user: SystemActor = None) -> CaseFilters:
        """The filters; 我上报的 (`mine`) needs the `user` whose reports they are."""
        self.is_valid()
        data = self.cleaned_data
        mine = bool(data.get("mine")) and getattr(user, "pk", None) is not None
        return filters_from(
            CaseFilters,
            data,
            states=(data["state"],) if data.get("state") else (),
            channels=tuple(data.get("channels") or ()),
            reported_by=user.pk if mine and user is not None else None,
        )


# --- the forms of the workflow's actions --------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label="备注", max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = text_box("理由", max_length=300, rows=2)


DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class CodeListField(forms.Field):
    """Several organization codes under one name (checkboxes); the service checks them."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(v).strip()[:40] for v in values if str(v).strip()][:20]


class DispatchForm(forms.Form):
    unit = forms.CharField(label="承办单位", max_length=40, required=False)
    assisting = CodeListField(label="协办单位", required=False)
    assist_until = MomentField(
        label="协办时限",
        required=False,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text="不填则按主办时限的比例推算；不得晚于主办单位的办结时限",
    )
    note = forms.CharField(label="派单意见", max_length=500, required=False)


class ReplyForm(forms.Form):
    reply = text_box("办理结果", max_length=4000)
    attachments = MultipleFileField(label="附件", required=False)


class AssistReplyForm(forms.Form):
    reply = text_box("协办意见", max_length=4000)
    attachments = MultipleFileField(label="附件", required=False)


class ExtensionForm(forms.Form):
    until = MomentField(label="延期至", widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    reason = forms.CharField(label="延期理由", max_length=300)


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label="评价",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价结果"},
    )
    comment = forms.CharField(label="回访意见", max_length=500, required=False)


class MergeForm(forms.Form):
    master = forms.CharField(label="主工单编号", max_length=30)


class AssignDownForm(forms.Form):
    township = forms.CharField(label="交办乡镇（街道）", max_length=40, required=False)
    note = forms.CharField(label="交办意见", max_length=500, required=False)


class HandDownForm(forms.Form):
    unit = forms.CharField(
        label="交办单位", max_length=40, error_messages={"required": "请选择交办的下级单位"}
    )
    note = forms.CharField(label="交办意见", max_length=500, required=False)


class ReturnToSourceForm(forms.Form):
    reason = text_box(
        "退回理由",
        max_length=300,
        rows=2,
        missing="请填写退回理由",
        help_text="将作为答复告知来源渠道和诉求人，例如：事发地在临沭县，请向临沭县反映",
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "dispatch": DispatchForm,
    "reassign": DispatchForm,
    "acknowledge": NoteForm,
    "start": NoteForm,
    "reply": ReplyForm,
    "close": NoteForm,
    "send_back": ReasonForm,
    "rate": RateForm,
    "return": ReasonForm,
    "request_return": ReasonForm,
    "approve_return": NoteForm,
    "refuse_return": ReasonForm,
    "escalate": ReasonForm,
    "assign_down": AssignDownForm,
    "hand_down": HandDownForm,
    "return_to_source": ReturnToSourceForm,
    "request_extension": ExtensionForm,
    "approve_extension": NoteForm,
    "refuse_extension": ReasonForm,
    "suspend": ReasonForm,
    "resume": NoteForm,
    "merge": MergeForm,
    "reopen": ReasonForm,
    "assist_acknowledge": NoteForm,
    "assist_reply": AssistReplyForm,
}

# Actions taken with one click (their form has only an optional note).
ONE_CLICK = {
    "acknowledge",
    "start",
    "close",
    "approve_extension",
    "approve_return",
    "resume",
    "assist_acknowledge",
}
# Actions whose form carries files.
WITH_FILES = {"reply", "assist_reply"}
