from django.urls import path

from zhili.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
