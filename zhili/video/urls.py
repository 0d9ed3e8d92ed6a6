from django.urls import path

from zhili.video.views import cameras, live

app_name = "video"
urlpatterns = [
    path("video/cameras/", cameras.camera_list, name="cameras"),
    path("video/cameras/<str:code>/", live.camera_detail, name="camera"),
    path("video/wall/", live.wall, name="wall"),
    path("video/wall/save/", live.wall_save, name="wall_save"),
    path("video/wall/<int:layout_id>/delete/", live.wall_delete, name="wall_delete"),
]
