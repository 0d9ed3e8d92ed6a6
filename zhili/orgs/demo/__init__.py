"""The Donghai demo seed: the county's governance tree, its grids and its staff.

What is real (from the seed text and public administrative divisions) and what is generated
is listed in docs/demo.md. Everything is deterministic: the same code gives the same data on
every machine.
"""

from zhili.orgs.demo.data import PASSWORD
from zhili.orgs.demo.geometry import (
    demo_boundaries,
    demo_county_outline,
    demo_grid_polygons,
    demo_layout,
)
from zhili.orgs.demo.loader import load

__all__ = [
    "PASSWORD",
    "demo_boundaries",
    "demo_county_outline",
    "demo_grid_polygons",
    "demo_layout",
    "load",
]
