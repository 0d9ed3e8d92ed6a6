from django.urls import path

from zhili.video.views import cameras, map, tree

app_name = "video"
urlpatterns = [
    path("video/cameras/", cameras.camera_list, name="cameras"),
    path("video/map/", map.camera_map, name="map"),
    path("video/map/points/", map.map_points, name="map_points"),
    path("video/tree/", tree.camera_tree, name="tree"),
    path("video/tree/cameras/", tree.division_cameras, name="tree_cameras"),
    path("video/tree/groups/<int:pk>/", tree.group_cameras, name="tree_group"),
]
