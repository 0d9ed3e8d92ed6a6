"""What other apps show on the receptions' pages, without receptions importing them:
registered from their AppConfig.ready() (zhili.core.registry). Beside an appointment on its
day's page (the video rooms of zhili/rooms); on the township supervision page, for a day (the
reception rooms in session: who receives by video now)."""

from datetime import date

from zhili.core.registry import Panels
from zhili.receptions.models import Appointment

APPOINTMENT_PANELS: Panels[Appointment] = Panels("appointment panel")
SUPERVISION_PANELS: Panels[date] = Panels("reception supervision panel")
