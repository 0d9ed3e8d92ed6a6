"""Forms of the petition pages: registration, the list's filters, the actions' small forms,
the key-petitioner form. They check the shape of the input; the rules live in
zhili.petitions.services, whose errors come back beside the field they name."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.http import QueryDict

from zhili.core.dates import DayField, MomentField
from zhili.core.formfields import rating_choice, text_box, text_line
from zhili.orgs.models import Level, Organization
from zhili.orgs.pickers import use_unit_picker
from zhili.petitions import deadlines
from zhili.petitions.models import (
    Category,
    Delivery,
    Form,
    KeyLevel,
    Kind,
    Outcome,
    Rating,
    Route,
    State,
)
from zhili.petitions.selectors import DUE_FILTERS
from zhili.petitions.services import PersonIn, Registration
from zhili.petitions.services.common import HANDLING_KINDS

PERSON_ROWS = 3  # rows shown at first on the registration page (more are added in place)
MAX_ROWS = 50


def _choices(blank: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", blank), *choices]


def township_choices() -> list[tuple[str, str]]:
    rows = Organization.objects.filter(level=Level.TOWNSHIP, kind="center", is_active=True)
    return [(o.code, o.area_name or o.name) for o in rows.order_by("code")]


def handling_units() -> QuerySet[Organization]:
    """The units a petition may be transferred or assigned to (a unit picker, grouped)."""
    return Organization.objects.filter(
        kind__in=HANDLING_KINDS, level__in=[Level.COUNTY, Level.TOWNSHIP], is_active=True
    )


class RegisterForm(forms.Form):
    form = forms.ChoiceField(label="信访形式", choices=_choices("请选择", Form.choices))
    kind = forms.ChoiceField(label="信访类别", choices=_choices("请选择", Kind.choices))
    route = forms.ChoiceField(
        label="办理途径（申诉求决类）",
        choices=_choices("转送交办时选择", Route.choices),
        required=False,
    )
    category = forms.ChoiceField(label="内容分类", choices=_choices("请选择", Category.choices))
    township = forms.ChoiceField(label="问题属地", required=False)
    title = forms.CharField(label="标题", max_length=200)
    matter = text_box(
        "信访事项", max_length=5000, rows=5, placeholder="信访人反映的问题、诉求和理由"
    )
    received_at = MomentField(
        label="收到时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="不填为现在；来信以收信日期为准",
    )
    is_group = forms.BooleanField(label="集体访（多人共同提出）", required=False)
    is_anonymous = forms.BooleanField(label="匿名信访（来信、网上信访、传真）", required=False)
    people_count = forms.IntegerField(label="人数", min_value=1, max_value=10000, initial=1)
    repeat_override = text_box(
        "新的事实和理由（仅对已复核终结的事项）", max_length=500, rows=2, optional=True
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        township = self.fields["township"]
        assert isinstance(township, forms.ChoiceField)
        township.choices = _choices("不指定", township_choices())
        for name in self.fields:
            self.fields[name].error_messages.setdefault("required", "此项必填")
            self.fields[name].error_messages["required"] = f"请填写{self.fields[name].label}"

    def people(self) -> tuple[list[PersonIn], list[PersonIn]]:
        """(representatives, others) from the repeated person rows of the page."""
        data = self.data if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        names = data.getlist("person_name")[:MAX_ROWS]
        ids = data.getlist("person_id_number")
        phones = data.getlist("person_phone")
        addresses = data.getlist("person_address")
        reps = set(data.getlist("person_rep"))
        representatives: list[PersonIn] = []
        others: list[PersonIn] = []
        for i, name in enumerate(names):
            person = PersonIn(
                name=name.strip(),
                id_number=ids[i].strip() if i < len(ids) else "",
                phone=phones[i].strip() if i < len(phones) else "",
                address=addresses[i].strip() if i < len(addresses) else "",
            )
            if not (person.name or person.id_number or person.phone):
                continue
            (representatives if str(i) in reps else others).append(person)
        return representatives, others

    def registration(self) -> Registration:
        data = self.cleaned_data
        representatives, others = self.people()
        return Registration(
            form=data["form"],
            kind=data["kind"],
            route=data.get("route") or "",
            title=data["title"],
            matter=data["matter"],
            category=data["category"],
            township=data.get("township") or "",
            is_group=bool(data.get("is_group")),
            is_anonymous=bool(data.get("is_anonymous")),
            people_count=data.get("people_count") or 1,
            received_at=data.get("received_at"),
            petitioners=others,
            representatives=representatives,
            repeat_override=data.get("repeat_override") or "",
        )


class FilterForm(forms.Form):
    """The list's filters. Invalid values are dropped, never an error page."""

    state = forms.ChoiceField(
        label="状态", choices=_choices("全部状态", State.choices), required=False
    )
    kind = forms.ChoiceField(
        label="类别", choices=_choices("全部类别", Kind.choices), required=False
    )
    form = forms.ChoiceField(
        label="形式", choices=_choices("全部形式", Form.choices), required=False
    )
    category = forms.ChoiceField(
        label="内容分类", choices=_choices("全部分类", Category.choices), required=False
    )
    card = forms.ChoiceField(
        label="督办牌",
        choices=[("", "全部"), ("any", "黄牌或红牌"), ("yellow", "黄牌"), ("red", "红牌")],
        required=False,
    )
    q = forms.CharField(label="编号或标题", max_length=50, required=False)
    received_from = DayField(label="收到日期自", required=False)
    received_to = DayField(label="至", required=False)
    group = forms.BooleanField(label="只看集体访", required=False)
    repeat = forms.BooleanField(label="只看重复信访", required=False)
    pending_extension = forms.BooleanField(label="只看待审批延期", required=False)
    due = forms.ChoiceField(
        label="办理时限", choices=_choices("全部", list(DUE_FILTERS.items())), required=False
    )


