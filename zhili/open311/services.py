"""Every write of the Open311 endpoint: a service request becomes a case through the one
intake (`case_register`, channel open311, no staff actor), with its extras kept beside it."""

import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from zhili.cases.models import Case, Category, Channel
from zhili.cases.services import Intake, case_register
from zhili.core.audit import audit
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.personal import validate_phone
from zhili.integrations.models import ApiKey
from zhili.integrations.services import apikey_use
from zhili.open311.formats import parse_w3c, w3c
from zhili.open311.models import Datatype, ServiceAttribute, ServiceRequest
from zhili.open311.selectors import service_get

DESCRIPTION_MAX = 4000  # the spec's limit
TITLE_MAX = 30
STRING_MAX, TEXT_MAX = 200, 2000
# case_register names the intake's fields; the client knows the spec's.
SPEC_FIELDS = {
    "lng": "long",
    "address": "address_string",
    "title": "description",
    "category": "service_code",
    "reporter_phone": "phone",
}
_SENTENCE_END = re.compile(r"[。!?!?;;\n]")

# An answer to a service's question, as stored (a W3C datetime as its text).
Answer: TypeAlias = str | int | float | list[str] | None


@dataclass(frozen=True)
class Submission:
    """A POST requests call, as strings, the way the client sent them."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    description: str = ""
    media_url: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    attributes: Mapping[str, list[str]] = field(default_factory=dict)


def open311_key(raw: str, *, what: str = "") -> ApiKey:
    """The active Open311 key `raw` (its use audited), or 403."""
    key = apikey_use((raw or "").strip(), channel=Channel.OPEN311, what=what)
    if key is None:
        raise Forbidden("api_key 无效、已吊销或不属于 Open311 渠道", field="api_key")
    return key


def _limit(value: str, limit: int, name: str, label: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}字", field=name)
    return value


def _coordinate(value: str, name: str, bound: float) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > bound:
        raise InvalidInput(f"{name} 应为 -{bound:g} 到 {bound:g} 之间的数字", field=name)
    return number


def _location(s: Submission) -> tuple[float | None, float | None, str]:
    lat_text, lng_text = s.lat.strip(), s.long.strip()
    address = _limit(s.address_string, 300, "address_string", "地址")
    if bool(lat_text) != bool(lng_text):
        raise InvalidInput("lat 与 long 须同时提供", field="long" if lat_text else "lat")
    if not lat_text:
        if not address:
            raise InvalidInput("请提供位置：lat 和 long，或 address_string", field="address_string")
        return None, None, address
    return _coordinate(lat_text, "lat", 90), _coordinate(lng_text, "long", 180), address


def _contact(s: Submission) -> dict[str, str]:
    email = _limit(s.email, 254, "email", "电子邮箱")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as exc:
            raise InvalidInput("电子邮箱格式不正确", field="email") from exc
    media_url = _limit(s.media_url, 1000, "media_url", "图片链接")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as exc:
            raise InvalidInput("media_url 应为 http(s) 链接", field="media_url") from exc
    first = _limit(s.first_name, 25, "first_name", "名")
    last = _limit(s.last_name, 25, "last_name", "姓")
    return {
        "email": email,
        "media_url": media_url,
        "device_id": _limit(s.device_id, 100, "device_id", "设备标识"),
        "account_id": _limit(s.account_id, 100, "account_id", "账号标识"),
        "name": f"{last}{first}" if not (first + last).isascii() else f"{first} {last}".strip(),
        "phone": validate_phone(s.phone, field="phone") if s.phone.strip() else "",
    }


def _choices(attribute: ServiceAttribute) -> dict[str, str]:
    return {v.key: v.name for v in attribute.values.all()}


def _listed(choices: dict[str, str]) -> str:
    return "、".join(f"{key}（{name}）" for key, name in choices.items())


def _answer(attribute: ServiceAttribute, raw: list[str], name: str) -> Answer:
    label = attribute.description
    if attribute.datatype == Datatype.MULTIVALUELIST:
        choices = _choices(attribute)
        wrong = [v for v in raw if v not in choices]
        if wrong:
            raise InvalidInput(
                f"“{label}”没有可选值 {'、'.join(wrong)}，可选：{_listed(choices)}", field=name
            )
        return list(dict.fromkeys(raw))
    if len(raw) > 1:
        raise InvalidInput(f"“{label}”只能填写一个值", field=name)
    value = raw[0]
    if attribute.datatype == Datatype.SINGLEVALUELIST:
        choices = _choices(attribute)
        if value not in choices:
            raise InvalidInput(f"“{label}”没有可选值 {value}，可选：{_listed(choices)}", field=name)
        return value
    if attribute.datatype == Datatype.NUMBER:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise InvalidInput(f"“{label}”应为数字", field=name)
        return int(number) if number.is_integer() and "." not in value else number
    if attribute.datatype == Datatype.DATETIME:
        return w3c(parse_w3c(value, field=name))
    limit = TEXT_MAX if attribute.datatype == Datatype.TEXT else STRING_MAX
    return _limit(value, limit, name, f"“{label}”")


def validate_attributes(
    definitions: Iterable[ServiceAttribute], given: Mapping[str, list[str]]
) -> dict[str, Answer]:
    """The answers to the service's questions, checked against their definitions. Answers to
    unknown or informational attributes are ignored, so that a client with an older copy of
    the definition is not refused."""
    answers: dict[str, Answer] = {}
    for attribute in definitions:
        if not attribute.variable:
            continue
        name = f"attribute[{attribute.code}]"
        raw = [v.strip() for v in given.get(attribute.code, []) if v.strip()]
        if not raw:
            if attribute.required:
                raise InvalidInput(f"请填写“{attribute.description}”", field=name)
            continue
        answers[attribute.code] = _answer(attribute, raw, name)
    return answers


def _shown(attribute: ServiceAttribute, answer: Answer) -> str:
    choices = _choices(attribute)
    if isinstance(answer, list):
        return "、".join(choices.get(str(v), str(v)) for v in answer)
    return choices.get(str(answer), str(answer))


def _case_text(
    category: Category, description: str, answers: dict[str, Answer], media_url: str
) -> tuple[str, str]:
    """The case's title and description: the citizen's words, then the answers to the
    service's questions and the media link, so that the officers see them on the case."""
    text = description or f"通过 Open311 接口提交的“{category.name}”诉求（未附说明）"
    first = _SENTENCE_END.split(description, maxsplit=1)[0].strip() if description else ""
    title = first[:TITLE_MAX] if first else category.name
    lines = [
        f"{a.description}：{_shown(a, answers[a.code])}"
        for a in category.active_attributes  # type: ignore[attr-defined]
        if a.code in answers
    ]
    if lines:
        text += "\n\n【附加信息】\n" + "\n".join(lines)
    if media_url:
        text += f"\n\n图片：{media_url}"
    return title, text


