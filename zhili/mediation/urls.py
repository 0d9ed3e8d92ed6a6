"""The mediation pages: the dossiers (views/) and the collections and statistics (reports/)."""

from zhili.mediation.reports.urls import urlpatterns as report_urlpatterns
from zhili.mediation.views.urls import urlpatterns as dossier_urlpatterns

app_name = "mediation"
urlpatterns = [*dossier_urlpatterns, *report_urlpatterns]
