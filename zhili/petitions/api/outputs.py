"""The petitions API's answers, built from a petition (or a register record) in sight."""

from zhili.core.dossier.api import history_out
from zhili.core.personal import mask_id_number, mask_phone
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.petitions import documents, routing, selectors, services, workflow
from zhili.petitions.api.schemas import PetitionDetailOut, PetitionOut
from zhili.petitions.models import KeyPetitioner, Petition, State

# The unit a route sends petitions to, per (county, route): found once for a whole list.
Memo = dict[tuple[str, str], dict[str, str] | None]


def _org(org: Organization | None) -> dict[str, str] | None:
    return {"code": org.code, "name": org.name} if org is not None else None


def _route_target(p: Petition, memo: Memo) -> dict[str, str] | None:
    route = routing.route_for(p.kind, p.category)
    if route is None:
        return None
    county = p.registering_path.strip("/").split("/")[0]
    if (county, route.key) not in memo:
        memo[county, route.key] = _org(routing.unit_of(route, p.registering_unit))
    return memo[county, route.key]


def petition_out(p: Petition, memo: Memo | None = None) -> dict[str, object]:
    """`memo` keeps the route units found for a list (one query per route, not per row)."""
    return {
        "number": p.number,
        "form": p.form,
        "kind": p.kind,
        "route": p.route,
        "category": p.category,
        "title": p.title,
        "state": p.state,
        "state_label": State(p.state).label,
        "stage": p.stage,
        "is_group": p.is_group,
        "is_anonymous": p.is_anonymous,
        "people_count": p.people_count,
        "township": _org(p.township),
        "registering_unit": _org(p.registering_unit),
        "handling_unit": _org(p.handling_unit),
        "received_at": p.received_at,
        "due_at": p.due_at,
        "card": p.card,
        "case_no": p.case.case_no if p.case_id and p.case else None,
        "repeat_of": p.repeat_of.number if p.repeat_of_id and p.repeat_of else None,
        "repeat_flag": p.repeat_flag,
        "pending_of": p.pending_of.number if p.pending_of_id and p.pending_of else None,
        "pending_flag": p.pending_flag,
        "route_target": _route_target(p, {} if memo is None else memo),
    }


DETAIL_FIELDS = [
    name for name in PetitionDetailOut.model_fields if name not in PetitionOut.model_fields
]


def detail_out(request: StaffRequest, p: Petition) -> dict[str, object]:
    parties = [
        {
            "petitioner_id": party.petitioner_id,
            "name": party.petitioner.name,
            "id_number": mask_id_number(party.petitioner.id_number),
            "phone": mask_phone(party.petitioner.phone),
            "is_representative": party.is_representative,
        }
        for party in selectors.petition_parties(p)
    ]
    keys = [
        {
            "petitioner_id": r.petitioner_id,
            "name": r.petitioner.name,
            "level": r.level,
            "level_label": r.get_level_display(),
            "responsible_unit": _org(r.responsible_unit),
        }
        for r in services.key_records_show(actor=request.user, petition=p)
    ]
    computed = {
        "parties": parties,
        "key_petitioners": keys,
        "actions": [t.name for t in services.actions_for(request.user, p)],
        "documents": [kind for kind, _ in documents.available(p)],
        "history": history_out(workflow.KIND, p),
    }
    plain = {name: getattr(p, name) for name in DETAIL_FIELDS if name not in computed}
    return {**petition_out(p), **plain, **computed}


def key_out(record: KeyPetitioner) -> dict[str, object]:
    return {
        "id": record.pk,
        "name": record.petitioner.name,
        "id_number": mask_id_number(record.petitioner.id_number),
        "phone": mask_phone(record.petitioner.phone),
        "level": record.level,
        "reason": record.reason,
        "responsible_unit": _org(record.responsible_unit),
        "measures": record.measures,
        "since": record.since,
        "is_active": record.is_active,
        "person_id": record.role.person_id if record.role and not record.role.ended_at else None,
        "role_note": record.role_note,
        "petitions": list(
            selectors.key_petitioner_petitions(record).values_list("number", flat=True)[:100]
        ),
    }
