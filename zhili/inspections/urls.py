from django.urls import path

from zhili.inspections import standards_views, views

app_name = "inspections"
urlpatterns = [
    path("inspections/", views.inspection_list, name="list"),
    path("inspections/new/", views.inspection_new, name="new"),
    path("inspections/findings/", views.finding_list, name="findings"),
    path("inspections/findings/<str:number>/", views.finding_detail, name="detail"),
    path("inspections/findings/<str:number>/act/<str:action>/", views.finding_action, name="act"),
    path("inspections/findings/<str:number>/notice/", views.finding_notice, name="notice"),
    path(
        "inspections/findings/<str:number>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
    path("inspections/circulars/", views.circular_list, name="circulars"),
    path("inspections/circulars/new/", views.circular_new, name="circular_new"),
    path("inspections/circulars/<str:number>/", views.circular_detail, name="circular"),
    path("inspections/circulars/<str:number>/read/", views.circular_read, name="circular_read"),
    path(
        "inspections/circulars/<str:number>/document/",
        views.circular_document,
        name="circular_document",
    ),
    path("inspections/lookbacks/", views.lookback_list, name="lookbacks"),
    path("inspections/standards/", standards_views.standard_list, name="standards"),
    path("inspections/standards/check/", standards_views.check_new, name="standard_check_new"),
    path(
        "inspections/standards/checks/<int:check_id>/",
        standards_views.check_detail,
        name="standard_check",
    ),
    path("inspections/guidance/", standards_views.guidance_new, name="guidance_new"),
    path("inspections/<str:number>/", views.inspection_detail, name="inspection"),
]
