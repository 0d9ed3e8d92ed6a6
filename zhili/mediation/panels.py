"""What other apps show on a dispute's page (the video sessions of zhili/rooms), without
mediation importing them: registered from their AppConfig.ready() (zhili.core.registry)."""

from zhili.core.registry import Panels
from zhili.mediation.models import Dispute

DISPUTE_PANELS: Panels[Dispute] = Panels("dispute panel")
