"""The registers demo's reads and writes: which grids get a population, the drawing of each
(people.py, roles.py, places.py) and its rows, written in bulk with the history rows the
services write (a person's `create` and `role_add`, a house's `create`, `tenancy_add`,
`hazard_add` and `hazard_fix`, a place's `create`, by the grid's registering worker at the
time the row says), and the links of residents to the dossiers the loaders before wrote.
"""

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.demo import progress_line
from zhili.core.dossier import record_history
from zhili.core.dossier.codes import TRACKED
from zhili.core.personal import mask_id_number, mask_phone
from zhili.orgs.demo.data import COUNTY
from zhili.orgs.demo.loader import PERSONA_GRID
from zhili.orgs.models import Division, Grid, Organization
from zhili.registers.demo import words
from zhili.registers.demo.grounds import GridPlan, Places
from zhili.registers.demo.people import Drawing, GridDraft, draw_grid
from zhili.registers.demo.places import PlaceDraft, draw_places
from zhili.registers.demo.roles import RoleDraft, draw_roles
from zhili.registers.kinds import KINDS
from zhili.registers.models import (
    Changes,
    Hazard,
    House,
    Mention,
    MentionRelation,
    Person,
    PersonChange,
    PersonRole,
    Place,
    RecordChange,
    Tenancy,
    Visit,
)
from zhili.registers.services import TEXT_FIELDS

SEED = 31000
TOWNSHIP = f"{COUNTY}003"  # 白塔埠镇: the township, village and grid personas work in it
SCALE = 6  # the full township: one registered resident for every six of its 常住人口
SAMPLED_GRIDS = 3  # each other township: this many of its grids ...
SAMPLED_PEOPLE = 14  # ... with about this many residents each
CHUNK = 6  # grids drawn and written at once
BATCH = 1000
# Of each tracked kind of dossier (cases, disputes, petitions ...), the first this many whose
# caller or party left a phone have that phone on a resident: most are linked, the last ones
# are left for the dossier's page to suggest.
LINKED_PER_KIND, SUGGESTED_PER_KIND = 4, 2


@dataclass
class Counts:
    people: int = 0
    roles: int = 0
    special: int = 0
    visits: int = 0
    houses: int = 0
    let: int = 0
    tenancies: int = 0
    hazards: int = 0
    linked: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def grid_plans() -> tuple[list[GridPlan], list[GridPlan]]:
    """The grids of the full township (every one) and of the sampled ones (a few each),
    in code order, with the residents wanted on each."""
    orgs = {
        o.code: o
        for o in Organization.objects.filter(path__startswith=f"/{COUNTY}/").exclude(level="county")
    }
    rows = list(
        Grid.objects.filter(village__path__startswith=f"/{COUNTY}/").values_list("code", "pk")
    )
    by_township: dict[str, list[str]] = {}
    for code, _ in sorted(rows):
        by_township.setdefault(code[:9], []).append(code)
    chosen: dict[str, int] = {}  # grid code -> residents wanted
    for township, codes in by_township.items():
        rng = random.Random(f"{SEED}-{township}")
        if township == TOWNSHIP:
            for code in codes:
                village = orgs.get(code[:12])
                siblings = sum(1 for c in codes if c[:12] == code[:12])
                figure = village.population if village and village.population else 3000
                # The grid worker persona's grid at its real size: a real week of visits.
                scale = 1 if code == PERSONA_GRID else SCALE
                chosen[code] = round(figure / scale / siblings * rng.uniform(0.85, 1.15))
        else:
            for code in rng.sample(codes, min(SAMPLED_GRIDS, len(codes))):
                chosen[code] = rng.randint(SAMPLED_PEOPLE - 4, SAMPLED_PEOPLE + 4)
    grids = Grid.objects.filter(code__in=chosen).select_related("village").order_by("code")
    through = Grid.workers.through
    workers: dict[int, list[int]] = {}
    for grid_id, user_id in (
        through.objects.filter(grid__code__in=chosen)
        .order_by("user_id")
        .values_list("grid_id", "user_id")
    ):
        workers.setdefault(grid_id, []).append(user_id)
    full: list[GridPlan] = []
    sampled: list[GridPlan] = []
    for grid in grids:
        town = orgs.get(grid.code[:9])
        village = grid.village
        plan = GridPlan(
            grid=grid,
            area=f"{town.display_area if town else ''}{village.display_area}",
            village=village.display_area,
            community=village.division == Division.COMMUNITY,
            index=int(grid.code[-2:]),
            people=chosen[grid.code],
            workers=workers.get(grid.pk, []),
        )
        (full if grid.code.startswith(TOWNSHIP) else sampled).append(plan)
    return full, sampled


