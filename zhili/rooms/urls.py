from django.urls import path

from zhili.rooms import views

app_name = "rooms"

urlpatterns = [
    path("rooms/j/<str:link>/", views.outsider_page, name="outsider"),
    path("rooms/j/<str:link>/agreement/", views.outsider_agreement, name="outsider_agreement"),
    path("rooms/meetings/", views.meeting_list, name="meetings"),
    path("rooms/<str:number>/", views.room_page, name="room"),
    path("rooms/<str:number>/watch/", views.room_watch_page, name="watch"),
    path("rooms/<str:number>/broadcast/", views.broadcast_page, name="broadcast"),
    path("rooms/<str:number>/live/<str:name>", views.live_file, name="live_file"),
    path("rooms/<str:number>/session/", views.record_session, name="session"),
    path("rooms/<str:number>/_record/", views.room_record, name="record"),
    path("rooms/<str:number>/notes/", views.room_note, name="note"),
    path("rooms/<str:number>/agenda/", views.agenda_add, name="agenda"),
    path("rooms/<str:number>/agenda/<int:pk>/", views.agenda_minutes, name="minutes"),
    path("rooms/<str:number>/documents/", views.document_add, name="document_add"),
    path("rooms/<str:number>/documents/<int:pk>/", views.document_download, name="document"),
    path("rooms/<str:number>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path(
        "rooms/<str:number>/recordings/<int:pk>/",
        views.recording_download,
        name="recording_download",
    ),
    path(
        "rooms/<str:number>/recordings/<int:pk>/play",
        views.recording_play,
        name="recording_play",
    ),
    path("rooms/new/mediation/<str:number>/", views.schedule_mediation, name="schedule_mediation"),
    path("rooms/new/reception/<int:pk>/", views.schedule_reception, name="schedule_reception"),
    path("rooms/<str:number>/reception/", views.record_reception, name="reception"),
    path("rooms/call/<int:pk>/", views.call_next, name="call_next"),
]
