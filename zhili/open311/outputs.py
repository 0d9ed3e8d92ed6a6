"""The published shapes of services, service definitions and service requests (the same dict
becomes JSON or XML), with personal data kept out: never a reporter's name, phone or email,
and phone and ID numbers masked wherever they appear in free text."""

from datetime import datetime

from zhili.cases import workflow
from zhili.cases.models import Case, Category, State
from zhili.core.personal import mask_personal_text
from zhili.open311.models import LIST_DATATYPES, ServiceAttribute
from zhili.open311.selectors import CLOSED, status_of

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"

ACTION_LABELS = {"register": "受理", **{t.name: t.label for t in workflow.TRANSITIONS.values()}}


def service_out(category: Category) -> dict[str, object]:
    group = getattr(category, "group", None)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(category.active_attributes),  # type: ignore[attr-defined]
        "type": "realtime",
        "keywords": ", ".join(category.keywords.split()),
        "group": group.name if group else "",
    }


def attribute_out(attribute: ServiceAttribute) -> dict[str, object]:
    values = attribute.values.all() if attribute.datatype in LIST_DATATYPES else []
    return {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": attribute.order,
        "description": attribute.description,
        "values": [{"key": v.key, "name": v.name} for v in values],
    }


def definition_out(category: Category) -> dict[str, object]:
    attributes = category.active_attributes  # type: ignore[attr-defined]
    return {"service_code": category.code, "attributes": [attribute_out(a) for a in attributes]}


def discovery_out(*, url: str, changeset: datetime, contact: str) -> dict[str, object]:
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": "接口密钥由县综治中心系统管理员在“接口密钥”页面签发，渠道选择“Open311接口”",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def state_notice(case: Case) -> str:
    label = State(case.state).label if case.state in State.values else case.state
    notice = f"工单 {case.case_no} 当前状态：{label}"
    if case.due_provisional and status_of(case.state) != CLOSED:
        # expected_datetime has no room for it: the notice says the time may still move.
        notice += "（预计办结时间按临时节假日日历计算，国务院公布节假日安排后可能调整）"
    return notice


def status_notes(case: Case) -> str:
    """The reply once closed; before that the latest note of the timeline, with its step."""
    note = getattr(case, "latest_note", None) or ""
    if status_of(case.state) == CLOSED and case.reply:
        return mask_personal_text(case.reply)
    if not note:
        return ""
    action = ACTION_LABELS.get(getattr(case, "latest_action", "") or "", "")
    return mask_personal_text(f"{action}：{note}" if action else note)


def _expected(case: Case) -> datetime | None:
    return case.due_at or case.acknowledge_due_at


def _address(case: Case) -> str:
    if case.address:
        return mask_personal_text(case.address)
    return case.village.display_area if case.village else ""


def request_out(case: Case) -> dict[str, object]:
    extra = getattr(case, "open311", None)
    unit = case.lead_unit or case.dispatch_center
    return {
        "service_request_id": case.case_no,
        "status": status_of(case.state),
        "status_notes": status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": mask_personal_text(case.description),
        "agency_responsible": unit.name,
        "service_notice": state_notice(case),
        "requested_datetime": case.registered_at,
        "updated_datetime": case.updated_at,
        "expected_datetime": _expected(case),
        "address": _address(case),
        "lat": case.lat,
        "long": case.lng,
        "media_url": extra.media_url if extra else "",
    }
