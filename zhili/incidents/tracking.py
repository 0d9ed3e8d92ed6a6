"""An incident's tracking code (一案一码) is its 事件编号 (zhili/core/dossier/codes.py)."""

from django.urls import reverse

from zhili.core.dossier.codes import Tracked, track
from zhili.incidents.workflow import KIND

track(Tracked(KIND, page=lambda incident: reverse("incidents:detail", args=[incident.number])))