def load(*, stdout: TextIO) -> dict[str, object]:
    """Write the demo's population, houses and places; a grid that has houses is left as it
    is, so running it again writes nothing."""
    started = time.monotonic()
    full, sampled = grid_plans()
    have = set(
        House.objects.filter(grid__in=[p.grid for p in full + sampled]).values_list(
            "grid_id", flat=True
        )
    )
    todo_full = [p for p in full if p.grid.pk not in have]
    todo_sampled = [p for p in sampled if p.grid.pk not in have]
    if not todo_full and not todo_sampled:
        progress_line(stdout, "[1/1] 实有人口、房屋与单位场所：已存在，跳过", started)
        return {"created": 0}
    drawing = Drawing(
        timezone.localtime(timezone.now()),
        set(Person.objects.values_list("id_number", flat=True)),
        set(Person.objects.exclude(phone="").values_list("phone", flat=True)),
    )
    counts = Counts()
    township = full[0].area.removesuffix(full[0].village) if full else ""
    with transaction.atomic():
        link = bool(full) and full[0] in todo_full
        for label, plans in [
            (f"{township}（全量）", todo_full),
            ("其他乡镇（抽样）", todo_sampled),
        ]:
            for start in range(0, len(plans), CHUNK):
                chunk = plans[start : start + CHUNK]
                _write_grids(drawing, chunk, counts, link=link)
                link = False
                done = start + len(chunk)
                progress_line(
                    stdout,
                    f"  实有人口：{label} {done}/{len(plans)} 个网格，累计 {counts.people} 人",
                    started,
                )
        places = _write_places(drawing, township, full)
        audit(None, "registers.demo.load", None, created=_summary(counts, places))
    progress_line(
        stdout,
        f"[1/1] 实有人口 {counts.people}（{township}全量 {len(full)} 个网格，其他乡镇抽样 "
        f"{len(sampled)} 个网格），人员类别 {counts.roles}（特殊人群 {counts.special}），走访记录 "
        f"{counts.visits}；房屋 {counts.houses}（出租 {counts.let}，承租 {counts.tenancies}，隐患 "
        f"{counts.hazards}），单位场所 {places}，档案关联 {counts.linked}",
        started,
    )
    return {"created": counts.houses + places}


def _summary(counts: Counts, places: int) -> dict[str, object]:
    return {
        "people": counts.people,
        "roles": counts.by_kind,
        "visits": counts.visits,
        "houses": counts.houses,
        "tenancies": counts.tenancies,
        "hazards": counts.hazards,
        "places": places,
    }


