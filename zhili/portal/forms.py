"""The citizen's forms. They parse input; the rules are in zhili.cases.services."""

import re

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from zhili.cases.forms import MultipleFileField
from zhili.cases.models import Rating
from zhili.core.errors import InvalidInput
from zhili.core.formfields import rating_choice, text_box, text_line
from zhili.core.personal import validate_phone
from zhili.petitions.models import Rating as PetitionRating
from zhili.portal import selectors

MAX_PHOTOS = 3
CASE_NO = re.compile(r"^[A-Za-z0-9-]{6,30}$")


class ReportForm(forms.Form):
    category = forms.ChoiceField(label="诉求类别", error_messages={"required": "请选择诉求类别"})
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    address = text_line(
        "详细地址", max_length=300, optional=True, placeholder="如：牛山街道和平路12号小区东门"
    )
    description = forms.CharField(
        label="诉求内容",
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "请说明发生了什么、在哪里、持续多久、希望如何解决"}
        ),
        error_messages={
            "required": "请填写诉求内容",
            "min_length": "诉求内容至少5个字，请说得具体一些",
        },
    )
    photos = MultipleFileField(label="现场照片", required=False)
    reporter_phone = text_line(
        "联系电话",
        max_length=20,
        missing="请填写联系电话，用于办理回复和进度查询",
        inputmode="tel",
        autocomplete="tel",
    )
    reporter_name = text_line("姓名（选填）", max_length=50, optional=True, autocomplete="name")
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)
    challenge_answer = text_line(
        "验证题", max_length=10, optional=True, inputmode="numeric", autocomplete="off"
    )
    # The honeypot: hidden from people by the stylesheet, filled in by robots.
    website = forms.CharField(required=False, max_length=200)

    def __init__(
        self,
        data: QueryDict | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
    ) -> None:
        super().__init__(data, files)
        self.groups = selectors.category_choices()
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "请选择诉求类别"), *self.groups]

    def clean_reporter_phone(self) -> str:
        try:
            return validate_phone(self.cleaned_data["reporter_phone"], field="reporter_phone")
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self) -> None:
        data = self.cleaned_data
        if (data.get("lat") is None) != (data.get("lng") is None):
            self.add_error("address", "地图选点不完整，请重新点选或填写地址")
        elif data.get("lat") is None and not (data.get("address") or "").strip():
            self.add_error("address", "请在地图上点选位置，或填写详细地址")


class PhoneTailForm(forms.Form):
    """A lookup by a record's number and the last four digits of the phone on it."""

    phone_tail = text_line(
        "联系电话后四位",
        max_length=4,
        missing="请填写联系电话后四位",
        inputmode="numeric",
        autocomplete="off",
    )

    def clean_phone_tail(self) -> str:
        value = self.cleaned_data["phone_tail"].strip()
        if not re.fullmatch(r"\d{4}", value):
            raise forms.ValidationError("请填写4位数字")
        return value


class RecordNumberField(forms.CharField):
    """A record's number as the citizen types it: trimmed, in upper case, of its pattern
    (`example` shows one)."""

    def __init__(self, *, label: str, pattern: re.Pattern[str], example: str) -> None:
        super().__init__(
            label=label,
            max_length=30,
            widget=forms.TextInput(attrs={"placeholder": f"如：{example}", "autocomplete": "off"}),
            error_messages={"required": f"请填写{label}"},
        )
        self.pattern, self.example = pattern, example

    def clean(self, value: str | None) -> str:
        number = str(super().clean(value)).upper()
        if not self.pattern.match(number):
            raise forms.ValidationError(f"{self.label}格式不正确，如：{self.example}")
        return number


class LookupForm(PhoneTailForm):
    field_order = ["case_no", "phone_tail"]
    case_no = RecordNumberField(label="诉求编号", pattern=CASE_NO, example="DH20260315-00012")


class RateForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    rating = rating_choice("您对办理结果的评价", Rating.choices)
    comment = text_box("意见建议（选填）", max_length=500, optional=True)


PETITION_NO = re.compile(r"^[A-Za-z]{1,4}\d{4}-\d{4,8}$")


class PetitionLookupForm(PhoneTailForm):
    """信访事项查询: the petition number and the last four digits of a petitioner's phone."""

    field_order = ["number", "phone_tail"]
    number = RecordNumberField(label="信访件编号", pattern=PETITION_NO, example="XF2026-000123")


class PetitionRateForm(RateForm):
    rating = rating_choice("您对信访事项办理的评价", PetitionRating.choices)