class NoteForm(forms.Form):
    note = text_box("说明", max_length=500, optional=True)


class AssignForm(forms.Form):
    handling_unit = forms.ChoiceField(
        label="承办单位",
        required=False,
        help_text="检举控告类转纪检监察机关、涉法涉诉转政法机关（不选即按规定转送）",
    )
    route = forms.ChoiceField(
        label="办理途径（申诉求决类）", choices=_choices("请选择", Route.choices), required=False
    )
    note = text_box("交办意见", max_length=500, optional=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        use_unit_picker(self.fields["handling_unit"], handling_units(), "请选择承办单位")


class NotAcceptForm(forms.Form):
    reason = text_box("不予受理理由", max_length=2000, missing="请填写不予受理的理由")
    where = text_line(
        "告知信访人的途径",
        max_length=300,
        missing="请告知信访人可以向哪里、通过什么途径提出",
        placeholder="如：依法向东海县人民法院提起诉讼",
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1)
    reason = text_box("延期理由（告知信访人）", max_length=500, missing="请填写延期理由")

    def __init__(self, *args: Any, **kwargs: Any):
        """The most days come from the deadline table when the form is made, so that the
        field, its message and the service agree."""
        super().__init__(*args, **kwargs)
        most = deadlines.days("extension")
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = most
        days.initial = most
        days.validators = [v for v in days.validators if not isinstance(v, MaxValueValidator)]
        days.validators.append(MaxValueValidator(most))
        days.widget.attrs["max"] = str(most)
        wrong = f"延期天数应为1至{most}天（{deadlines.article('extension')}）"
        days.error_messages.update(
            {"required": "请填写延长天数", "min_value": wrong, "max_value": wrong}
        )


class HandBackForm(forms.Form):
    reason = text_box(
        "异议理由（不属于本单位职权范围的理由）",
        max_length=2000,
        missing="请详细说明不属于本单位职权范围的理由",
    )


class RefuseForm(forms.Form):
    reason = text_box("理由", max_length=2000, missing="请填写理由")


class ReplyForm(forms.Form):
    """The written reply's content (第三十二条第一款): requests, facts, outcome, opinion, basis."""

    requests = text_box(
        "信访请求",
        max_length=5000,
        optional=True,
        help_text="信访人提出的请求；不填为登记的信访事项",
    )
    facts = text_box("查明的事实", max_length=5000, rows=4, missing="请填写查明的事实")
    outcome = forms.ChoiceField(
        label="处理结论",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择处理结论", "invalid_choice": "请选择处理结论"},
    )
    reply = text_box("处理意见", max_length=5000, rows=4, missing="请填写处理意见")
    basis = text_box(
        "法律法规及政策依据", max_length=2000, rows=2, missing="请填写处理意见的法律法规或政策依据"
    )


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeliverForm(forms.Form):
    delivered_on = DayField(
        label="送达日期",
        widget=DATE_INPUT,
        help_text="信访人收到之日；复查（复核）申请期限自该日起算",
        error_messages={"required": "请填写送达日期"},
    )
    delivery_method = forms.ChoiceField(
        label="送达方式",
        choices=_choices("请选择", Delivery.choices),
        error_messages={"required": "请选择送达方式"},
    )


class HearingForm(forms.Form):
    hearing_on = DayField(label="日期", widget=DATE_INPUT, required=False, help_text="不填为今天")


class RequestForm(forms.Form):
    reason = text_box("请求和理由", max_length=2000, missing="请填写请求和理由")
    requested_on = DayField(
        label="提出请求日期",
        widget=DATE_INPUT,
        required=False,
        help_text="不填为今天；来信以收信日期为准",
    )
    unit = forms.ChoiceField(label="复查（复核）机关", required=False, help_text="不选为上一级机关")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        use_unit_picker(self.fields["unit"], handling_units(), "上一级机关（默认）")


class OpinionForm(forms.Form):
    opinion = text_box("意见", max_length=5000, rows=4, missing="请填写意见")


class RateForm(forms.Form):
    rating = rating_choice("信访人评价", Rating.choices)
    comment = text_box("评价意见", max_length=500, optional=True)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "assign": AssignForm,
    "hand_back": HandBackForm,
    "approve_hand_back": NoteForm,
    "refuse_hand_back": RefuseForm,
    "accept": NoteForm,
    "not_accept": NotAcceptForm,
    "start": NoteForm,
    "extend": ExtendForm,
    "approve_extension": NoteForm,
    "refuse_extension": RefuseForm,
    "reply": ReplyForm,
    "deliver": DeliverForm,
    "request_review": RequestForm,
    "decide_review": OpinionForm,
    "hearing_start": HearingForm,
    "hearing_end": HearingForm,
    "request_re_review": RequestForm,
    "decide_re_review": OpinionForm,
    "close": NoteForm,
    "rate": RateForm,
}


class KeyPetitionerForm(forms.Form):
    level = forms.ChoiceField(label="关注等级", choices=_choices("请选择", KeyLevel.choices))
    reason = text_box("列管原因", max_length=2000)
    responsible_unit = forms.ChoiceField(label="责任单位")
    measures = text_box("稳控化解措施", max_length=2000, optional=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        use_unit_picker(self.fields["responsible_unit"], handling_units(), "请选择责任单位")