def _write_grids(drawing: Drawing, plans: list[GridPlan], counts: Counts, *, link: bool) -> None:
    cycles = dict(settings.ZHILI_VISIT_DAYS)
    drafts: list[GridDraft] = []
    roles: list[RoleDraft] = []
    for plan in plans:
        rng = random.Random(f"{SEED}-{plan.grid.code}")
        draft = draw_grid(rng, drawing, plan)
        drafts.append(draft)
        roles += draw_roles(rng, drawing, draft, cycles)
    people = [r.person for d in drafts for r in d.residents]
    Person.objects.bulk_create(people, batch_size=BATCH)
    if link:  # the phones of the dossiers' callers, before the history rows say them
        counts.linked = _links(
            [r.person for d in drafts for r in d.residents if r.local and r.age >= 20]
        )
    history: list[PersonChange] = []
    for draft in drafts:
        actor, code = _actor(draft.plan), draft.plan.grid.code
        history += [
            PersonChange(
                person=r.person,
                actor_id=actor,
                at=r.person.created_at,
                action="create",
                changes=_created(r.person, code),
            )
            for r in draft.residents
        ]
    actors = _actors(drafts)
    for row in roles:
        role = row.role
        history.append(
            PersonChange(
                person=role.person,
                actor_id=actors[row.resident.person.grid_id],
                at=role.started_at,
                action="role_add",
                changes={"role": [None, role.kind], "care_level": [None, role.care_level]},
            )
        )
    PersonChange.objects.bulk_create(history, batch_size=BATCH)
    PersonRole.objects.bulk_create([r.role for r in roles], batch_size=BATCH)
    visits = [v for r in roles for v in r.visits]
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    _write_houses(drafts, drawing, counts)
    counts.people += len(people)
    counts.roles += len(roles)
    counts.visits += len(visits)
    for row in roles:
        counts.by_kind[row.role.kind] = counts.by_kind.get(row.role.kind, 0) + 1
        counts.special += _special(row.role.kind)


def _special(kind: str) -> int:
    return int(KINDS[kind].special)


def _actor(plan: GridPlan) -> int | None:
    """Who registers on a grid: its first worker (none on a grid without workers)."""
    return plan.workers[0] if plan.workers else None


def _actors(drafts: list[GridDraft]) -> dict[int, int | None]:
    return {d.plan.grid.pk: _actor(d.plan) for d in drafts}


def _created(person: Person, grid_code: str) -> Changes:
    """A person's `create` history row, as `services._person_save` writes it."""
    changes: Changes = {
        name: [None, getattr(person, name)] for name in TEXT_FIELDS if getattr(person, name)
    }
    if person.phone:
        changes["phone"] = [None, mask_phone(person.phone)]
    changes["same_as_registered"] = [None, person.same_as_registered]
    changes["id_number"] = [None, mask_id_number(person.id_number)]
    changes["grid"] = [None, grid_code]
    return changes


def _write_houses(drafts: list[GridDraft], drawing: Drawing, counts: Counts) -> None:
    houses = [h for d in drafts for h in d.houses]
    House.objects.bulk_create(houses, batch_size=BATCH)
    tenancies = [t for d in drafts for t in d.tenancies]
    Tenancy.objects.bulk_create(tenancies, batch_size=BATCH)
    hazards = [h for d in drafts for h in d.hazards]
    Hazard.objects.bulk_create(hazards, batch_size=BATCH)
    actors = _actors(drafts)
    rows = []
    for house in houses:
        changes: Changes = {
            "address": [None, house.address],
            "grid": [None, house.grid.code],
            "use": [None, house.use],
            "let": [None, house.let],
        }
        if house.owner_id:
            changes["owner"] = [None, house.owner_id]
        rows.append(_change(house, actors, house.created_at, "create", changes))
    for tenancy in tenancies:
        house = tenancy.house
        at = min(
            drawing.now, max(tenancy.person.created_at, house.created_at) + timedelta(minutes=5)
        )
        changes = {
            "tenant": [None, tenancy.person_id],
            "starts_on": [None, tenancy.starts_on.isoformat()],
        }
        rows.append(_change(house, actors, at, "tenancy_add", changes))
    for hazard in hazards:
        rng = random.Random(f"{SEED}-hazard-{hazard.house.address}")
        found = max(
            drawing.moment(rng, hazard.found_on), hazard.house.created_at + timedelta(minutes=1)
        )
        text = hazard.description[:60]
        rows.append(_change(hazard.house, actors, found, "hazard_add", {"hazard": [None, text]}))
        if hazard.fixed_on:
            fixed = max(drawing.moment(rng, hazard.fixed_on), found + timedelta(minutes=1))
            fixed = min(fixed, drawing.now)
            changes = {"hazard": [hazard.pk, str(hazard.fixed_on)]}
            rows.append(_change(hazard.house, actors, fixed, "hazard_fix", changes))
    RecordChange.objects.bulk_create(rows, batch_size=BATCH)
    counts.houses += len(houses)
    counts.let += sum(1 for h in houses if h.let)
    counts.tenancies += len(tenancies)
    counts.hazards += len(hazards)


