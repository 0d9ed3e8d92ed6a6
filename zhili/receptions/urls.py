from django.urls import path

from zhili.receptions.views import (
    appointments,
    booking,
    day,
    detail,
    mine,
    ownerships,
    records,
    rota,
    townships,
)

app_name = "receptions"
urlpatterns = [
    path("receptions/rota/", rota.rota, name="rota"),
    path("receptions/rota/<str:code>/<str:day>/", rota.rota_cell, name="rota_cell"),
    path("receptions/day/<int:pk>/", day.day_detail, name="day"),
    path("receptions/day/<int:pk>/edit/", day.day_edit, name="day_edit"),
    path("receptions/day/<int:pk>/book/", appointments.day_book, name="book"),
    path("receptions/day/<int:pk>/walk-in/", records.walk_in, name="walk_in"),
    path(
        "receptions/appointment/<int:pk>/<str:action>/",
        appointments.appointment_action,
        name="appointment_act",
    ),
    path("receptions/booking/", booking.booking, name="booking"),
    path("receptions/booking/<int:pk>/cancel/", booking.booking_cancel, name="booking_cancel"),
    path("receptions/appointments/<str:number>/", detail.appointment_page, name="appointment"),
    path("receptions/mine/", mine.mine, name="mine"),
    path("receptions/ownership/take/", mine.ownership_take, name="ownership_take"),
    path(
        "receptions/ownership/<int:pk>/<str:action>/",
        mine.ownership_action,
        name="ownership_act",
    ),
    path("receptions/ownerships/", ownerships.ownerships, name="ownerships"),
    path(
        "receptions/ownerships/candidates/",
        ownerships.ownership_candidates,
        name="ownership_candidates",
    ),
    path("receptions/townships/", townships.townships, name="townships"),
]
