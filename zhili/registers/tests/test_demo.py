"""The registers demo: the full township's population in households and houses, the sampled
townships, the roles with their visits, the places, the history rows as the services write
them, determinism and idempotence.

The orgs demo and the registers demo are loaded once for the module and removed afterwards
(as zhili/orgs/tests/test_demo.py does), so the other modules never see them.
"""

import io
import itertools
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import shapely
from django.conf import settings
from django.utils import timezone

from zhili.conftest import suite_clock
from zhili.core.models import AuditLog
from zhili.core.personal import id_number_check_digit
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.models import Grid, Organization, User
from zhili.orgs.tests.test_demo import _remove_demo
from zhili.registers import demo, houses, services, visits
from zhili.registers.demo.people import Drawing, draw_grid
from zhili.registers.demo.roles import draw_roles
from zhili.registers.kinds import KINDS, Kind, clean_details, clean_fields
from zhili.registers.models import (
    Hazard,
    House,
    HouseUse,
    Mention,
    Person,
    PersonChange,
    PersonRole,
    Place,
    RecordChange,
    Tenancy,
    Visit,
)
from zhili.registers.places import PLACE_KINDS, check_credit_code

TOWNSHIP = demo.TOWNSHIP
PERSONA_GRID = f"{TOWNSHIP}00101"


def _remove_registers() -> None:
    Mention.objects.all().delete()
    Visit.objects.all().delete()
    PersonRole.objects.all().delete()
    PersonChange.objects.all().delete()
    RecordChange.objects.all().delete()
    Tenancy.objects.all().delete()
    Hazard.objects.all().delete()
    House.objects.all().delete()
    Place.objects.all().delete()
    Person.objects.all().delete()
    AuditLog.objects.filter(action="registers.demo.load").delete()


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        with suite_clock():
            load_orgs(stdout=io.StringIO())
            out = io.StringIO()
            demo.load(stdout=out)
        yield {"output": out.getvalue()}
        _remove_registers()
        _remove_demo()


pytestmark = [pytest.mark.usefixtures("loaded"), pytest.mark.django_db, pytest.mark.any_day]


def _in(code: str) -> dict[str, str]:
    return {"grid__village__path__startswith": f"/320722/{code}/"}


def test_the_full_township_is_filled_at_its_scale(loaded: dict[str, Any]) -> None:
    grids = Grid.objects.filter(village__path__startswith=f"/320722/{TOWNSHIP}/")
    people = Person.objects.filter(**_in(TOWNSHIP))
    filled = set(people.values_list("grid_id", flat=True))
    assert filled == set(grids.values_list("pk", flat=True))
    assert set(House.objects.filter(**_in(TOWNSHIP)).values_list("grid_id", flat=True)) == filled
    population = Organization.objects.get(code=TOWNSHIP).population
    assert population is not None
    assert 0.8 < people.count() * demo.SCALE / population < 1.25
    # It reports its progress grid by grid, and its totals.
    assert re.search(r"实有人口：白塔埠镇（全量） 6/\d+ 个网格", loaded["output"])
    assert f"实有人口 {Person.objects.count()}" in loaded["output"]


def test_the_other_townships_are_sampled() -> None:
    townships = Organization.objects.filter(level="township", kind="center").exclude(code=TOWNSHIP)
    for township in townships:
        people = Person.objects.filter(**_in(township.code))
        grids = set(people.values_list("grid_id", flat=True))
        assert 1 <= len(grids) <= demo.loader.SAMPLED_GRIDS, township.code
        assert 20 <= people.count() <= 80, township.code


def test_people_have_valid_id_numbers_that_say_their_birth_and_sex() -> None:
    rows = Person.objects.values_list("id_number", "birth_date", "sex", "same_as_registered")
    regions = Counter()
    for number, born, sex, same in rows:
        assert services.check_id_number(number) == number
        assert services.identity_of(number) == (born, sex)
        regions[number[:6] == "320722"] += 1
        if number[:6] != "320722":
            assert not same  # from elsewhere: registered there, living here
    assert regions[True] > 5 * regions[False] > 0


