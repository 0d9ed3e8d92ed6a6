from django.urls import path

from zhili.portal import petitions, views

app_name = "portal"
urlpatterns = [
    path("citizen/", views.report, name="report"),
    path("citizen/progress/", views.progress, name="progress"),
    path("citizen/progress/rate/", views.rate, name="rate"),
    path("citizen/petition/", petitions.progress, name="petition"),
    path("citizen/petition/rate/", petitions.rate, name="petition_rate"),
    path("citizen/map/townships.json", views.outlines, name="outlines"),
]
