import pytest

from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.core.personal import (
    id_number_check_digit,
    mask_id_number,
    mask_phone,
    personal_data_reveal,
    validate_id_number,
    validate_phone,
)


def test_id_number_check_digit_of_the_standard_example():
    # The worked example of GB 11643-1999.
    assert id_number_check_digit("11010519491231002") == "X"
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100", "18位"),
        ("", "18位"),
    ],
)
def test_bad_id_numbers_are_refused_naming_the_field(value, message):
    with pytest.raises(InvalidInput) as caught:
        validate_id_number(value, field="parties.0.id_number")
    assert message in caught.value.message
    assert caught.value.field == "parties.0.id_number"


def test_phones():
    assert validate_phone("138 0013 8000") == "13800138000"
    assert validate_phone("0518-87654321") == "0518-87654321"
    with pytest.raises(InvalidInput):
        validate_phone("12345")


def test_masks():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("110") == "1**"
    assert mask_phone("") == ""
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_reveal_is_audited_and_needs_the_permission(personas):
    personas.township.phone = "13912345678"
    personas.township.save()
    value = personal_data_reveal(actor=personas.dispatcher, target=personas.township, field="phone")
    assert value == "13912345678"
    row = AuditLog.objects.get(action="personal_data.reveal")
    assert (row.actor, row.target_id, row.extra) == (
        personas.dispatcher,
        str(personas.township.pk),
        {"field": "phone"},
    )
    with pytest.raises(Forbidden):
        personal_data_reveal(actor=personas.gridworker, target=personas.township, field="phone")
    assert AuditLog.objects.filter(action="personal_data.reveal").count() == 1


def test_numbers_inside_free_text_are_masked():
    from zhili.core.personal import mask_personal_text

    text = "张三 13812345678 家住320722199001011234，座机 0518-87654321，门牌 12号"
    masked = mask_personal_text(text)
    assert "13812345678" not in masked and "138****5678" in masked
    assert "320722199001011234" not in masked and "320722********1234" in masked
    assert "87654321" not in masked
    assert masked.endswith("门牌 12号")
