"""Forms of the training pages: a course, a lesson (recorded or live), a quiz question."""

from django import forms

from zhili.core.dates import DayField, MomentField
from zhili.core.formfields import text_box, text_line
from zhili.orgs.pickers import unit_kinds_field
from zhili.training.models import CourseState, QuestionKind


class ConfirmForm(forms.Form):
    """发布、结束培训: no input, the button confirms."""


class CourseFilterForm(forms.Form):
    state = forms.ChoiceField(choices=[("", "全部"), *CourseState.choices], required=False)


class CourseForm(forms.Form):
    title = text_line("课程名称", max_length=200)
    description = text_box("课程简介", max_length=5000, optional=True)
    due_on = DayField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    groups = unit_kinds_field("参训单位（整类）")
    audience = forms.MultipleChoiceField(label="参训单位（逐个）", choices=[], required=False)
    watch_ratio = forms.IntegerField(
        label="观看要求（%）",
        min_value=10,
        max_value=100,
        initial=90,
        help_text="看满课时视频的百分比才算看完",
    )
    pass_score = forms.IntegerField(label="测验及格分", min_value=0, max_value=100, initial=60)


class RecordedLessonForm(forms.Form):
    title = text_line("课时名称", max_length=200)
    video = forms.FileField(label="课时视频（MP4）")


class LiveLessonForm(forms.Form):
    title = text_line("课时名称", max_length=200)
    starts_at = MomentField(
        label="直播时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = text_line("题目", max_length=500)
    options = text_box("选项", rows=4, optional=True, placeholder="每行一个选项；判断题不填")
    answer = forms.CharField(
        label="正确答案",
        max_length=8,
        help_text="选项字母，如 B；多选题如 ACD；判断题填 A（正确）或 B（错误）",
    )
    points = forms.IntegerField(label="分值", min_value=1, max_value=100, initial=10)

    def clean_answer(self) -> list[int]:
        letters = self.cleaned_data["answer"].strip().upper().replace(" ", "").replace("，", "")
        if not letters or any(not "A" <= c <= "H" for c in letters):
            raise forms.ValidationError("请用选项字母填写，如 A 或 ACD")
        return [ord(c) - ord("A") for c in letters]

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines()]
