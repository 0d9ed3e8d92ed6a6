from django.urls import path

from zhili.incidents import plan_views, views

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.incident_list, name="list"),
    # Before the incident's page: "plans" is no incident number.
    path("incidents/plans/", plan_views.plan_list, name="plans"),
    path("incidents/plans/new/", plan_views.plan_new, name="plan_new"),
    path("incidents/plans/<str:code>/", plan_views.plan_detail, name="plan"),
    path("incidents/plans/<str:code>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("incidents/plans/<str:code>/active/", plan_views.plan_active, name="plan_active"),
    path("incidents/<str:number>/", views.incident_detail, name="detail"),
]
