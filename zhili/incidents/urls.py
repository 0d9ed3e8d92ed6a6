from django.urls import path

from zhili.incidents import views

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.incident_list, name="list"),
    path("incidents/<str:number>/", views.incident_detail, name="detail"),
]