def _change(
    house: House, actors: dict[int, int | None], at: datetime, action: str, changes: Changes
) -> RecordChange:
    return RecordChange(
        house=house, actor_id=actors[house.grid_id], at=at, action=action, changes=changes
    )


def _write_places(drawing: Drawing, township: str, plans: list[GridPlan]) -> int:
    """The full township's places, once (none yet on its grids)."""
    if not plans or Place.objects.filter(grid__in=[p.grid for p in plans]).exists():
        return 0
    rng = random.Random(f"{SEED}-places")
    taken = set(Place.objects.exclude(credit_code="").values_list("credit_code", flat=True))

    def name(r: random.Random) -> str:
        male = r.random() < 0.8
        return words.surname(r) + words.given(r, male)

    drafts = draw_places(rng, drawing, township, plans, taken, name)
    places = [_place(rng, drawing, d) for d in drafts]
    Place.objects.bulk_create(places, batch_size=BATCH)
    rows = []
    for draft, place in zip(drafts, places, strict=True):
        changes: Changes = {
            "name": [None, place.name],
            "grid": [None, draft.plan.grid.code],
            **{key: [None, value] for key, value in place.details.items()},
        }
        if place.credit_code:
            changes["credit_code"] = [None, place.credit_code]
        at = place.created_at
        rows.append(
            RecordChange(
                place=place, actor_id=_actor(draft.plan), at=at, action="create", changes=changes
            )
        )
    RecordChange.objects.bulk_create(rows, batch_size=BATCH)
    return len(places)


def _place(rng: random.Random, drawing: Drawing, draft: PlaceDraft) -> Place:
    lat, lng = Places(rng, draft.plan).point()
    address = f"{draft.plan.area}{rng.choice(words.ROADS)}{rng.randint(1, 199)}号"
    registered = drawing.moment(rng, drawing.today - timedelta(days=rng.randint(200, 900)))
    return Place(
        kind=draft.kind,
        name=draft.name,
        credit_code=draft.credit_code,
        details=draft.details,
        grid=draft.plan.grid,
        address=address,
        lat=lat,
        lng=lng,
        created_at=registered,
        updated_at=registered,
    )


def _links(residents: Iterable[Person]) -> int:
    """一人一档 in the demo: residents are the callers and parties of the dossiers the loaders
    above wrote (the resident takes the phone the dossier names), linked to them with a row on
    the dossier's timeline; a few are left unlinked, for the dossier's page to suggest."""
    free = iter(residents)
    mentions = []
    for _, tracked in TRACKED.items():
        wanted = LINKED_PER_KIND + SUGGESTED_PER_KIND
        records = tracked.kind.model._default_manager.order_by("pk")[: wanted * 3]
        taken = 0
        for record in records:
            phones = [c for c in tracked.contacts(record) if len(c) == 11 and c.isdigit()]
            resident = next(free, None) if phones and taken < wanted else None
            if resident is None:
                continue
            resident.phone = phones[0]
            resident.save(update_fields=["phone"])
            taken += 1
            if taken > LINKED_PER_KIND:
                continue
            # A dispute's phones are its parties'; a case's or a petition's, who reported it.
            disputed = tracked.name.endswith("dispute")
            relation = MentionRelation.PARTY if disputed else MentionRelation.REPORTER
            mentions.append(
                Mention(
                    dossier=tracked.name,
                    record_id=record.pk,
                    code=tracked.code(record),
                    person=resident,
                    relation=relation,
                )
            )
            state = str(getattr(record, "state", ""))
            note = f"关联人员（{relation.label}）"
            record_history(
                tracked.kind,
                record,
                "mention",
                from_state=state,
                to_state=state,
                actor=None,
                note=note,
            )
    Mention.objects.bulk_create(mentions)
    return len(mentions)
