"""The demo's 常住人口: generated per village, adding up to the seed's 1.25 million."""

from zhili.orgs.demo.data import COUNTY
from zhili.orgs.demo.geometry import demo_layout
from zhili.orgs.demo.population import COUNTY_POPULATION, populations


def test_the_villages_add_up_to_the_county_and_each_township_to_its_villages():
    layout = demo_layout()
    figures = populations(layout)
    villages = [figures[v.code] for t in layout for v in t.villages]
    assert sum(villages) == figures[COUNTY] == COUNTY_POPULATION == 1_250_000
    for township in layout:
        assert figures[township.code] == sum(figures[v.code] for v in township.villages)
    # plausible sizes: no empty village, no village the size of a town
    assert min(villages) > 1000 and max(villages) < 12000
    assert populations(demo_layout()) == figures  # deterministic
