from django.urls import path

from zhili.video.views import cameras, live

app_name = "video"
urlpatterns = [
    path("video/cameras/", cameras.camera_list, name="cameras"),
    path("video/cameras/<str:code>/", live.camera_detail, name="camera"),
]
