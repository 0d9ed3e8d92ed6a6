"""The links between dossiers and the registers (一人一档, 一案一码), by the dossier's tracking
code: what a dossier names, linking and unlinking, and the exact-match search of people.
Rules are in `mentions`."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from zhili.core.dossier.codes import code_path
from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.schemas import ERRORS, Input
from zhili.orgs.auth import StaffRequest
from zhili.registers import mentions
from zhili.registers.models import House, Mention, MentionRelation, Person

mentions_router = Router(tags=["一人一档"])


class LinkedPersonOut(Schema):
    id: int = Field(..., description="人员编号（/api/v1/people/{id}）")
    name: str
    id_number: str = Field(..., description="脱敏")
    phone: str = Field(..., description="脱敏")
    grid: str


class LinkedHouseOut(Schema):
    id: int = Field(..., description="房屋编号（/api/v1/houses/{id}）")
    address: str
    grid: str


class MentionOut(Schema):
    id: int
    relation: str
    relation_label: str
    person: LinkedPersonOut | None
    house: LinkedHouseOut | None
    created_at: datetime


class DossierOut(Schema):
    code: str = Field(..., description="档案码（一案一码）")
    kind: str = Field(..., description="档案类别：工单、矛盾纠纷、信访事项、指挥事件 …")
    title: str
    page: str = Field(..., description="档案页面地址")
    qr: str = Field(..., description="二维码所含地址（/d/{code}/）")


class LinksOut(Schema):
    dossier: DossierOut
    people: list[MentionOut]
    houses: list[MentionOut]
    hidden: int = Field(..., description="已关联但不在您查看范围内的人员或房屋数")
    suggested: list[LinkedPersonOut] = Field(
        ..., description="档案所载身份证号码或电话匹配、尚未关联的人员"
    )


class MentionIn(Input):
    person: int | None = Field(None, description="人员编号；与 house 二选一")
    house: int | None = Field(None, description="房屋编号；与 person 二选一")
    relation: str = Field(
        MentionRelation.CONCERNED,
        description="人员与档案的关系：reporter 反映人、party 当事人、respondent 被反映人、"
        "concerned 涉及人员（房屋不填）",
    )


class MatchQuery(Input):
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)


def person_ref(person: Person) -> dict[str, object]:
    return {
        "id": person.pk,
        "name": person.name,
        "id_number": mask_id_number(person.id_number),
        "phone": mask_phone(person.phone),
        "grid": person.grid.name,
    }


def house_ref(house: House) -> dict[str, object]:
    return {"id": house.pk, "address": house.address, "grid": house.grid.name}


def mention_out(mention: Mention) -> dict[str, object]:
    return {
        "id": mention.pk,
        "relation": mention.relation,
        "relation_label": mention.get_relation_display(),
        "person": person_ref(mention.person) if mention.person else None,
        "house": house_ref(mention.house) if mention.house else None,
        "created_at": mention.created_at,
    }


def links_out(request: StaffRequest, code: str) -> dict[str, object]:
    found = mentions.dossier_get(request.user, code)
    links = mentions.links_of(request.user, found)
    return {
        "dossier": {
            "code": found.code,
            "kind": found.tracked.kind.noun,
            "title": found.tracked.label(found.record),
            "page": found.page,
            "qr": request.build_absolute_uri(code_path(found.code)),
        },
        "people": [mention_out(m) for m in links.people],
        "houses": [mention_out(m) for m in links.houses],
        "hidden": links.hidden,
        "suggested": [person_ref(p) for p in links.suggested],
    }


@mentions_router.get("/dossiers/{code}/mentions", response={200: LinksOut, **ERRORS})
def mention_list(request: StaffRequest, code: str) -> dict[str, object]:
    return links_out(request, code)


@mentions_router.post("/dossiers/{code}/mentions", response={201: MentionOut, **ERRORS})
def mention_create(request: StaffRequest, code: str, body: MentionIn) -> Status[dict[str, object]]:
    mention = mentions.mention_add(
        actor=request.user,
        code=code,
        person_id=body.person,
        house_id=body.house,
        relation=body.relation,
    )
    return Status(201, mention_out(mention))


@mentions_router.delete(
    "/dossiers/{code}/mentions/{int:mention_id}", response={204: None, **ERRORS}
)
def mention_delete(request: StaffRequest, code: str, mention_id: int) -> Status[None]:
    mentions.mention_remove(actor=request.user, code=code, mention_id=mention_id)
    return Status(204, None)


@mentions_router.get("/people/match", response={200: list[LinkedPersonOut], **ERRORS})
def person_match(request: StaffRequest, query: Query[MatchQuery]) -> list[dict[str, object]]:
    people = mentions.match(request.user, id_number=query.id_number, phone=query.phone)
    return [person_ref(p) for p in people]
