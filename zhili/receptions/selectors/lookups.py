"""What a client names by number, user name or code: petitions (scoped by the petitions
app's own rule), people, units."""

from django.db.models import Q, QuerySet

from zhili.core.errors import InvalidInput, NotFound
from zhili.core.types import Actor
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition
from zhili.petitions.selectors import petition_scope
from zhili.receptions import workflow
from zhili.receptions.models import Appointment

# How many of a petitioner's petitions the reception record offers to link.
PETITIONS_OFFERED = 20


def petition_by_number(*, user: Actor, number: str, field: str = "petition") -> Petition:
    found = Petition.objects.filter(petition_scope(user), number=(number or "").strip()).first()
    if found is None:
        raise NotFound("信访事项不存在或不在您的查询范围内", field=field)
    return found


def user_by_username(username: str, *, field: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound("该用户不存在", field=field)
    return user


def user_get(pk: int | None) -> User | None:
    """The user of an id a form sent (None when none: the services say what was wanted)."""
    return User.objects.filter(pk=pk).first() if pk else None


def units_by_code(codes: list[str], *, field: str) -> list[Organization]:
    found = list(Organization.objects.filter(code__in=set(codes)))
    if len(found) != len(set(codes)):
        raise InvalidInput("所列单位编码有不存在的", field=field)
    return found


def joint_units() -> QuerySet[Organization]:
    """The county's units that may join a reception (联合接访) or be made responsible."""
    return Organization.objects.filter(
        kind__in=workflow.JOINT_KINDS, is_active=True, level="county"
    ).order_by("kind", "sort_order", "code")


def petition_in_sight(user: Actor, petition: Petition | None) -> Petition | None:
    """`petition` if the user sees it (the petitions app's rule), else None: an appointment's
    page names its petition only to those (a township's booking staff may see the appointment
    and not the petition)."""
    if (
        petition is None
        or not Petition.objects.filter(petition_scope(user), pk=petition.pk).exists()
    ):
        return None
    return petition


def visitor_petitions(*, user: Actor, appointment: Appointment) -> list[Petition]:
    """The petitions of the people an appointment brings, in the user's sight (the petitions
    app's rule), newest first: its own petition, those of its registered petitioners, and,
    for someone not registered on it, those of a petitioner of the same name and phone."""
    people = Q(parties__petitioner__in=list(appointment.petitioners.all()))
    if appointment.visitor_name and appointment.visitor_phone:
        people |= Q(
            parties__petitioner__name=appointment.visitor_name,
            parties__petitioner__phone=appointment.visitor_phone,
        )
    if appointment.petition_id:
        people |= Q(pk=appointment.petition_id)
    found = Petition.objects.filter(petition_scope(user)).filter(people).distinct()
    return list(found.order_by("-received_at", "-id")[:PETITIONS_OFFERED])
