"""Personal data: validation of resident ID numbers (GB 11643) and phone numbers, and masks.

Lists and details show masked values; the full value is shown only through a reveal that
writes an audit row (`personal_data_reveal`).
"""

import re
from datetime import date

from django.db import models, transaction

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_PATTERN = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_number_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str, *, field: str = "id_number") -> str:
    """An 18-character resident ID number with a valid birth date and check digit."""
    number = (value or "").strip().upper()
    if not _ID_PATTERN.match(number):
        raise InvalidInput("身份证号码应为18位，最后一位可以是数字或X", field=field)
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidInput("身份证号码中的出生日期无效", field=field) from exc
    if id_number_check_digit(number[:17]) != number[17]:
        raise InvalidInput("身份证号码校验位不正确", field=field)
    return number


def validate_phone(value: str, *, field: str = "phone") -> str:
    """A mainland mobile number (11 digits) or a landline with area code."""
    phone = re.sub(r"[\s()]", "", value or "")
    if not (_MOBILE_PATTERN.match(phone) or _LANDLINE_PATTERN.match(phone)):
        raise InvalidInput("电话号码格式不正确（手机11位，或带区号的固定电话）", field=field)
    return phone


def mask_phone(value: object) -> str:
    """138****5678; short numbers keep only their first digit."""
    digits = str(value or "").strip()
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return digits[:1] + "*" * (len(digits) - 1) if digits else ""


def mask_name(value: object) -> str:
    """赵**: a person's name with only its first character, for lists read by many."""
    name = str(value or "").strip()
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


def mask_id_number(value: object) -> str:
    """320722********1234: region code and last four kept, birth date hidden."""
    number = str(value or "").strip()
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


# The same numbers inside free text (a description, a reply), where they are not alone.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_LANDLINE_IN_TEXT = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def mask_personal_text(text: str) -> str:
    """Free text with resident ID numbers and phone numbers masked, for public outputs."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group()), text or "")
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
    return _LANDLINE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)


@transaction.atomic
def personal_data_reveal(*, actor: Actor, target: models.Model, field: str) -> str:
    """The full value of `field` on `target`, for a user allowed to see it; audited."""
    require(actor, Action.PERSONAL_DATA_REVEAL)
    audit(actor, "personal_data.reveal", target, field=field)
    return str(getattr(target, field) or "")


@transaction.atomic
def personal_data_print(
    *, actor: Actor, target: models.Model, document: str, fields: tuple[str, ...] = ()
) -> None:
    """Record that `actor` printed `document` about `target`, with the personal `fields` it
    shows (``reporter_phone:full`` when a number is printed unmasked); audited like a reveal.
    The caller has checked the scope, and the reveal permission for a full number."""
    audit(actor, "personal_data.print", target, document=document, fields=list(fields))
