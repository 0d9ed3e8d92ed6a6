"""What other apps show on the receptions' pages, without receptions importing them:
registered from their AppConfig.ready() (zhili.core.registry). Beside each appointment of a
day's page, the booking page and an appointment's own page (the video rooms of zhili/rooms:
`video_rooms` with their seats and recordings, `video_seated` who of the petitioner's side is
in one now), answered for all the listed appointments at once; on the township supervision
page, for a day (the reception rooms in session: who receives by video now)."""

from datetime import date

from zhili.core.registry import BatchPanels, Panels
from zhili.receptions.models import Appointment

APPOINTMENT_PANELS: BatchPanels[Appointment] = BatchPanels("appointment panel")
SUPERVISION_PANELS: Panels[date] = Panels("reception supervision panel")