def test_houses_hold_households_of_two_to_five_with_a_family_name() -> None:
    residents: dict[str, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(**_in(TOWNSHIP)).exclude(current_address="").order_by("id"):
        residents[person.current_address].append(person)
    homes = House.objects.filter(**_in(TOWNSHIP), use__in=[HouseUse.HOME, HouseUse.RENTAL])
    assert homes.count() > 1000
    today = timezone.localdate()
    shapes = {
        g.pk: shapely.geometry.shape(g.geometry).buffer(1e-5)
        for g in Grid.objects.filter(village__path__startswith=f"/320722/{TOWNSHIP}/")
    }
    for house in homes:
        family = residents[house.address]
        assert 2 <= len(family) <= (4 if house.let else 5), house.address
        if not house.let:
            head = family[0]
            assert head.pk == house.owner_id
            # The children carry one surname: the head's, or their father's, who works away.
            kids = {p.name[0] for p in family if (p.birth_date - head.birth_date).days > 18 * 365}
            assert len(kids) <= 1, house.address
            if head.sex == "male":
                assert kids <= {head.name[0]}, house.address
        # Every point stands on its own grid.
        assert shapes[house.grid_id].covers(shapely.Point(house.lng, house.lat)), house.address
    assert len(set(homes.values_list("address", flat=True))) == homes.count()
    ages = [(today - p.birth_date).days / 365 for p in Person.objects.filter(**_in(TOWNSHIP))]
    assert (
        sum(a < 18 for a in ages) / len(ages) > 0.1 and sum(a >= 60 for a in ages) / len(ages) > 0.1
    )


def test_let_houses_have_tenants_from_elsewhere_who_are_floating_population() -> None:
    let = House.objects.filter(**_in(TOWNSHIP), let=True)
    assert 0.04 < let.count() / House.objects.filter(**_in(TOWNSHIP)).count() < 0.2
    today = timezone.localdate()
    for house in let.prefetch_related("tenancies__person__roles"):
        tenancies = list(house.tenancies.all())
        assert tenancies, house.address
        for tenancy in tenancies:
            assert tenancy.person_id != house.owner_id
            assert tenancy.ends_on is None or tenancy.ends_on >= today
            kinds = {r.kind for r in tenancy.person.roles.all()}
            assert kinds & {Kind.FLOATING, Kind.FOREIGN}, tenancy.person.name


def test_roles_hold_plausible_shares_with_valid_facts_and_care_levels() -> None:
    roles = PersonRole.objects.filter(
        person__grid__village__path__startswith=f"/320722/{TOWNSHIP}/"
    )
    people = Person.objects.filter(**_in(TOWNSHIP)).count()
    kinds = Counter(roles.values_list("kind", flat=True))
    # Every kind the grid keeps (the key petitioners are the petition office's).
    assert set(kinds) >= set(KINDS) - {Kind.KEY_PETITIONER} - {Kind.AIDS_RISK}
    assert 0.02 < kinds[Kind.FLOATING] / people < 0.15
    assert 0.01 < kinds[Kind.LEFT_BEHIND] / people < 0.06
    assert 0.002 < kinds[Kind.MENTAL] / people < 0.008
    special = sum(n for kind, n in kinds.items() if KINDS[kind].special)
    assert 0.003 < special / people < 0.02
    for role in roles:
        assert clean_details(role.kind, role.details) == role.details
        assert role.started_at >= role.person.created_at
    assert set(roles.values_list("care_level", flat=True)) == {"high", "normal", "low"}


def test_no_visit_is_late_enough_to_warn_and_the_grid_worker_has_a_handful_due() -> None:
    now = timezone.now()
    assert visits.overdue_roles(now=now, by_more_than=timedelta(days=7)) == []
    worker = User.objects.get(username="gridworker")
    due = visits.visits_due(worker, due_before=now + timedelta(days=7), grid=PERSONA_GRID)
    assert 1 <= len(due) <= 30
    everyone = visits.visits_due(worker, due_before=now + timedelta(days=7))
    assert len(everyone) == len(due)  # the persona works on one grid
    # Visits were made on the cycle, by the grid's workers, before now.
    cycle = settings.ZHILI_VISIT_DAYS
    grid = Grid.objects.get(code=PERSONA_GRID)
    workers = set(grid.workers.values_list("pk", flat=True))
    for role in PersonRole.objects.filter(person__grid=grid).prefetch_related("visits"):
        times = sorted(v.visited_at for v in role.visits.all())
        assert all(role.started_at < t <= now for t in times)
        # On the cycle (a visit's time of day aside), a little early as workers are.
        gap = timedelta(days=cycle[role.care_level] + 1)
        assert all(b - a <= gap for a, b in itertools.pairwise(times))
        assert {v.by_id for v in role.visits.all()} <= workers


def test_history_rows_are_those_the_services_write() -> None:
    """A demo person's `create` row has the keys `person_create` writes for the same values;
    a house's, those of `house_create`; each role its `role_add` row."""
    grid = Grid.objects.get(code=PERSONA_GRID)
    worker = User.objects.get(username="gridworker")
    person = Person.objects.filter(grid=grid).exclude(phone="").order_by("id").last()
    assert person is not None
    row = person.changes.get(action="create")
    values: dict[str, object] = {name: getattr(person, name) for name in services.TEXT_FIELDS}
    values |= {"phone": person.phone, "same_as_registered": person.same_as_registered}
    first = "320799" + person.id_number[6:17]  # a county code the demo never draws
    values |= {"id_number": first + id_number_check_digit(first), "grid": grid.code}
    made = services.person_create(actor=worker, values=values)
    expected = made.changes.get(action="create").changes
    assert set(row.changes) == set(expected)
    assert {k: v for k, v in row.changes.items() if k != "id_number"} == {
        k: v for k, v in expected.items() if k != "id_number"
    }
    assert PersonChange.objects.filter(action="create").count() >= Person.objects.count() - 1
    assert PersonChange.objects.filter(action="role_add").count() == PersonRole.objects.count()
    house = House.objects.filter(grid=grid, owner__isnull=False).first()
    assert house is not None
    made_house = houses.house_create(
        actor=worker,
        values={
            "grid": grid.code,
            "address": house.address + "附1",
            "use": house.use,
            "ownership": house.ownership,
            "structure": house.structure,
            "area_m2": str(house.area_m2),
            "owner_id": house.owner_id,
            "let": house.let,
        },
    )
    demo_row = house.changes.get(action="create").changes
    assert set(demo_row) == set(made_house.changes.get(action="create").changes)
    assert RecordChange.objects.filter(action="tenancy_add").count() == Tenancy.objects.count()


def test_the_township_has_its_places_with_valid_facts() -> None:
    places = Place.objects.filter(**_in(TOWNSHIP))
    kinds = Counter(places.values_list("kind", flat=True))
    assert kinds["organization"] >= 30 and kinds["school"] >= 6
    assert kinds["line"] >= 3 and kinds["key_area"] >= 1
    for place in places:
        spec = PLACE_KINDS[place.kind]
        assert clean_fields(spec.fields, place.details, noun="", creating=True) == place.details
        if spec.credit_code:
            assert check_credit_code(place.credit_code) == place.credit_code
        assert place.changes.filter(action="create").count() == 1


def test_drawing_is_deterministic() -> None:
    full, _ = demo.grid_plans()
    now = timezone.localtime(timezone.now())

    def draw() -> list[tuple[str, str, str, int]]:
        drawing = Drawing(now, set(), set())
        rows = []
        for plan in full[:2]:
            rng = random.Random(f"{demo.SEED}-{plan.grid.code}")
            draft = draw_grid(rng, drawing, plan)
            roles = draw_roles(rng, drawing, draft, dict(settings.ZHILI_VISIT_DAYS))
            rows += [
                (r.person.id_number, r.person.name, r.person.current_address, 0)
                for r in draft.residents
            ]
            rows += [
                (r.role.kind, r.role.care_level, str(r.role.started_at), len(r.visits))
                for r in roles
            ]
        return rows

    assert draw() == draw()


def test_loading_again_writes_nothing() -> None:
    counts = (
        Person.objects.count(),
        House.objects.count(),
        Visit.objects.count(),
        Place.objects.count(),
    )
    out = io.StringIO()
    demo.load(stdout=out)
    assert "已存在，跳过" in out.getvalue()
    assert counts == (
        Person.objects.count(),
        House.objects.count(),
        Visit.objects.count(),
        Place.objects.count(),
    )
