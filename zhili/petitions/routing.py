"""Where the law sends a petition, whoever registers it (信访工作条例 第二十二条第二款,
law.ARTICLES["routing"]): the one place that says so.

- an accusation (检举控告) goes to the discipline inspection and supervision organs
  (纪检监察机关): in a county, its 纪检监察举报中心;
- a law- or litigation-related matter (涉法涉诉, the content category `law`) goes to the
  political-legal organs of the same level (政法机关): in a county, its 涉法涉诉联合接访中心,
  where the court, the procuratorate, the police and the justice bureau receive together.

Each route names its unit by a code suffix under the county's code (320722-JJJC,
320722-SFSS, the codes of the demo tree); `settings.ZHILI_PETITION_ROUTES` ({route key:
suffix}) points a route elsewhere. The registration page shows the routes and the units they
find; the transfer (services.transitions._assign) goes to the route's unit and nowhere else.
An accusation that is also law-related goes to discipline inspection (the first route).
"""

from dataclasses import dataclass

from django.conf import settings

from zhili.orgs.models import Organization
from zhili.petitions.models import Category, Kind


@dataclass(frozen=True)
class Route:
    key: str
    what: str  # the petitions it takes, as the page says it
    organ: str  # the organs the law names
    suffix: str  # the default unit: the county's code + suffix
    kind: str = ""
    category: str = ""

    def matches(self, kind: str, category: str) -> bool:
        return (not self.kind or kind == self.kind) and (
            not self.category or category == self.category
        )


ROUTES = (
    Route("discipline", "检举控告类", "纪检监察机关", "-JJJC", kind=Kind.ACCUSATION),
    Route("law", "涉法涉诉", "政法机关", "-SFSS", category=Category.LAW),
)


def route_for(kind: str, category: str) -> Route | None:
    return next((r for r in ROUTES if r.matches(kind, category)), None)


def _suffix(route: Route) -> str:
    configured = getattr(settings, "ZHILI_PETITION_ROUTES", {}) or {}
    return str(configured.get(route.key, route.suffix))


def unit_of(route: Route, near: Organization) -> Organization | None:
    """The route's unit in the county of `near` (an active organization), or None."""
    county = near.path.strip("/").split("/")[0]
    return Organization.objects.filter(code=f"{county}{_suffix(route)}", is_active=True).first()


def target_for(kind: str, category: str, near: Organization) -> Organization | None:
    route = route_for(kind, category)
    return unit_of(route, near) if route else None


# The county's petition office (信访接待中心): it registers the online petitions that the
# province's 阳光信访 system pushes (zhili.integrations), as it would a letter or a visit.
OFFICE = Route("office", "网上信访（阳光信访推送）", "信访工作机构", "-XFJD")


def petition_office(near: Organization) -> Organization | None:
    return unit_of(OFFICE, near)


def table(near: Organization) -> list[tuple[Route, Organization | None]]:
    """Every route with the unit it finds from `near` (for the registration page)."""
    return [(route, unit_of(route, near)) for route in ROUTES]
