from django.urls import path

from zhili.video import views

app_name = "video"
urlpatterns = [
    path("video/cameras/", views.camera_list, name="cameras"),
    path("video/cases/<str:case_no>/clips/", views.clip_start, name="clip_start"),
    path("video/clips/<int:pk>/", views.clip_progress, name="clip"),
]
