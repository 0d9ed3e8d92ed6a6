from django.urls import path

from zhili.video import views

app_name = "video"
urlpatterns = [
    path("video/cameras/", views.camera_list, name="cameras"),
]
