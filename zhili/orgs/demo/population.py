"""The demo's 常住人口: the seed gives the county's total (总人口125万) and nothing finer, so
each village center gets a generated figure by its kind (a city community is denser than a
village, a state farm's unit smaller), scaled so the villages add up to exactly 1,250,000; a
township's figure is the sum of its villages and the county center's the sum of all.
Deterministic: the same layout gives the same figures."""

import random

from django.db.models import Case, IntegerField, Value, When

from zhili.orgs.demo.data import COUNTY
from zhili.orgs.demo.geometry import TownshipPlan
from zhili.orgs.models import Division, Organization

COUNTY_POPULATION = 1_250_000
# The typical residents of a village center by its kind: (low, high) before scaling.
TYPICAL: dict[str, tuple[int, int]] = {
    Division.COMMUNITY: (5200, 8800),
    Division.VILLAGE: (2600, 4300),
}
STATE_FARM_UNIT = (1500, 2600)


def _raw(township: TownshipPlan, division: str, rng: random.Random) -> int:
    if township.spec.division == Division.STATE_FARM:
        return rng.randint(*STATE_FARM_UNIT)
    return rng.randint(*TYPICAL.get(division, TYPICAL[Division.VILLAGE]))


def village_populations(layout: tuple[TownshipPlan, ...]) -> dict[str, int]:
    """Village center code -> residents; the values add up to COUNTY_POPULATION."""
    rng = random.Random(1_250_000)
    raw = {v.code: _raw(t, v.division, rng) for t in layout for v in t.villages}
    scale = COUNTY_POPULATION / sum(raw.values())
    figures = {code: int(n * scale) for code, n in raw.items()}
    largest = max(figures, key=lambda code: figures[code])
    figures[largest] += COUNTY_POPULATION - sum(figures.values())  # what rounding left over
    return figures


def populations(layout: tuple[TownshipPlan, ...]) -> dict[str, int]:
    """Every center's residents: villages, townships (their villages' sum) and the county."""
    villages = village_populations(layout)
    figures = dict(villages)
    for township in layout:
        figures[township.code] = sum(villages[v.code] for v in township.villages)
    figures[COUNTY] = sum(villages.values())
    return figures


def set_populations(layout: tuple[TownshipPlan, ...]) -> int:
    """Write the figures on the centers that have none yet (an administrator's own figure is
    kept); returns how many were written."""
    figures = populations(layout)
    missing = Organization.objects.filter(code__in=figures, population__isnull=True)
    whens = [When(code=code, then=Value(n)) for code, n in figures.items()]
    return missing.update(population=Case(*whens, output_field=IntegerField()))
