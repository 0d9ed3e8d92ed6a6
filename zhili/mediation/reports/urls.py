"""Addresses of the collections and statistics, in the "mediation" namespace (concatenated by
zhili/mediation/urls.py). All under mediation/reports/ so that no dossier address (such as
mediation/<number>/) can shadow them."""

from django.urls import path

from zhili.mediation.reports import views

urlpatterns = [
    path("mediation/reports/", views.index, name="reports"),
    path("mediation/reports/monthly/", views.monthly, name="monthly"),
    path("mediation/reports/monthly.xlsx", views.monthly_xlsx, name="monthly_xlsx"),
    path("mediation/reports/collection/", views.collection, name="collection"),
    path("mediation/reports/collection/anthology.docx", views.anthology, name="anthology"),
    path("mediation/reports/search/", views.search, name="search"),
    path("mediation/reports/exemplary/<str:number>/mark/", views.mark, name="mark_exemplary"),
    path("mediation/reports/exemplary/<str:number>/unmark/", views.unmark, name="unmark_exemplary"),
    path("mediation/reports/rankings/", views.rankings, name="rankings"),
]
