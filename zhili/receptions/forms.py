"""Forms of the reception pages. They check the shape of the input only; the rules (who
may, which day, which slot) live in `zhili.receptions.services`, whose errors come back
beside the field they name."""

from collections.abc import Mapping, Sequence

from django import forms

from zhili.core.dates import DayField
from zhili.core.formfields import text_box, text_line
from zhili.receptions.models import Mode

TIME = {"type": "time"}


# What the forms here are made with: the submitted data, the values shown first, and the
# (pk, label) choices of leaders, units and staff; a leader choice may be a center's group.
FormData = Mapping[str, object] | None
Initial = Mapping[str, object] | None
Choices = list[tuple[int, str]]
LeaderChoice = tuple[int, str] | tuple[str, Choices]


def _initial(initial: Initial) -> dict[str, object] | None:
    return dict(initial) if initial is not None else None


class RotaDayForm(forms.Form):
    """The day's arrangement: leader, place, hours, how many appointments it takes."""

    leader = forms.TypedChoiceField(label="接访领导", coerce=int, choices=[])
    place = forms.CharField(label="接访地点", max_length=100, required=False)
    starts_at = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs=TIME))
    ends_at = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs=TIME))
    slots = forms.IntegerField(label="预约名额", min_value=1, max_value=50)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, data: FormData = None, *, leaders: Choices, initial: Initial = None) -> None:
        super().__init__(data, initial=_initial(initial))
        self.fields["leader"].choices = [("", "请选择"), *leaders]  # type: ignore[attr-defined]


class BookForm(forms.Form):
    slot_time = forms.TimeField(
        label="预约时间",
        widget=forms.TimeInput(attrs=TIME),
        error_messages={"required": "请填写预约时间"},
    )
    petition = text_line(
        "信访事项编号",
        max_length=30,
        optional=True,
        placeholder="已登记的填写编号，如 XF2026-000123",
    )
    visitor_name = forms.CharField(label="来访人姓名", max_length=50, required=False)
    visitor_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    people_count = forms.IntegerField(label="来访人数", min_value=1, max_value=200, required=False)
    subject = forms.CharField(label="反映事项", max_length=200, required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)


class BookingForm(BookForm):
    """A township's or village's booking of a county leader's day (视频接访): the day and the
    room the petitioner sits in besides the slot and who comes."""

    rota_day = forms.IntegerField(
        label="接访日", widget=forms.HiddenInput, error_messages={"required": "请选择接访日"}
    )
    waiting_room = forms.CharField(
        label="候访地点",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "本中心视频接访室"}),
    )

    field_order = [
        "rota_day",
        "slot_time",
        "visitor_name",
        "visitor_phone",
        "people_count",
        "petition",
        "subject",
        "waiting_room",
        "note",
    ]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="取消原因", max_length=500, error_messages={"required": "请填写取消原因"}
    )


class NoShowForm(forms.Form):
    note = forms.CharField(label="说明", max_length=500, required=False)


class ReceptionForm(forms.Form):
    """The record of a reception: mode, attendees, what was asked and decided."""

    mode = forms.ChoiceField(
        label="接访方式", choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.IN_PERSON
    )
    visitor_name = forms.CharField(label="来访人姓名", max_length=50, required=False)
    petition = forms.CharField(label="信访事项编号", max_length=30, required=False)
    departments = forms.TypedMultipleChoiceField(
        label="联合接访部门", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    staff = forms.TypedMultipleChoiceField(
        label="陪同接访人员", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    request = text_box("来访诉求", max_length=5000, missing="请填写来访诉求")
    decision = text_box("处理意见", max_length=5000, missing="请填写处理意见")
    assigned_unit = forms.TypedChoiceField(
        label="责任单位", coerce=int, required=False, empty_value=None
    )
    deadline = DayField(
        label="办理时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        data: FormData = None,
        *,
        units: Choices,
        staff: Choices | None = None,
        walk_in: bool = False,
    ) -> None:
        super().__init__(data)
        self.fields["departments"].choices = units  # type: ignore[attr-defined]
        self.fields["staff"].choices = staff or []  # type: ignore[attr-defined]
        self.fields["assigned_unit"].choices = [("", "不指定"), *units]  # type: ignore[attr-defined]
        if not walk_in:
            del self.fields["visitor_name"]
            del self.fields["petition"]


class OwnershipForm(forms.Form):
    petition = forms.CharField(
        label="信访事项编号", max_length=30, error_messages={"required": "请填写信访事项编号"}
    )
    target_date = DayField(
        label="化解目标日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写化解目标日期"},
    )
    note = forms.CharField(label="包案说明", max_length=2000, required=False)


class AssignOwnershipForm(forms.Form):
    """Petition staff assign a 包案: the petition by number, the leader, the target date."""

    petition = text_line(
        "信访事项编号",
        max_length=30,
        missing="请填写信访事项编号",
        placeholder="如 XF2026-000123",
        autocomplete="off",
    )
    leader = forms.TypedChoiceField(
        label="包案领导",
        coerce=int,
        choices=[],
        error_messages={"required": "请选择包案领导", "invalid_choice": "请选择包案领导"},
    )
    target_date = DayField(
        label="化解目标日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写化解目标日期"},
    )
    note = forms.CharField(label="包案说明", max_length=2000, required=False)

    def __init__(
        self, data: FormData = None, *, leaders: Sequence[LeaderChoice], initial: Initial = None
    ) -> None:
        super().__init__(data, initial=_initial(initial))
        self.fields["leader"].choices = [("", "请选择"), *leaders]  # type: ignore[attr-defined]


class OwnershipFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="包案状态",
        required=False,
        choices=[("", "全部"), ("active", "包案中"), ("overdue", "已超期"), ("resolved", "已化解")],
    )
    leader = forms.TypedChoiceField(
        label="包案领导", coerce=int, required=False, empty_value=None, choices=[]
    )

    def __init__(self, data: FormData = None, *, leaders: Choices) -> None:
        super().__init__(data)
        self.fields["leader"].choices = [("", "全部领导"), *leaders]  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    note = text_box("进展情况", max_length=2000, rows=2, missing="请填写进展情况")


class ResolveForm(forms.Form):
    resolution = text_box("化解情况", max_length=2000, rows=2, missing="请填写化解情况")


class PeriodForm(forms.Form):
    start = DayField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = DayField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.CharField(required=False, max_length=20)
    desc = forms.BooleanField(required=False)
