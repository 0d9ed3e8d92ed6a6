"""`zhili demo` for the people, houses and places registers (issue 17): a plausible
population for the demo county's grids, written in bulk so that the demo stays fast.

- **One township in full**, 白塔埠镇 (320722003, where the township, village and grid personas
  work): every one of its grids gets its residents, one for every `SCALE` of its village's
  常住人口 (about 14,000 for the town's 77,000; the grid worker persona's grid at its real
  size, for a real week of visits), in households of 2–5 in their houses, some
  houses let to tenants of the floating population, the roles the grid keeps (流动人口,
  留守人员 and the special groups, at plausible rates) with their care levels and a hundred
  days of visits; and the town's enterprises, schools, lines and key areas.
- **The other townships sampled**: a few of each one's grids with a dozen residents each.
- Residents are the callers and parties of the first dossiers the loaders before wrote
  (`_links`, 一人一档).

Deterministic (each grid drawn from its own seed), dated from the demo's clock, idempotent:
a grid that has houses is left as it is. See docs/demo.md, "The registers".
"""

from zhili.registers.demo.loader import (
    LINKED_PER_KIND,
    SCALE,
    SEED,
    SUGGESTED_PER_KIND,
    TOWNSHIP,
    _links,
    grid_plans,
    load,
)

__all__ = [
    "LINKED_PER_KIND",
    "SCALE",
    "SEED",
    "SUGGESTED_PER_KIND",
    "TOWNSHIP",
    "_links",
    "grid_plans",
    "load",
]
