from django.urls import path

from zhili.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.index, name="index"),
    path("imports/template.xlsx", views.template, name="template"),
    path("imports/<int:pk>/", views.job, name="job"),
    path("imports/<int:pk>/_progress/", views.job_progress, name="job_progress"),
    path("imports/<int:pk>/report.xlsx", views.job_report, name="job_report"),
    path("exports/cases.xlsx", views.export_cases, name="export_cases"),
    path("registers/people/import/", views.people_import, name="people_import"),
    path(
        "registers/people/import/template.xlsx",
        views.people_template,
        name="people_import_template",
    ),
]
