from django.urls import path

from zhili.screen import views

app_name = "screen"
urlpatterns = [
    path("screen/", views.screen, name="screen"),
]
