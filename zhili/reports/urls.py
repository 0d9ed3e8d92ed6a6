from django.urls import path

from zhili.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/generate/", views.report_generate, name="generate"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/_status/", views.report_status, name="status"),
    path("reports/<int:pk>/deliver/", views.report_deliver, name="deliver"),
    path("reports/<int:pk>/comment/", views.report_comment, name="comment"),
    path("reports/<int:pk>/records/<slug:key>/", views.report_records, name="records"),
    path("reports/<int:pk>/document/", views.report_document, name="document"),
    path("reports/<int:pk>/print/", views.report_print, name="print"),
]
