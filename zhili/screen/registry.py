"""What other apps add to the screen without the screen importing them (zhili/core/registry.py):

- PANELS: a panel's figures, `panel(ctx) -> dict`, sent under its key in the summary's
  "panels" (the page draws the keys it knows, in the summary's order);
- LAYERS: a map layer's points, `layer(ctx) -> list[dict]` each with lat, lng, label and
  optional fields, sent under its key in `GET /api/v1/screen/layers`.

Both receive the `ScreenContext`: the user, the organization whose screen it is (within the
user's scope) and the moment. A panel or layer filters its own rows to `ctx.org.path`."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from zhili.core.registry import Registry
from zhili.core.types import Actor
from zhili.orgs.models import Organization


@dataclass(frozen=True)
class ScreenContext:
    user: Actor
    org: Organization
    now: datetime
    today: date


# A panel's figures and a layer's points are sent as they are: the screen does not read them.
Panel = Callable[[ScreenContext], Mapping[str, object]]
Layer = Callable[[ScreenContext], Sequence[Mapping[str, object]]]

PANELS: Registry[Panel] = Registry("screen panel")
LAYERS: Registry[Layer] = Registry("screen layer")
