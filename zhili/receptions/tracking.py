"""An appointment's tracking code (一案一码) is its 预约编号 (zhili/core/dossier/codes.py): the
reception it leads to can name the people and houses it concerns (zhili/registers/mentions.py)."""

from django.urls import reverse

from zhili.core.dossier.codes import Tracked, track
from zhili.receptions.models import Appointment
from zhili.receptions.workflow import KIND


def _contacts(appointment: Appointment) -> list[str]:
    """The petitioners' ID numbers and phones, and the unregistered visitor's phone."""
    values = [
        value
        for person in appointment.petitioners.all()
        for value in (person.id_number, person.phone)
        if value
    ]
    return [*values, appointment.visitor_phone] if appointment.visitor_phone else values


track(
    Tracked(
        KIND,
        page=lambda appointment: reverse("receptions:appointment", args=[appointment.number]),
        title="subject",
        contacts=_contacts,
    )
)
