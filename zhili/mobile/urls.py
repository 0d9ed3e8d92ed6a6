from django.urls import path

from zhili.mobile import api, views

app_name = "mobile"
urlpatterns = [
    path("m/", views.home, name="home"),
    path("m/report/", views.report, name="report"),
    path("m/cases/", views.case_list, name="cases"),
    path("m/cases/<str:case_no>/", views.case_detail, name="case_detail"),
    path("m/patrols/", views.patrols, name="patrols"),
    path("m/offline/", views.offline, name="offline"),
    path("m/manifest.webmanifest", views.manifest, name="manifest"),
    path("m/sw.js", views.service_worker, name="service_worker"),
    path("m/api/reports", api.report_create, name="api_reports"),
    path("m/api/patrols", api.patrol_start, name="api_patrol_start"),
    path("m/api/patrols/<str:client_id>/points", api.patrol_points, name="api_patrol_points"),
    path("m/api/patrols/<str:client_id>/end", api.patrol_end, name="api_patrol_end"),
]
