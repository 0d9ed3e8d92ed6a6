from django.urls import path

from zhili.receptions import views

app_name = "receptions"
urlpatterns = [
    path("receptions/rota/", views.rota, name="rota"),
    path("receptions/rota/<str:code>/<str:day>/", views.rota_cell, name="rota_cell"),
    path("receptions/day/<int:pk>/", views.day_detail, name="day"),
    path("receptions/day/<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("receptions/day/<int:pk>/book/", views.day_book, name="book"),
    path("receptions/day/<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path(
        "receptions/appointment/<int:pk>/<str:action>/",
        views.appointment_action,
        name="appointment_act",
    ),
    path("receptions/mine/", views.mine, name="mine"),
    path("receptions/ownership/take/", views.ownership_take, name="ownership_take"),
    path(
        "receptions/ownership/<int:pk>/<str:action>/",
        views.ownership_action,
        name="ownership_act",
    ),
    path("receptions/ownerships/", views.ownerships, name="ownerships"),
    path(
        "receptions/ownerships/candidates/",
        views.ownership_candidates,
        name="ownership_candidates",
    ),
    path("receptions/townships/", views.townships, name="townships"),
]
