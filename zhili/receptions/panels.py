"""What other apps show beside an appointment on its day's page (the video rooms of
zhili/rooms), without receptions importing them: registered from their AppConfig.ready()
(zhili.core.registry)."""

from zhili.core.registry import Panels
from zhili.receptions.models import Appointment

APPOINTMENT_PANELS: Panels[Appointment] = Panels("appointment panel")
