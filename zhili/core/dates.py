"""The days any input may name: 2000-01-01 to 2099-12-31.

Far beyond real use, and within what Python's date arithmetic (the end of a day in local
time, then in UTC) and every database can take: a date outside is refused as a field error,
never an overflow. The API's `Day` type (zhili/orgs/api.py) and the pages' `DayField` both
take their bounds from here.
"""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


class DayField(forms.DateField):
    """A date filter of a page, bounded to FIRST_DAY..LAST_DAY."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.validators += [
            MinValueValidator(FIRST_DAY, message=f"日期不能早于{FIRST_DAY:%Y-%m-%d}"),
            MaxValueValidator(LAST_DAY, message=f"日期不能晚于{LAST_DAY:%Y-%m-%d}"),
        ]
