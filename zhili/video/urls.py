from django.urls import path

from zhili.video.views import cameras

app_name = "video"
urlpatterns = [
    path("video/cameras/", cameras.camera_list, name="cameras"),
]
