"""Forms of committee management (MEDIATION_MANAGE): a committee, its members, rooms,
mediators, their trainings, a new term."""

from django import forms
from django.http import QueryDict

from zhili.core.dates import DayField
from zhili.core.formfields import text_line
from zhili.mediation.forms.fields import DATE_INPUT, choice_field
from zhili.mediation.models import DisputeKind, Education, Employment, Gender
from zhili.orgs.models import Organization
from zhili.orgs.pickers import use_unit_picker


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=[("male", "男"), ("female", "女")])
    position = forms.ChoiceField(
        label="职务", choices=[("member", "委员"), ("vice_chair", "副主任"), ("chair", "主任")]
    )


class RoomForm(forms.Form):
    name = forms.CharField(label="调解室名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200, required=False)


def default_committee_name(org_name: str) -> str:
    """甲镇综治中心 -> 甲镇人民调解委员会；甲一村 -> 甲一村人民调解委员会."""
    base = org_name.removesuffix("社会治理综合服务中心").removesuffix("综治中心").strip()
    return f"{base or org_name}人民调解委员会"


class CommitteeForm(forms.Form):
    """新建调委会: the center it sits in, its name (defaulted from the center), its term."""

    organization = forms.ChoiceField(
        label="所在综治中心", error_messages={"required": "请选择所在综治中心"}
    )
    name = text_line(
        "调委会名称", max_length=100, optional=True, placeholder="不填则按所在综治中心命名"
    )
    term_start = DayField(
        label="本届任期开始",
        widget=DATE_INPUT,
        error_messages={"required": "请填写任期开始日期", "invalid": "日期格式不正确"},
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        organizations: list[Organization],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
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
    qualification = text_line(
        "资格证书或职业资格",
        max_length=100,
        optional=True,
        placeholder="如：法律职业资格、心理咨询师",
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
        data: QueryDict | None = None,
        *,
        prefix: str,
        initial: dict[str, object],
        users: list[tuple[str, str]],
        rooms: list[tuple[str, str]],
    ) -> None:
        super().__init__(data, prefix=prefix, initial=initial)
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
