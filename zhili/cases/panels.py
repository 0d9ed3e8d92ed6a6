"""What other apps show on a case's page and on its printed 工单处理单 (the supervision orders
on the case, for one), without cases importing them: an app registers, from its
AppConfig.ready(), a function giving the rows of the case it shows to the user, under the name
the case's templates read them by (zhili.core.registry.Panels)."""

from zhili.cases.models import Case
from zhili.core.registry import Panels

CASE_PANELS: Panels[Case] = Panels("case panel")
