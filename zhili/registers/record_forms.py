"""The forms of the houses and places pages. They only shape what the services check: the
grid offered is one the user keeps, a person is named by their full ID number (found in the
user's sight by the people register's selector), and a place kind's fields come from its line
of `places.PLACE_KINDS` (a form field per `kinds.Field`, named ``details.<key>`` like the
services' errors). The edit pages give the same forms the record's values as `initial`."""

from datetime import date

from django import forms
from django.http import QueryDict

from zhili.core.dates import DayField
from zhili.core.types import Actor
from zhili.registers import selectors
from zhili.registers.kinds import Field
from zhili.registers.models import HouseOwnership, HouseStructure, HouseUse
from zhili.registers.places import PLACE_KINDS

# Numbers typed as text (the pages' inputs are styled as text boxes; a phone keyboard shows
# digits by `inputmode`).
NUMBER = forms.TextInput(attrs={"inputmode": "decimal"})


def kept_grids(user: Actor) -> list[tuple[str, str]]:
    grids = selectors.visible_grids(user).select_related("village")
    return [
        (g.code, f"{g.village.display_area} · {g.name}")
        for g in grids
        if selectors.holds_grid(user, g)
    ]


class PlaceFieldsForm(forms.Form):
    grid = forms.ChoiceField(label="所属网格")
    address = forms.CharField(label="地址", max_length=200)
    lat = forms.FloatField(label="纬度", required=False, min_value=-90, max_value=90, widget=NUMBER)
    lng = forms.FloatField(
        label="经度", required=False, min_value=-180, max_value=180, widget=NUMBER
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        user: Actor,
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        grid = self.fields["grid"]
        assert isinstance(grid, forms.ChoiceField)
        grid.choices = [("", "请选择网格"), *kept_grids(user)]


class HouseForm(PlaceFieldsForm):
    use = forms.ChoiceField(label="房屋用途", choices=HouseUse.choices)
    ownership = forms.ChoiceField(label="产权性质", choices=HouseOwnership.choices)
    structure = forms.ChoiceField(label="建筑结构", choices=HouseStructure.choices)
    area_m2 = forms.DecimalField(
        label="建筑面积（平方米）", max_digits=9, decimal_places=2, widget=NUMBER
    )
    owner_id_number = forms.CharField(
        label="房主身份证号码", max_length=18, required=False, help_text="须已登记在实有人口中"
    )
    let = forms.BooleanField(label="出租房屋", required=False)

    field_order = ["grid", "address", "use", "ownership", "structure", "area_m2"]


class TenancyForm(forms.Form):
    id_number = forms.CharField(label="承租人身份证号码", max_length=18)
    starts_on = DayField(label="起租日期", initial=date.today)
    ends_on = DayField(label="止租日期", required=False)


class HazardForm(forms.Form):
    found_on = DayField(label="发现日期", initial=date.today)
    description = forms.CharField(label="隐患情况", max_length=500)


class ArchiveForm(forms.Form):
    why = forms.CharField(label="注销原因", max_length=200)


def detail_field(spec: Field) -> forms.Field:
    """The form field of one of a place kind's fields."""
    label, required = spec.label, spec.required
    if spec.type is bool:
        return forms.BooleanField(label=label, required=False)
    if spec.type is int:
        return forms.IntegerField(
            label=label, required=required, min_value=0, max_value=10**7, widget=NUMBER
        )
    if spec.type is date:
        return DayField(label=label, required=required)
    if spec.choices:
        choices = [("", "请选择"), *((c, c) for c in spec.choices)]
        return forms.ChoiceField(label=label, required=required, choices=choices)
    widget = forms.Textarea(attrs={"rows": 2}) if spec.max_length > 200 else None
    return forms.CharField(
        label=label, required=required, max_length=spec.max_length, widget=widget
    )


def _fact(value: object) -> object:
    """A fact of a place's form as its service reads it: None when empty, a date as ISO."""
    if value in (None, ""):
        return None
    return value.isoformat() if isinstance(value, date) else value


class PlaceForm(PlaceFieldsForm):
    name = forms.CharField(max_length=120)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)

    field_order = ["name", "credit_code", "grid", "address"]

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        user: Actor,
        kind: str,
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, user=user, initial=initial)
        spec = PLACE_KINDS[kind]
        self.fields["name"].label = spec.name_label
        if not spec.credit_code:
            del self.fields["credit_code"]
        for key, field in spec.fields.items():
            self.fields[f"details.{key}"] = detail_field(field)

    def values(self, *, clearing: bool = False) -> dict[str, object]:
        """The cleaned data as the service reads it (details as a dict, dates as ISO text).
        An empty fact is left out, or, `clearing` (an edit), given as None: cleared."""
        data = self.cleaned_data
        details = {
            name.removeprefix("details."): _fact(value)
            for name, value in data.items()
            if name.startswith("details.") and (clearing or _fact(value) is not None)
        }
        values = {k: v for k, v in data.items() if not k.startswith("details.")}
        return {**values, "details": details}

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("details.")]

    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("details.")]
