"""Writes of the core mechanisms' own data (the holiday table)."""

from typing import Any

from django.db import transaction

from zhili.core import stamps, workcal
from zhili.core.audit import audit
from zhili.core.errors import full_clean
from zhili.core.models import Holiday


@transaction.atomic
def holiday_save(*, actor: Any, holiday: Holiday) -> Holiday:
    full_clean(holiday)
    holiday.save()
    stamps.bump(workcal.STAMP)
    audit(actor, "core.holiday.save", holiday, date=holiday.date, is_workday=holiday.is_workday)
    return holiday


@transaction.atomic
def holiday_delete(*, actor: Any, holiday: Holiday) -> None:
    audit(actor, "core.holiday.delete", holiday, date=holiday.date)
    holiday.delete()
    stamps.bump(workcal.STAMP)
