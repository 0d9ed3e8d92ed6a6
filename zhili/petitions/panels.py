"""What other apps show on a petition's page (the supervision orders on the petition, for one),
without petitions importing them: an app registers, from its AppConfig.ready(), a function
giving the rows of the petition it shows to the user, under the name the petition's templates
read them by (zhili.core.registry.Panels)."""

from zhili.core.registry import Panels
from zhili.petitions.models import Petition

PETITION_PANELS: Panels[Petition] = Panels("petition panel")
