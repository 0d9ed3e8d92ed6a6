"""The upload form; it only parses input (zhili.imports.services checks the file)."""

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        error_messages={"required": "请选择要导入的 Excel 文件"},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
