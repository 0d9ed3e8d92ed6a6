"""The one place that decides what a user may see and do.

A user sees their organization's subtree of the governance tree. The county center and the
units housed in it (sub-centers, offices, liaison offices) see the whole county; a county
leader and a superuser too. A department sees its own subtree (later modules widen that to
what is assigned to it). Every selector filters through `Scope`; a record outside it is
answered exactly like a record that does not exist.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeGuard

from django.db.models import Q, QuerySet

from zhili.core import lookups  # noqa: F401  (registers path__under)
from zhili.core.errors import Forbidden
from zhili.core.roles import PERMISSIONS, ROLE_ONLY, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from zhili.orgs.models import User

# Whoever a check is asked about: a signed-in user, a request's anonymous one, or nobody (the
# platform's own steps).
Someone: TypeAlias = "User | AnonymousUser | None"

COUNTY_WIDE_KINDS = {"center", "subcenter", "office", "liaison_office"}


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    prefixes: tuple[str, ...] = ()

    def q(self, path_field: str = "path") -> Q:
        """A filter on a materialized-path column (e.g. ``"village__path"``)."""
        if self.everything:
            return Q()
        if not self.prefixes:
            return Q(pk__in=[])
        q = Q()
        for prefix in self.prefixes:
            q |= Q(**{f"{path_field}__under": prefix})
        return q

    def filter(self, qs: QuerySet, path_field: str = "path") -> QuerySet:
        return qs.filter(self.q(path_field))

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.prefixes)

    def any_q(self, *path_fields: str) -> Q:
        """Rows any of whose `path_fields` lies in the scope (a dossier seen from its units:
        the handling unit's subtree, the registering center's ...)."""
        if self.everything:
            return Q()
        if not self.prefixes:
            return Q(pk__in=[])
        first, *rest = path_fields
        q = self.q(first)
        for field in rest:
            q |= self.q(field)
        return q

    def covers_any(self, *paths: str) -> bool:
        """`any_q` for one row: whether any of its `paths` lies in the scope."""
        return any(self.covers_path(p) for p in paths if p)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def signed_in(user: Someone) -> TypeGuard["User"]:
    """Whether `user` is a signed-in account (a `User`: the anonymous one and nobody are not)."""
    return bool(getattr(user, "is_authenticated", False))


def role_codes(user: Someone) -> frozenset[str]:
    """The user's role codes, read once per request object."""
    if not signed_in(user):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_role_codes", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_codes = cached
    return cached


def scope_for(user: Someone) -> Scope:
    if not signed_in(user) or not user.is_active:
        return NOTHING
    if user.is_superuser or Role.COUNTY_LEADER in role_codes(user):
        return EVERYTHING
    org = user.organization
    if org is None:
        return NOTHING
    if org.level == "county" and org.kind in COUNTY_WIDE_KINDS:
        return EVERYTHING
    return Scope(prefixes=(org.path,))


def can(user: Someone, action: str) -> bool:
    """Whether one of the user's roles holds `action`; a superuser holds every action but
    those reserved to roles (`ROLE_ONLY`)."""
    if not signed_in(user) or not user.is_active:
        return False
    if user.is_superuser and action not in ROLE_ONLY:
        return True
    return any(action in PERMISSIONS.get(role, ()) for role in role_codes(user))


def seen_q(user: Someone, action: str, *path_fields: str) -> Q:
    """The rows of a dossier a user sees: none without `action`, else those any of whose
    `path_fields` lies in the user's scope (`Scope.any_q`)."""
    if not can(user, action):
        return Q(pk__in=[])
    return scope_for(user).any_q(*path_fields)


def require(user: Someone, action: str) -> None:
    if not can(user, action):
        raise Forbidden("您没有执行此操作的权限", code="forbidden")
