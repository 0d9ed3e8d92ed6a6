from django.urls import path

from zhili.forces import views

app_name = "forces"
urlpatterns = [
    path("forces/", views.desk, name="desk"),
]
