from django.urls import path

from zhili.warnings import views

app_name = "warnings"
urlpatterns = [
    path("warnings/", views.warning_list, name="list"),
    path("warnings/rules/", views.rule_list, name="rules"),
    path("warnings/rules/<slug:code>/", views.rule_edit, name="rule"),
    path("warnings/scan/", views.scan_now, name="scan"),
    path("warnings/<str:number>/", views.warning_detail, name="detail"),
    path("warnings/<str:number>/act/<str:action>/", views.warning_action, name="act"),
]
