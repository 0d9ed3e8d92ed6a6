from django.urls import path

from zhili.video.views import cameras, clips, live, map, tree

app_name = "video"
urlpatterns = [
    path("video/cameras/", cameras.camera_list, name="cameras"),
    path("video/cameras/<str:code>/", live.camera_detail, name="camera"),
    path("video/wall/", live.wall, name="wall"),
    path("video/wall/save/", live.wall_save, name="wall_save"),
    path("video/wall/<int:layout_id>/delete/", live.wall_delete, name="wall_delete"),
    path("video/cases/<str:case_no>/clips/", clips.clip_start, name="clip_start"),
    path("video/clips/<int:pk>/", clips.clip_progress, name="clip"),
    path("video/map/", map.camera_map, name="map"),
    path("video/map/points/", map.map_points, name="map_points"),
    path("video/tree/", tree.camera_tree, name="tree"),
    path("video/tree/cameras/", tree.division_cameras, name="tree_cameras"),
    path("video/tree/groups/<int:pk>/", tree.group_cameras, name="tree_group"),
]
