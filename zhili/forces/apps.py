from collections.abc import Callable

from django.apps import AppConfig
from django.conf import settings


class ForcesConfig(AppConfig):
    name = "zhili.forces"
    label = "forces"
    verbose_name = "处置力量"

    def background_processes(self, warn: Callable[[str], object]) -> dict[str, list[str]]:
        """What `zhili serve --with-background` runs for the forces: the demo's simulated
        handhelds, when FORCES_SIMULATED_HANDHELDS is on (the demo's setting, never a county's)."""
        return {"handheld_sims": []} if settings.FORCES_SIMULATED_HANDHELDS else {}