def _spec_field(exc: InvalidInput) -> InvalidInput:
    name = SPEC_FIELDS.get(exc.field or "", exc.field)
    return InvalidInput(exc.message, field=name, code=exc.code)


@transaction.atomic
def service_request_create(*, api_key: ApiKey, submission: Submission) -> ServiceRequest:
    """Register the request as a case (channel open311) and keep its extras beside it."""
    code = submission.service_code.strip()
    if not code:
        raise InvalidInput("请提供 service_code", field="service_code")
    category = service_get(code)
    lat, lng, address = _location(submission)
    description = _limit(submission.description, DESCRIPTION_MAX, "description", "描述")
    contact = _contact(submission)
    answers = validate_attributes(category.active_attributes, submission.attributes)  # type: ignore[attr-defined]
    title, text = _case_text(category, description, answers, contact["media_url"])
    token = uuid.uuid4().hex
    intake = Intake(
        channel=Channel.OPEN311,
        category=category,
        title=title,
        description=text,
        lat=lat,
        lng=lng,
        address=address,
        reporter_name=contact["name"],
        reporter_phone=contact["phone"],
        external_id=token,
    )
    try:
        case = case_register(actor=None, intake=intake)
    except InvalidInput as exc:
        raise _spec_field(exc) from exc
    return _keep_extras(case, token, api_key, answers, contact)


def _keep_extras(
    case: Case, token: str, api_key: ApiKey, answers: dict[str, Answer], contact: dict[str, str]
) -> ServiceRequest:
    """The request beside its case: its token (the case's external id), the answers and the
    contact details a case has no column for."""
    row = ServiceRequest.objects.create(
        case=case,
        token=token,
        api_key=api_key,
        attributes=answers,
        media_url=contact["media_url"],
        email=contact["email"],
        device_id=contact["device_id"],
        account_id=contact["account_id"],
    )
    audit(
        None,
        "open311.request.create",
        row,
        case_no=case.case_no,
        service_code=case.category.code,
        api_key=api_key.prefix,
    )
    return row
